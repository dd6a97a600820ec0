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

  // Edge of a cube holding two atoms on average (periodic volume; a bound for open axes).
  const double bin_width = std::cbrt(2.0 * std::abs(s.cell.determinant()) / static_cast<double>(std::max<std::size_t>(n, 1)));
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
    // Bins of ~2 atoms (but ≤ cutoff/2 wide): with the pruned stencil below the searched volume
    // approaches the cutoff sphere; much finer bins would cost more in empty-bin visits.
    const double width = std::min(0.5 * cutoff_, bin_width);
    bins_[k] = std::max(1, static_cast<int>(std::floor(span / width)));
    bins_[k] = std::min(bins_[k], std::max(1, static_cast<int>(n)));
    reach_[k] = static_cast<int>(std::ceil(cutoff_ * bins_[k] / span - 1e-12));
    if (!pbc_[k]) reach_[k] = std::min(reach_[k], bins_[k] - 1);
  }
  // Stencil: offsets whose bins can hold points closer than the cutoff. Along axis k, points of
  // bins |d_k| apart are at least (|d_k| − 1)·w_k apart (w_k the bin's perpendicular width); in
  // an orthogonal cell these bounds add in quadrature, otherwise only the largest is a bound.
  const bool orthogonal = s.cell(0, 1) == 0.0 && s.cell(0, 2) == 0.0 && s.cell(1, 0) == 0.0 && s.cell(1, 2) == 0.0 &&
                          s.cell(2, 0) == 0.0 && s.cell(2, 1) == 0.0;
  Eigen::Vector3d bin_widths;
  for (int k = 0; k < 3; ++k) bin_widths[k] = widths[k] * extent[k] / bins_[k];
  const double limit2 = cutoff_ * cutoff_ * (1.0 + 1e-12);
  for (int dx = -reach_[0]; dx <= reach_[0]; ++dx)
    for (int dy = -reach_[1]; dy <= reach_[1]; ++dy)
      for (int dz = -reach_[2]; dz <= reach_[2]; ++dz) {
        const int d[3] = {dx, dy, dz};
        double sum2 = 0.0, max2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          const double gap = std::max(0, std::abs(d[k]) - 1) * bin_widths[k];
          sum2 += gap * gap;
          max2 = std::max(max2, gap * gap);
        }
        if ((orthogonal ? sum2 : max2) < limit2) stencil_.push_back({dx, dy, dz});
      }
  for (int k = 0; k < 3; ++k) {
    const int n_bins = bins_[k];
    for (int b = 0; b < n_bins; ++b)
      for (int o = -reach_[k]; o <= reach_[k]; ++o) {
        const int raw = b + o;
        if (pbc_[k]) {
          const int shift = raw >= 0 ? raw / n_bins : -((-raw + n_bins - 1) / n_bins);
          offset_table_[k].push_back({raw - shift * n_bins, shift});
        } else {
          offset_table_[k].push_back({raw >= 0 && raw < n_bins ? raw : -1, 0});
        }
      }
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
