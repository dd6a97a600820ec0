#pragma once
/// Space-group operations of a crystal of typed sites, found by brute force over the lattice's
/// point group (integer matrices that preserve the metric) and basis-matching translations.
#include <Eigen/Dense>
#include <vector>

#include "lattice/Crystal.hpp"

namespace ionhop::lattice {

/// x' = W x + t in fractional coordinates.
struct SymmetryOperation {
  Eigen::Matrix3i rotation;
  Eigen::Vector3d translation;
};

/// Where an operation sends a basis site: onto basis site `basis` in the cell `cell_shift`.
struct SiteImage {
  int basis = -1;
  Eigen::Vector3i cell_shift = Eigen::Vector3i::Zero();
};

/// All operations mapping the crystal (with its site types) onto itself. Always contains the
/// identity. `tolerance` is in fractional units.
std::vector<SymmetryOperation> find_space_group(const Crystal& crystal, double tolerance = 1e-5);

/// The image of the point `fractional` under `op`, located as a basis site (basis = -1 if the
/// image is not a site of the same type).
SiteImage apply_to_site(const Crystal& crystal, const SymmetryOperation& op,
                        const Eigen::Vector3d& fractional, int type, double tolerance = 1e-5);

}  // namespace ionhop::lattice
