#pragma once
/// The diffusive slope of an MSD curve: a straight-line fit over a window of lags.
///
/// MSD(τ) = a + b τ is fitted, not MSD(τ)/τ: the intercept a absorbs the short-time,
/// correlated part (back-hops, rattling in a cage) so that b is the long-time slope 2 d D.
#include <span>

#include "bridge/LinearFit.hpp"

namespace ionhop::bridge {

/// Lags used in the fit, as fractions of the largest lag L: k from ⌈from·L⌉ (at least 1) to
/// ⌊to·L⌋. Early lags are dropped (not yet diffusive), late lags may be dropped (few origins).
struct FitWindow {
  double from_lag_fraction = 0.2;
  double to_lag_fraction = 1.0;
};

/// First and last lag index k (1-based, inclusive) of `window` for L lags. Throws
/// EstimationError unless 0 ≤ from < to ≤ 1 and the window holds at least 2 lags.
struct LagRange {
  int first = 1;
  int last = 1;
};
[[nodiscard]] LagRange lag_range(const FitWindow& window, int lags);

/// Ordinary least-squares line through (lag_s[k−1], msd[k−1]) for k in the window
/// (slope in msd-unit/s, intercept in msd-unit). Consecutive MSD points from overlapping time
/// origins are strongly correlated, so the fit's own covariance underestimates the error; the
/// transport estimator takes errors from the spread over independent replicas instead.
[[nodiscard]] LinearFit fit_msd_line(std::span<const double> lag_s, std::span<const double> msd,
                                     const FitWindow& window);

}  // namespace ionhop::bridge
