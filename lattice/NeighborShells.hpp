#pragma once
/// Neighbour shells of a crystal: shell k (1-based) is the k-th distinct site–site distance over
/// all pairs of sites. Used for pair interactions by shell.
#include <vector>

#include "lattice/Crystal.hpp"
#include "lattice/SitePairs.hpp"

namespace ionhop::lattice {

struct ShellNeighbor {
  int to_basis = 0;
  Eigen::Vector3i cell_offset = Eigen::Vector3i::Zero();
  int shell = 1;  ///< 1-based
};

class NeighborShells {
 public:
  /// Lists the neighbours of every basis site out to shell `n_shells` (may be 0).
  NeighborShells(const Crystal& crystal, int n_shells);

  int n_shells() const { return static_cast<int>(distances_.size()); }
  /// Distance of each shell [Å], size n_shells().
  const std::vector<double>& distances_A() const { return distances_; }
  const std::vector<ShellNeighbor>& neighbors_of(int basis) const { return by_basis_[basis]; }
  /// Shell of the pair (from_basis → to_basis in cell offset n), 0 if beyond the last shell.
  int shell_of(int from_basis, int to_basis, const Eigen::Vector3i& cell_offset) const;

 private:
  std::vector<double> distances_;
  std::vector<std::vector<ShellNeighbor>> by_basis_;
};

}  // namespace ionhop::lattice
