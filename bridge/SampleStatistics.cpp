#include "bridge/SampleStatistics.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {

namespace {
void require_finite_nonempty(std::span<const double> samples) {
  if (samples.empty()) throw EstimationError("statistics of an empty sample are undefined");
  for (std::size_t i = 0; i < samples.size(); ++i)
    if (!std::isfinite(samples[i]))
      throw EstimationError("sample " + std::to_string(i) + " is not finite");
}
}  // namespace

double mean(std::span<const double> samples) {
  require_finite_nonempty(samples);
  double sum = 0.0;
  for (double s : samples) sum += s;
  return sum / static_cast<double>(samples.size());
}

double sample_std(std::span<const double> samples) {
  const double m = mean(samples);
  if (samples.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  // Two-pass formula: the sum of squared deviations does not cancel catastrophically.
  double ss = 0.0;
  for (double s : samples) ss += (s - m) * (s - m);
  return std::sqrt(ss / static_cast<double>(samples.size() - 1));
}

double standard_error_of_mean(std::span<const double> samples) {
  return sample_std(samples) / std::sqrt(static_cast<double>(samples.size()));
}

Estimate mean_with_standard_error(std::span<const double> samples) {
  return {mean(samples), standard_error_of_mean(samples)};
}

}  // namespace ionhop::bridge
