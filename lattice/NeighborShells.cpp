#include "lattice/NeighborShells.hpp"

#include <algorithm>
#include <cmath>

namespace ionhop::lattice {

NeighborShells::NeighborShells(const Crystal& crystal, int n_shells) {
  by_basis_.assign(crystal.basis.size(), {});
  if (n_shells <= 0) return;
  double scale = 0.0;
  for (int k = 0; k < 3; ++k) scale = std::max(scale, crystal.cell.col(k).norm());
  // Grow the search radius until enough distinct distances are seen.
  for (double radius = scale;; radius *= 1.5) {
    const auto pairs = enumerate_site_pairs(crystal, radius);
    std::vector<double> d;
    d.reserve(pairs.size());
    for (const auto& p : pairs) d.push_back(p.distance_A);
    auto shells = distinct_distances(d, kShellTolerance_A);
    // Only shells strictly inside the radius are complete.
    while (!shells.empty() && shells.back() > radius - 2 * kShellTolerance_A) shells.pop_back();
    if (static_cast<int>(shells.size()) < n_shells) continue;
    shells.resize(n_shells);
    distances_ = shells;
    for (const auto& p : pairs) {
      const auto it = std::find_if(shells.begin(), shells.end(), [&](double s) {
        return std::abs(s - p.distance_A) <= kShellTolerance_A;
      });
      if (it == shells.end()) continue;
      by_basis_[p.from_basis].push_back(
          {p.to_basis, p.cell_offset, static_cast<int>(it - shells.begin()) + 1});
    }
    return;
  }
}

int NeighborShells::shell_of(int from_basis, int to_basis, const Eigen::Vector3i& n) const {
  for (const auto& s : by_basis_[from_basis])
    if (s.to_basis == to_basis && s.cell_offset == n) return s.shell;
  return 0;
}

}  // namespace ionhop::lattice
