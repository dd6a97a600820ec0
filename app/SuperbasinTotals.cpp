#include "app/SuperbasinTotals.hpp"

#include <limits>

namespace ionhop::app {

SuperbasinTotals superbasin_totals(const kmc::TemperatureResult& result) {
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  SuperbasinTotals totals;
  for (const auto& r : result.replicas) {
    totals.stats.merge(r.superbasin);
    totals.simulated_time_s += r.simulated_time_s;
    totals.wall_s += r.wall_s;
  }
  // Both rates are per thread: each replica runs on one thread, and so does the plain pilot.
  totals.accelerated_time_per_wall_s = totals.wall_s > 0 ? totals.simulated_time_s / totals.wall_s : kNan;
  totals.plain_time_per_wall_s = result.plain_time_per_wall_s > 0 ? result.plain_time_per_wall_s : kNan;
  totals.acceleration = totals.accelerated_time_per_wall_s / totals.plain_time_per_wall_s;
  return totals;
}

}  // namespace ionhop::app
