#pragma once
/// An atomistic periodic structure: cell, species, Cartesian positions, fixed-atom flags.
#include <Eigen/Dense>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace ionhop::lattice {

struct Structure {
  /// Columns are the lattice vectors a, b, c [Å].
  Eigen::Matrix3d cell = Eigen::Matrix3d::Identity();
  /// Periodicity along a, b, c.
  std::array<bool, 3> pbc{true, true, true};
  /// Chemical symbol (or label) of each atom, size N.
  std::vector<std::string> species;
  /// Cartesian positions [Å], 3×N.
  Eigen::Matrix3Xd positions;
  /// Atoms held fixed by optimizers and NEB, size N (empty means none fixed).
  std::vector<char> fixed;

  std::size_t size() const { return species.size(); }
  double volume_A3() const { return std::abs(cell.determinant()); }
  bool is_fixed(std::size_t i) const { return !fixed.empty() && fixed[i] != 0; }
};

}  // namespace ionhop::lattice
