#pragma once
/// Prototype lattices by name: simple lattices for validation and the anion frameworks of
/// superionic conductors (Wang et al., Nat. Mater. 14, 1026 (2015)).
#include <string>
#include <string_view>
#include <vector>

#include "lattice/Crystal.hpp"

namespace ionhop::lattice {

/// Builds a prototype. `a_A` is the lattice parameter [Å]; `c_over_a` is used by the hcp
/// prototype only (0 means the ideal √(8/3)). Throws LatticeError for an unknown name.
///
/// Prototypes and their conventions (two-dimensional lattices have c = 10 a, with no hops
/// along c, so the hop network is two-dimensional):
/// - "chain": sites a apart along x (type "A").
/// - "square", "triangular": one site per cell of side a (type "A").
/// - "honeycomb": the triangular cell of side a with two sites; nearest-neighbour distance a/√3.
/// - "sc", "bcc", "fcc", "diamond": conventional cubic cells (1, 2, 4, 8 sites) of side a.
/// - "bcc_anion_T": the 12 tetrahedral interstices (type "T") of a bcc anion lattice of side a.
/// - "fcc_anion_TO": the 8 tetrahedral ("T") and 4 octahedral ("O") interstices of an fcc
///   anion lattice of side a.
/// - "hcp_anion_TO": the 4 tetrahedral ("T") and 2 octahedral ("O") interstices of an hcp anion
///   lattice with basal parameter a and c = (c/a)·a.
Crystal make_prototype(std::string_view name, double a_A, double c_over_a = 0.0);

/// All prototype names, in documentation order.
const std::vector<std::string>& prototype_names();

/// The site-type names a prototype creates, in index order.
std::vector<std::string> prototype_site_types(std::string_view name);

}  // namespace ionhop::lattice
