#pragma once
/// Rate scaling of quasi-equilibrated fast hops, for many interacting ions (after the
/// accelerated superbasin KMC of Chatterjee & Voter, J. Chem. Phys. 132, 194101 (2010)).
///
/// Fast hops (kmc/FastHops: the barrier criterion) only shuffle ions inside their basins; once
/// they are many times faster than every slow hop, the slow hops see the basins' local
/// equilibrium whatever the fast rates are. Their attempt frequencies are therefore lowered, per
/// hop class (a hop and its reverse alike, so detailed balance and equilibrium are kept), until
/// the slower direction of each fast class is min_rate_ratio times the fastest escape (a slow
/// hop out of a site that fast hops leave) — never
/// raised. The bias this leaves is of order 1/min_rate_ratio and is measured by the tests and
/// reported in docs/superbasin.md; it is not zero. Rates are from site-type energies at T
/// (interactions, disorder and regions ignored when choosing the factors).
#include <vector>

#include "kmc/Model.hpp"
#include "kmc/SuperbasinOptions.hpp"

namespace ionhop::kmc {

struct RateScalingPlan {
  std::vector<double> class_scale;     ///< per hop class, ≤ 1
  std::vector<double> template_scale;  ///< per hop template (that of its class)
  /// Fastest escape at T: a slow hop leaving a site that fast hops leave too [1/s] (0: none).
  double slow_rate_per_s = 0.0;
};

/// The factors for a model at temperature T. All 1 when no hop is fast or nothing is slow.
RateScalingPlan plan_rate_scaling(const Model& model, double temperature_K, const SuperbasinOptions& options);

}  // namespace ionhop::kmc
