#pragma once
/// What the superbasin acceleration did at one temperature, over all its replicas: the results
/// file's `superbasin` group and the run summary both report these numbers.
#include "kmc/SuperbasinOptions.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::app {

struct SuperbasinTotals {
  kmc::SuperbasinStats stats;               ///< every replica's counters merged (summed)
  double simulated_time_s = 0.0;            ///< Σ replica production time [s]
  double wall_s = 0.0;                      ///< Σ replica wall time (equilibration included) [s]
  /// Σ simulated time / Σ wall time of the accelerated replicas [s/s]; NaN without wall time.
  double accelerated_time_per_wall_s = 0.0;
  /// The plain-KMC pilot's simulated time per wall second [s/s]; NaN if not measured.
  double plain_time_per_wall_s = 0.0;
  /// accelerated / plain [–]; NaN if either is unknown.
  double acceleration = 0.0;
};

SuperbasinTotals superbasin_totals(const kmc::TemperatureResult& result);

}  // namespace ionhop::app
