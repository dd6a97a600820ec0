#pragma once
/// Frames and periodic images of an atomistic Structure: Cartesian ↔ fractional coordinates,
/// wrapping, minimum-image displacements that report the integer image shift, supercells.
#include <Eigen/Core>
#include <array>
#include <cstddef>

#include "lattice/Structure.hpp"

namespace ionhop::lattice {

/// A displacement between two atoms (or points) through a definite periodic image:
/// vector_A = r_to + cell · image − r_from.
struct ImageDisplacement {
  Eigen::Vector3d vector_A = Eigen::Vector3d::Zero();  ///< Cartesian displacement [Å]
  Eigen::Vector3i image = Eigen::Vector3i::Zero();      ///< lattice translation applied to `to`
  double distance_A = 0.0;                              ///< |vector_A| [Å]
};

/// Fractional coordinates (3×N) of all atoms: f = cell⁻¹ r.
Eigen::Matrix3Xd fractional_positions(const Structure& s);

/// Sets the Cartesian positions from fractional coordinates (3×N): r = cell f.
void set_fractional_positions(Structure& s, const Eigen::Matrix3Xd& fractional);

/// Wraps every atom into the cell along the periodic axes (fractional coordinate in [0, 1)).
void wrap_positions(Structure& s);

/// Perpendicular widths of the cell [Å]: the distance between opposite faces, V / |a_j × a_k|.
Eigen::Vector3d perpendicular_widths_A(const Eigen::Matrix3d& cell);

/// The shortest displacement from `from` to any periodic image of `to` (Cartesian [Å]).
/// Exact for any cell shape: after rounding in fractional space, every image that could be
/// shorter is searched. Non-periodic axes never get an image shift.
ImageDisplacement minimum_image(const Structure& s, const Eigen::Vector3d& from_A, const Eigen::Vector3d& to_A);

/// Minimum-image displacement from atom i to atom j.
ImageDisplacement minimum_image(const Structure& s, std::size_t i, std::size_t j);

/// The structure repeated na × nb × nc times (atoms ordered cell by cell, a fastest; each copy
/// in the order of `s`). Fixed flags are repeated too.
Structure make_supercell(const Structure& s, const std::array<int, 3>& repeats);

}  // namespace ionhop::lattice
