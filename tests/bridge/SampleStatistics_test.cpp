#include "bridge/SampleStatistics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {
namespace {

TEST(SampleStatistics, MeanStdAndStandardErrorOfASmallSample) {
  // {2, 4, 4, 4, 5, 5, 7, 9}: mean 5, Σ(x − x̄)² = 32, s = √(32/7).
  const std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(mean(x), 5.0);
  EXPECT_DOUBLE_EQ(sample_std(x), std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(standard_error_of_mean(x), std::sqrt(32.0 / 7.0) / std::sqrt(8.0));
  const Estimate e = mean_with_standard_error(x);
  EXPECT_DOUBLE_EQ(e.value, 5.0);
  EXPECT_DOUBLE_EQ(e.standard_error, std::sqrt(32.0 / 56.0));
}

TEST(SampleStatistics, SingleSampleHasNoEstimableSpread) {
  const std::vector<double> x = {3.5};
  EXPECT_DOUBLE_EQ(mean(x), 3.5);
  EXPECT_TRUE(std::isnan(sample_std(x)));
  EXPECT_TRUE(std::isnan(mean_with_standard_error(x).standard_error));
}

TEST(SampleStatistics, EmptyOrNonFiniteSamplesThrow) {
  EXPECT_THROW((void)mean(std::vector<double>{}), EstimationError);
  EXPECT_THROW((void)sample_std(std::vector<double>{1.0, std::numeric_limits<double>::infinity()}),
               EstimationError);
}

}  // namespace
}  // namespace ionhop::bridge
