#include "lattice/SitePairs.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace ionhop::lattice {

std::vector<SitePair> enumerate_site_pairs(const Crystal& crystal, double radius_A) {
  // The number of cells to scan along k is set by the spacing of the lattice planes that
  // lattice vector k crosses, 1/|row k of A⁻¹|.
  const Eigen::Matrix3d inv = crystal.cell.inverse();
  Eigen::Vector3i reach;
  for (int k = 0; k < 3; ++k)
    reach[k] = static_cast<int>(std::ceil(radius_A * inv.row(k).norm())) + 1;
  std::vector<SitePair> pairs;
  const int nb = static_cast<int>(crystal.basis.size());
  for (int b = 0; b < nb; ++b) {
    for (int c = 0; c < nb; ++c) {
      const Eigen::Vector3d df = crystal.basis[c].fractional - crystal.basis[b].fractional;
      for (int i = -reach[0]; i <= reach[0]; ++i)
        for (int j = -reach[1]; j <= reach[1]; ++j)
          for (int k = -reach[2]; k <= reach[2]; ++k) {
            const Eigen::Vector3i n(i, j, k);
            const Eigen::Vector3d v = crystal.cell * (df + n.cast<double>());
            const double d = v.norm();
            if (d > 1e-8 && d <= radius_A) pairs.push_back({b, c, n, v, d});
          }
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const SitePair& x, const SitePair& y) {
    if (x.from_basis != y.from_basis) return x.from_basis < y.from_basis;
    if (std::abs(x.distance_A - y.distance_A) > kShellTolerance_A) return x.distance_A < y.distance_A;
    return std::tie(x.to_basis, x.cell_offset[0], x.cell_offset[1], x.cell_offset[2]) <
           std::tie(y.to_basis, y.cell_offset[0], y.cell_offset[1], y.cell_offset[2]);
  });
  return pairs;
}

std::vector<double> distinct_distances(std::vector<double> d, double tolerance_A) {
  std::sort(d.begin(), d.end());
  std::vector<double> out;
  for (double x : d)
    if (out.empty() || x - out.back() > tolerance_A) out.push_back(x);
  return out;
}

}  // namespace ionhop::lattice
