#pragma once
/// A value with its standard error, the currency of every bridge result.
#include <cmath>
#include <limits>

namespace ionhop::bridge {

/// `value` ± `standard_error` (one standard deviation of the estimator, same unit as value).
/// A NaN standard error means "not estimable from the data given", e.g. a single replica.
struct Estimate {
  double value = std::numeric_limits<double>::quiet_NaN();
  double standard_error = std::numeric_limits<double>::quiet_NaN();

  /// standard_error / |value| (NaN when the value is zero or either is NaN).
  [[nodiscard]] double relative_error() const {
    return value == 0.0 ? std::numeric_limits<double>::quiet_NaN()
                        : standard_error / std::abs(value);
  }
};

}  // namespace ionhop::bridge
