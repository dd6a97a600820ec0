#include "neb/CellList.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "lattice/StructureGeometry.hpp"

namespace ionhop::neb {

CellList::CellList(const lattice::Structure& s, double cutoff_A) : cell_(s.cell), cutoff_(cutoff_A), pbc_(s.pbc) {
  if (!(cutoff_A > 0.0)) throw std::invalid_argument("CellList: cutoff must be positive");
  if (std::abs(s.cell.determinant()) < 1e-12) throw std::invalid_argument("CellList: degenerate cell");
  const std::size_t n = s.size();
  const Eigen::Matrix3d inverse = s.cell.inverse();
  Eigen::Matrix3Xd f = inverse * s.positions;
  wrap_shift_.assign(n, Eigen::Vector3i::Zero());
  const Eigen::Vector3d widths = lattice::perpendicular_widths_A(s.cell);

  // Along a non-periodic axis the bins span the atoms' extent instead of the cell.
  Eigen::Vector3d lower = Eigen::Vector3d::Zero(), extent = Eigen::Vector3d::Ones();
  for (int k = 0; k < 3; ++k) {
    if (pbc_[k]) {
      for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<Eigen::Index>(i);
        const double fl = std::floor(f(k, c));
        int shift = -static_cast<int>(fl);
        double x = f(k, c) - fl;
        if (x >= 1.0) {  // f = −1e-17 floors to −1 and lands on 1.0
          x -= 1.0;
          shift -= 1;
        }
        f(k, c) = x;
        wrap_shift_[i][k] = shift;
      }
    } else if (n > 0) {
      lower[k] = f.row(k).minCoeff();
      extent[k] = std::max(f.row(k).maxCoeff() - lower[k], 1e-12);
    }
    const double span = widths[k] * extent[k];
    // Bins ≥ cutoff/2 wide keep the searched volume near (5/2)³ r_c³ instead of 27 r_c³.
    bins_[k] = std::max(1, static_cast<int>(std::floor(2.0 * span / cutoff_)));
    bins_[k] = std::min(bins_[k], std::max(1, static_cast<int>(n)));
    reach_[k] = static_cast<int>(std::ceil(cutoff_ * bins_[k] / span - 1e-12));
    if (!pbc_[k]) reach_[k] = std::min(reach_[k], bins_[k] - 1);
  }
  wrapped_.resize(3, static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<Eigen::Index>(i);
    wrapped_.col(c) = s.positions.col(c) + s.cell * wrap_shift_[i].cast<double>();
  }

  atom_bin_.resize(n);
  const int total_bins = bins_[0] * bins_[1] * bins_[2];
  std::vector<int> bin_of(n);
  bin_start_.assign(static_cast<std::size_t>(total_bins) + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int k = 0; k < 3; ++k) {
      const double u = pbc_[k] ? f(k, static_cast<Eigen::Index>(i)) : (f(k, static_cast<Eigen::Index>(i)) - lower[k]) / extent[k];
      atom_bin_[i][k] = std::clamp(static_cast<int>(std::floor(u * bins_[k])), 0, bins_[k] - 1);
    }
    bin_of[i] = (atom_bin_[i][0] * bins_[1] + atom_bin_[i][1]) * bins_[2] + atom_bin_[i][2];
    ++bin_start_[static_cast<std::size_t>(bin_of[i]) + 1];
  }
  for (int b = 0; b < total_bins; ++b) bin_start_[b + 1] += bin_start_[b];
  bin_atoms_.resize(n);
  std::vector<int> fill(bin_start_.begin(), bin_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) bin_atoms_[static_cast<std::size_t>(fill[bin_of[i]]++)] = static_cast<int>(i);
}

}  // namespace ionhop::neb
