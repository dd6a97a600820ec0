#pragma once
/// Langevin molecular dynamics at constant volume and temperature on any Potential, with the
/// BAOAB splitting of Leimkuhler & Matthews (Appl. Math. Res. Express 2013, 34 (2013);
/// J. Chem. Phys. 138, 174102 (2013)):
///   B  v += (Δt/2) F/m        A  x += (Δt/2) v
///   O  v ← c₁ v + √((1 − c₁²) k_B T/m) ξ,  c₁ = exp(−γ Δt), ξ ~ N(0, 1)
///   A  x += (Δt/2) v          (new forces)        B  v += (Δt/2) F/m
/// Its configurational averages are accurate to O(Δt²) with a small constant (exact for a
/// harmonic potential), which is what sampling training configurations needs. With γ = 0 it is
/// velocity Verlet and conserves the total energy up to O(Δt²) fluctuations.
///
/// Units: positions Å, velocities Å/fs, time fs, masses u, energies eV. Fixed atoms
/// (Structure::fixed) never move and have zero velocity. Deterministic: (seed, stream) fixes
/// every random number (neb/RandomStream.hpp). Positions are not wrapped into the cell.
#include <cstdint>
#include <vector>

#include <Eigen/Core>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"
#include "neb/RandomStream.hpp"

namespace ionhop::neb {

struct LangevinParams {
  double temperature_K = 300.0;   ///< bath temperature T [K], ≥ 0
  double timestep_fs = 1.0;       ///< Δt [fs], > 0
  double friction_per_fs = 0.01;  ///< γ [1/fs], ≥ 0 (0.01/fs = 10/ps; 0 gives velocity Verlet)
  std::uint64_t seed = 0;         ///< random stream: (seed, stream)
  std::uint64_t stream = 0;
};

class LangevinMd {
 public:
  /// Starts from `start` with velocities drawn from the Maxwell–Boltzmann distribution at
  /// params.temperature_K (per atom, per component, variance k_B T/m). `masses_u` has one mass
  /// [u] per atom (neb/AtomicMasses.hpp). `potential` must outlive this object. Evaluates the
  /// forces once. Throws std::invalid_argument on bad parameters or mass count.
  LangevinMd(const lattice::Structure& start, const Potential& potential, std::vector<double> masses_u,
             const LangevinParams& params);

  /// Advances `n` BAOAB steps (one force evaluation each).
  void run(long long n);

  /// Changes the bath temperature [K] (velocities are not rescaled).
  void set_temperature_K(double temperature_K);

  const lattice::Structure& structure() const { return structure_; }
  /// Velocities [Å/fs], 3×N.
  const Eigen::Matrix3Xd& velocities() const { return velocities_; }
  /// Forces at the current positions [eV/Å], 3×N.
  const Eigen::Matrix3Xd& forces() const { return forces_; }
  double potential_energy_eV() const { return potential_energy_eV_; }
  /// ½ Σ m v² [eV].
  double kinetic_energy_eV() const;
  /// Kinetic temperature 2 K / (n_dof k_B) [K] with n_dof = 3 × (free atoms): the Langevin bath
  /// does not conserve momentum, so no centre-of-mass degrees of freedom are removed.
  double kinetic_temperature_K() const;
  long long steps() const { return steps_; }
  double time_fs() const { return static_cast<double>(steps_) * params_.timestep_fs; }
  const LangevinParams& params() const { return params_; }

 private:
  void compute_forces();
  void half_kick();
  void half_drift();
  void thermostat();

  lattice::Structure structure_;
  const Potential* potential_;
  std::vector<double> masses_u_;
  LangevinParams params_;
  RandomStream rng_;
  Eigen::Matrix3Xd velocities_;
  Eigen::Matrix3Xd forces_;
  double potential_energy_eV_ = 0.0;
  long long steps_ = 0;
};

}  // namespace ionhop::neb
