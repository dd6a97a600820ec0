#pragma once
/// Labelling structures with a reference potential: the energy, forces and (where the potential
/// computes a virial) stress that a machine-learned potential is trained on.
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// One labelled frame: energy [eV], forces [eV/Å] and, when potential.capabilities().virial
/// and the structure is periodic along a, b and c, the stress σ = −W/V [eV/Å³] (ASE sign, see
/// lattice/StructureExtxyz.hpp); `config_type` is set unless empty; weight 1. Throws
/// PotentialEvaluationError (from the potential) or std::runtime_error for a non-finite label.
lattice::XyzFrame label_with_reference(const lattice::Structure& s, const Potential& reference,
                                       const std::string& config_type = "");

/// label_with_reference for every structure, in parallel over structures (OpenMP) when the
/// potential is thread-safe; the result does not depend on the thread count.
std::vector<lattice::XyzFrame> label_all_with_reference(const std::vector<lattice::Structure>& structures,
                                                        const Potential& reference, const std::string& config_type = "");

}  // namespace ionhop::neb
