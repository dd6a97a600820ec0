#include "lattice/Supercell.hpp"

#include <limits>

#include "lattice/LatticeError.hpp"

namespace ionhop::lattice {

Supercell::Supercell(Crystal crystal, std::array<int, 3> repetitions)
    : crystal_(std::move(crystal)), reps_(repetitions), n_basis_(static_cast<int>(crystal_.basis.size())) {
  if (n_basis_ == 0) throw LatticeError("the lattice has no sites");
  long long n = n_basis_;
  for (int r : reps_) {
    if (r < 1) throw LatticeError("supercell repetitions must be at least 1");
    n *= r;
  }
  if (n > std::numeric_limits<SiteIndex>::max())
    throw LatticeError("supercell too large: " + std::to_string(n) + " sites");
  n_sites_ = static_cast<SiteIndex>(n);
  div_basis_ = Divisor(static_cast<std::uint32_t>(n_basis_));
  div_c_ = Divisor(static_cast<std::uint32_t>(reps_[2]));
  div_b_ = Divisor(static_cast<std::uint32_t>(reps_[1]));
}

Eigen::Matrix3d Supercell::cell_A() const {
  Eigen::Matrix3d m = crystal_.cell;
  for (int k = 0; k < 3; ++k) m.col(k) *= reps_[k];
  return m;
}

Eigen::Vector3d Supercell::position_A(SiteIndex s) const {
  const SiteAddress a = address(s);
  const Eigen::Vector3d f = crystal_.basis[a.basis].fractional +
                            Eigen::Vector3d(a.cell[0], a.cell[1], a.cell[2]);
  return crystal_.cell * f;
}

Eigen::Vector3d Supercell::supercell_fractional(SiteIndex s) const {
  const SiteAddress a = address(s);
  const Eigen::Vector3d f = crystal_.basis[a.basis].fractional;
  return Eigen::Vector3d((a.cell[0] + f[0]) / reps_[0], (a.cell[1] + f[1]) / reps_[1],
                         (a.cell[2] + f[2]) / reps_[2]);
}

}  // namespace ionhop::lattice
