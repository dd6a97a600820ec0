#pragma once
/// Initial NEB paths: minimum-image unwrapping of the final state and linear interpolation.
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

/// `final_state` with every atom shifted by lattice vectors (along periodic axes of the initial
/// cell) to the image nearest its position in `initial`, so that plain position differences are
/// the physical displacements. Throws std::invalid_argument if the two states differ in atom
/// count, species order or cell (beyond 1e-8 Å).
lattice::Structure unwrap_to(const lattice::Structure& initial, const lattice::Structure& final_state);

/// initial, n_intermediate images on the straight line, final (unwrapped): n_intermediate + 2 structures.
std::vector<lattice::Structure> linear_path(const lattice::Structure& initial, const lattice::Structure& final_state,
                                            int n_intermediate);

/// Cumulative Euclidean distance between consecutive images (all 3N coordinates) [Å], starting at 0.
std::vector<double> reaction_coordinate(const std::vector<lattice::Structure>& band);

}  // namespace ionhop::neb
