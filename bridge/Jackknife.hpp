#pragma once
/// Delete-one jackknife standard error of any statistic of independent samples
/// (Efron & Tibshirani, "An Introduction to the Bootstrap", ch. 11).
///
/// Used for quantities that are non-linear in the per-replica data, such as the Haven ratio
/// D*/D_σ formed from replica means. For the mean itself the jackknife standard error equals
/// the classical s/√n exactly.
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {

/// Result of a delete-one jackknife over n samples.
struct JackknifeEstimate {
  double value = std::numeric_limits<double>::quiet_NaN();  ///< θ̂ = statistic(all samples)
  /// √((n−1)/n · Σ_i (θ̂_(i) − θ̄_(.))²); NaN when n = 1 or a leave-one-out value is NaN.
  double standard_error = std::numeric_limits<double>::quiet_NaN();
  /// (n−1)(θ̄_(.) − θ̂): the O(1/n) bias estimate. Reported, not subtracted from `value`:
  /// bias-corrected estimators trade a small bias for a larger variance.
  double bias = std::numeric_limits<double>::quiet_NaN();
};

/// Delete-one jackknife of `statistic`, a callable taking std::span<const Sample> and returning
/// double. It is evaluated once on all n samples and once on each of the n subsets with one
/// sample left out. Throws EstimationError when `samples` is empty.
template <class Sample, class Statistic>
  requires std::invocable<Statistic&, std::span<const Sample>>
[[nodiscard]] JackknifeEstimate jackknife(std::span<const Sample> samples, Statistic&& statistic) {
  const std::size_t n = samples.size();
  if (n == 0) throw EstimationError("jackknife of an empty sample is undefined");
  JackknifeEstimate result;
  result.value = static_cast<double>(statistic(samples));
  if (n == 1) return result;

  std::vector<double> leave_one_out(n);
  std::vector<Sample> subset;
  subset.reserve(n - 1);
  for (std::size_t left_out = 0; left_out < n; ++left_out) {
    subset.clear();
    for (std::size_t i = 0; i < n; ++i)
      if (i != left_out) subset.push_back(samples[i]);
    leave_one_out[left_out] =
        static_cast<double>(statistic(std::span<const Sample>(subset.data(), subset.size())));
  }
  double average = 0.0;
  for (double t : leave_one_out) average += t;
  average /= static_cast<double>(n);
  double ss = 0.0;
  for (double t : leave_one_out) ss += (t - average) * (t - average);
  const double nd = static_cast<double>(n);
  result.standard_error = std::sqrt((nd - 1.0) / nd * ss);
  result.bias = (nd - 1.0) * (average - result.value);
  return result;
}

/// Convenience overload for a std::vector of samples.
template <class Sample, class Statistic>
  requires std::invocable<Statistic&, std::span<const Sample>>
[[nodiscard]] JackknifeEstimate jackknife(const std::vector<Sample>& samples,
                                          Statistic&& statistic) {
  return jackknife(std::span<const Sample>(samples.data(), samples.size()),
                   std::forward<Statistic>(statistic));
}

}  // namespace ionhop::bridge
