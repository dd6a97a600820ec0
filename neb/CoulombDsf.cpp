#include "neb/CoulombDsf.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "neb/CoulombCharges.hpp"

namespace ionhop::neb {
namespace {
constexpr double kPi = 3.14159265358979323846;
}

CoulombDsf::CoulombDsf(std::map<std::string, double> charges_e, double cutoff_A, double alpha_per_A)
    : charges_(std::move(charges_e)), cutoff_(cutoff_A), alpha_(alpha_per_A) {
  if (!(cutoff_A > 0.0)) throw std::invalid_argument("coulomb_dsf: cutoff_A must be positive");
  if (!(alpha_per_A >= 0.0)) throw std::invalid_argument("coulomb_dsf: alpha_per_A must be non-negative");
}

void CoulombDsf::accumulate(const lattice::Structure& s, const CellList& cells, const ComputeRequest& req,
                            PotentialResult& result) const {
  const std::size_t n = s.size();
  const std::vector<double> q = charges_of(s, charges_, name());
  const double rc = cutoff_, rc2 = rc * rc;
  const double two_alpha_over_sqrt_pi = 2.0 * alpha_ / std::sqrt(kPi);
  const double e_shift = std::erfc(alpha_ * rc) / rc;
  const double f_shift = std::erfc(alpha_ * rc) / rc2 + two_alpha_over_sqrt_pi * std::exp(-alpha_ * alpha_ * rc2) / rc;
  const double self = -(0.5 * e_shift + alpha_ / std::sqrt(kPi)) * kCoulomb_eV_A;

  std::vector<double> energy(n, 0.0);
  Eigen::Matrix3Xd forces = Eigen::Matrix3Xd::Zero(3, req.forces ? static_cast<Eigen::Index>(n) : 0);
  std::vector<Eigen::Matrix3d> virial(req.virial ? n : 0, Eigen::Matrix3d::Zero());
#pragma omp parallel for schedule(dynamic, 32) if (n >= kMinAtomsPerParallelLoop)
  for (std::size_t i = 0; i < n; ++i) {
    if (q[i] == 0.0) continue;
    double e = 0.0;
    Eigen::Vector3d f = Eigen::Vector3d::Zero();
    Eigen::Matrix3d w = Eigen::Matrix3d::Zero();
    cells.for_each_neighbor(i, [&](std::size_t j, const Eigen::Vector3i&, const Eigen::Vector3d& rij, double r2) {
      if (r2 >= rc2 || q[j] == 0.0) return;
      const double r = std::sqrt(r2);
      const double qq = kCoulomb_eV_A * q[i] * q[j];
      const double erfc_r = std::erfc(alpha_ * r) / r;
      e += 0.5 * qq * (erfc_r - e_shift + f_shift * (r - rc));
      const double dphi = qq * (-(erfc_r + two_alpha_over_sqrt_pi * std::exp(-alpha_ * alpha_ * r2)) / r + f_shift);
      const double g = dphi / r;
      f += g * rij;
      if (req.virial) w -= (0.5 * g) * (rij * rij.transpose());
    });
    energy[i] = e + self * q[i] * q[i];
    if (req.forces) forces.col(static_cast<Eigen::Index>(i)) = f;
    if (req.virial) virial[i] = w;
  }
  add_per_atom(energy, forces, virial, req, result);
}

}  // namespace ionhop::neb
