#pragma once
/// Maps between a Structure's positions and the flat vector of its free (not fixed) coordinates.
#include <Eigen/Core>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

/// Indices of the atoms an optimizer may move (fixed flags excluded), ascending.
std::vector<Eigen::Index> free_atom_indices(const lattice::Structure& s);

/// Flat vector (x₀,y₀,z₀,x₁,…) of the columns `atoms` of a 3×N matrix, size 3·atoms.size().
Eigen::VectorXd gather_atoms(const Eigen::Matrix3Xd& m, const std::vector<Eigen::Index>& atoms);

/// Writes the flat vector v back into the columns `atoms` of m (other columns untouched).
void scatter_atoms(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& atoms, Eigen::Matrix3Xd& m);

}  // namespace ionhop::neb
