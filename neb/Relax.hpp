#pragma once
/// Relaxation of atomic positions at fixed cell with a Potential (fixed atoms stay put).
#include <string>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"
#include "neb/RelaxOptimizer.hpp"

namespace ionhop::neb {

struct RelaxParams {
  RelaxMethod method = RelaxMethod::lbfgs;  ///< optimizer
  double fmax_eV_A = 0.01;                  ///< converged when the largest free-atom force is below [eV/Å]
  int max_steps = 1000;                     ///< optimizer step limit
  double max_step_A = 0.2;                  ///< largest atomic displacement per step [Å]
};

/// Why a relaxation stopped.
enum class RelaxStatus { converged, step_limit };
std::string to_string(RelaxStatus s);

struct RelaxResult {
  lattice::Structure structure;  ///< relaxed structure (positions are not wrapped into the cell)
  double energy_eV = 0.0;        ///< energy of `structure`
  double fmax_eV_A = 0.0;        ///< largest free-atom force of `structure`
  int steps = 0;                 ///< optimizer steps
  int force_calls = 0;           ///< Potential::compute calls
  bool converged = false;
  RelaxStatus status = RelaxStatus::step_limit;
};

/// Relaxes the free atoms of `s` with `potential`. Throws std::invalid_argument on bad parameters
/// and RelaxError on non-finite forces. A structure without free atoms returns at once (converged).
RelaxResult relax(const lattice::Structure& s, const Potential& potential, const RelaxParams& params = {});

}  // namespace ionhop::neb
