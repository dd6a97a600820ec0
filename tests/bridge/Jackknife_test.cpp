#include "bridge/Jackknife.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "bridge/SampleStatistics.hpp"
#include "DeterministicRandom.hpp"

namespace ionhop::bridge {
namespace {

double mean_of(std::span<const double> x) {
  double s = 0.0;
  for (double v : x) s += v;
  return s / static_cast<double>(x.size());
}

std::vector<double> normal_sample(std::size_t n, std::uint64_t seed) {
  testing::DeterministicRandom rng(seed);
  std::vector<double> x(n);
  for (double& v : x) v = 3.0 + 2.0 * rng.normal();
  return x;
}

// For the sample mean the leave-one-out means are x̄_(i) = x̄ + (x̄ − x_i)/(n − 1), so the
// jackknife variance (n−1)/n Σ(x̄_(i) − x̄)² is exactly s²/n (Efron & Tibshirani 1993, §11.5).
TEST(Jackknife, OfTheMeanEqualsTheClassicalStandardError) {
  for (std::size_t n : {2u, 3u, 8u, 50u}) {
    const std::vector<double> x = normal_sample(n, 17 + n);
    const JackknifeEstimate j = jackknife(x, mean_of);
    EXPECT_NEAR(j.value, mean(x), 1e-15 * std::abs(mean(x)));
    EXPECT_NEAR(j.standard_error, standard_error_of_mean(x), 1e-12 * standard_error_of_mean(x))
        << "n = " << n;
    EXPECT_NEAR(j.bias, 0.0, 1e-12 * standard_error_of_mean(x));
  }
}

// θ = x̄² has E[x̄²] = μ² + σ²/n; its jackknife bias estimate is exactly s²/n.
TEST(Jackknife, BiasOfTheSquaredMeanIsExactlySSquaredOverN) {
  const std::vector<double> x = normal_sample(12, 5);
  const JackknifeEstimate j =
      jackknife(x, [](std::span<const double> s) { return mean_of(s) * mean_of(s); });
  const double s = sample_std(x);
  EXPECT_NEAR(j.bias, s * s / 12.0, 1e-12 * s * s);
  // Delta method: SE(x̄²) ≈ 2|x̄| s/√n. With d_i = x̄_(i) − x̄, θ_(i) − x̄² = 2x̄ d_i + d_i², and the
  // triangle inequality bounds the jackknife's departure by max|d_i|/(2|x̄|) of the delta value.
  const double delta_se = 2.0 * std::abs(mean(x)) * s / std::sqrt(12.0);
  double max_d = 0.0;
  for (double v : x) max_d = std::max(max_d, std::abs(v - mean(x)) / 11.0);
  EXPECT_NEAR(j.standard_error, delta_se, max_d / (2.0 * std::abs(mean(x))) * delta_se + 1e-12);
}

TEST(Jackknife, SingleSampleGivesValueWithNaNError) {
  const std::vector<double> x = {4.0};
  const JackknifeEstimate j = jackknife(x, mean_of);
  EXPECT_DOUBLE_EQ(j.value, 4.0);
  EXPECT_TRUE(std::isnan(j.standard_error));
  EXPECT_THROW((void)jackknife(std::vector<double>{}, mean_of), EstimationError);
}

}  // namespace
}  // namespace ionhop::bridge
