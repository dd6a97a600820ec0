#include "bridge/MsdSlope.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {

LagRange lag_range(const FitWindow& window, int lags) {
  const double from = window.from_lag_fraction;
  const double to = window.to_lag_fraction;
  if (!(from >= 0.0 && from < to && to <= 1.0))
    throw EstimationError("MSD fit window must satisfy 0 <= from < to <= 1, got from = " +
                          std::to_string(from) + ", to = " + std::to_string(to));
  // A small relative slack keeps fractions such as 0.2·50 = 10.000000000000002 on the integer.
  constexpr double slack = 1e-9;
  LagRange range;
  range.first = std::max(1, static_cast<int>(std::ceil(from * lags * (1.0 - slack))));
  range.last = static_cast<int>(std::floor(to * lags * (1.0 + slack)));
  range.last = std::min(range.last, lags);
  if (range.last - range.first + 1 < 2)
    throw EstimationError("MSD fit window [" + std::to_string(from) + ", " + std::to_string(to) +
                          "] of " + std::to_string(lags) +
                          " lags holds fewer than 2 lags; widen it or record more lags");
  return range;
}

LinearFit fit_msd_line(std::span<const double> lag_s, std::span<const double> msd,
                       const FitWindow& window) {
  if (lag_s.size() != msd.size())
    throw EstimationError("MSD curve has " + std::to_string(msd.size()) + " points for " +
                          std::to_string(lag_s.size()) + " lags");
  const LagRange range = lag_range(window, static_cast<int>(lag_s.size()));
  const auto offset = static_cast<std::size_t>(range.first - 1);
  const auto count = static_cast<std::size_t>(range.last - range.first + 1);
  return fit_line(lag_s.subspan(offset, count), msd.subspan(offset, count));
}

}  // namespace ionhop::bridge
