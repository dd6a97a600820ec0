#pragma once
/// Spring forces that hold the NEB images apart, acting only along the tangent (the "nudging").
/// Parallel spring force of the improved-tangent NEB: Henkelman & Jónsson, J. Chem. Phys. 113,
/// 9978 (2000), eq. 12. Energy-weighted spring constants: Henkelman, Uberuaga & Jónsson,
/// J. Chem. Phys. 113, 9901 (2000), eq. 6.
#include <Eigen/Core>
#include <vector>

namespace ionhop::neb {

enum class NebSpringMode { constant, energy_weighted };

struct NebSpringParams {
  NebSpringMode mode = NebSpringMode::constant;
  double k_eV_A2 = 0.1;      ///< spring constant, or k_max of the energy-weighted springs [eV/Å²]
  double k_min_eV_A2 = 0.02; ///< k_min of the energy-weighted springs [eV/Å²]
};

/// Spring constant of each of the n−1 segments of a band with image energies e (size n) [eV/Å²].
/// Energy-weighted: segment i (between images i and i+1) uses E = max(E_i, E_{i+1}); with
/// E_ref = max(E_0, E_{n−1}) and E_max the highest image, k = k_max − Δk (E_max − E)/(E_max − E_ref)
/// for E > E_ref and k_min otherwise (Δk = k_max − k_min), so that images gather near the saddle.
std::vector<double> segment_spring_constants(const std::vector<double>& energies_eV, const NebSpringParams& p);

/// Spring force on an image along its unit tangent τ: (k₊|R_{i+1} − R_i| − k₋|R_i − R_{i−1}|) τ.
Eigen::VectorXd parallel_spring_force(const Eigen::VectorXd& r_prev, const Eigen::VectorXd& r,
                                      const Eigen::VectorXd& r_next, double k_minus, double k_plus,
                                      const Eigen::VectorXd& tangent);

}  // namespace ionhop::neb
