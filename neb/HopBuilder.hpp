#pragma once
/// From a relaxed host and a mobile-ion hop to a barrier: build both end states, relax them,
/// check that they stayed on their sites, run CI-NEB.
#include <Eigen/Core>
#include <string>

#include "lattice/Structure.hpp"
#include "neb/Neb.hpp"
#include "neb/Potential.hpp"
#include "neb/Relax.hpp"

namespace ionhop::neb {

/// The two unrelaxed end states of a hop, with the same atoms in the same order.
struct HopEndStates {
  lattice::Structure initial;
  lattice::Structure final_state;
  std::size_t mobile_atom = 0;  ///< index of the hopping ion in both end states
};

/// Vacancy mechanism: the ion on site `vacancy_atom` is removed (that site becomes the vacancy)
/// and the ion `moving_atom` hops into it. Indices refer to `host`; in the end states the atoms
/// after `vacancy_atom` shift down by one. Fixed flags are carried over.
HopEndStates build_vacancy_hop(const lattice::Structure& host, std::size_t moving_atom, std::size_t vacancy_atom);

/// Interstitial mechanism: an ion of `species` is added at from_A (initial) or to_A (final),
/// Cartesian [Å]; it is appended as the last atom and is free to move.
HopEndStates build_interstitial_hop(const lattice::Structure& host, const std::string& species,
                                    const Eigen::Vector3d& from_A, const Eigen::Vector3d& to_A);

struct HopParams {
  RelaxParams relax;               ///< end-state relaxation
  NebParams neb;                   ///< the band
  double site_tolerance_A = 0.5;   ///< an atom that moves further during end-state relaxation has left its site [Å]
};

/// Outcome of the hop calculation, before the band is trusted.
enum class HopStatus {
  ok,                    ///< end states relaxed and on site; the band ran (see neb.status)
  end_state_not_relaxed, ///< an end-state relaxation hit its step limit; no band run
  end_state_left_site,   ///< an atom moved more than site_tolerance_A while relaxing; no band run
};
std::string to_string(HopStatus s);

struct HopResult {
  HopStatus status = HopStatus::ok;
  HopEndStates unrelaxed;
  RelaxResult initial_relaxed;
  RelaxResult final_relaxed;
  double initial_max_displacement_A = 0.0;  ///< largest atomic displacement during the initial relaxation (minimum image)
  double final_max_displacement_A = 0.0;    ///< same for the final state
  NebResult neb;                            ///< valid when status == ok
  /// Energies [eV] of the relaxed end states and the barriers (valid when status == ok and neb converged).
  double energy_initial_eV = 0.0, energy_final_eV = 0.0;
  double barrier_forward_eV = 0.0, barrier_backward_eV = 0.0;
  int force_calls = 0;  ///< relaxations plus band
};

/// Relaxes both end states (fixed atoms respected), checks every atom stayed within
/// site_tolerance_A of its starting position, and runs CI-NEB between the relaxed states.
/// Throws std::invalid_argument if neb.end_state_fmax_eV_A < relax.fmax_eV_A.
HopResult run_hop(const HopEndStates& hop, const Potential& potential, const HopParams& params = {});

}  // namespace ionhop::neb
