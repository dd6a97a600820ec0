#include "bridge/MsdSlope.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {
namespace {

TEST(MsdSlope, LagRangeRoundsFractionsOfTheLargestLag) {
  EXPECT_EQ(lag_range(FitWindow{0.2, 1.0}, 50).first, 10);
  EXPECT_EQ(lag_range(FitWindow{0.2, 1.0}, 50).last, 50);
  EXPECT_EQ(lag_range(FitWindow{0.0, 1.0}, 7).first, 1);  // lag 0 does not exist
  EXPECT_EQ(lag_range(FitWindow{0.25, 0.75}, 10).first, 3);  // ⌈2.5⌉
  EXPECT_EQ(lag_range(FitWindow{0.25, 0.75}, 10).last, 7);   // ⌊7.5⌋
  // 0.1·30 = 3.0000000000000004 in binary: still lag 3, not 4.
  EXPECT_EQ(lag_range(FitWindow{0.1, 0.7}, 30).first, 3);
  EXPECT_EQ(lag_range(FitWindow{0.1, 0.7}, 30).last, 21);
  EXPECT_THROW((void)lag_range(FitWindow{-0.1, 1.0}, 10), EstimationError);
  EXPECT_THROW((void)lag_range(FitWindow{0.2, 1.1}, 10), EstimationError);
  EXPECT_THROW((void)lag_range(FitWindow{0.95, 1.0}, 10), EstimationError);  // lag 10 only
}

// The short-time excess (fast back-hops) below the window must not bias the slope; a fit of
// MSD/τ at any single lag would.
TEST(MsdSlope, FitUsesOnlyTheWindowAndKeepsTheIntercept) {
  std::vector<double> lag, msd;
  for (int k = 1; k <= 20; ++k) {
    lag.push_back(0.5 * k);
    msd.push_back(4.0 + 3.0 * lag.back() + (k <= 4 ? 100.0 : 0.0));
  }
  const LinearFit fit = fit_msd_line(lag, msd, FitWindow{0.25, 1.0});  // lags 5..20
  EXPECT_NEAR(fit.slope, 3.0, 1e-12);
  EXPECT_NEAR(fit.intercept, 4.0, 1e-11);
  EXPECT_EQ(fit.points, 16);
  EXPECT_THROW((void)fit_msd_line(lag, std::vector<double>(19, 1.0), FitWindow{}), EstimationError);
}

}  // namespace
}  // namespace ionhop::bridge
