#pragma once
/// Enumeration of site pairs of a periodic crystal within a radius, and distance shells.
#include <Eigen/Dense>
#include <vector>

#include "lattice/Crystal.hpp"

namespace ionhop::lattice {

/// The pair from basis site `from_basis` in cell 0 to basis site `to_basis` in cell `cell_offset`.
struct SitePair {
  int from_basis = 0;
  int to_basis = 0;
  Eigen::Vector3i cell_offset = Eigen::Vector3i::Zero();
  Eigen::Vector3d vector_A = Eigen::Vector3d::Zero();  ///< Cartesian from → to [Å]
  double distance_A = 0.0;
};

/// Every pair with 0 < distance ≤ radius_A, from every basis site, sorted by
/// (from_basis, distance, to_basis, offset).
std::vector<SitePair> enumerate_site_pairs(const Crystal& crystal, double radius_A);

/// Distinct values of `distances` (sorted ascending), merging values closer than `tolerance_A`.
std::vector<double> distinct_distances(std::vector<double> distances, double tolerance_A = 1e-4);

/// Tolerance used to decide that two site–site distances belong to one shell [Å].
inline constexpr double kShellTolerance_A = 1e-4;

}  // namespace ionhop::lattice
