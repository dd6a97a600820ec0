#include "bridge/LinearFit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bridge/EstimationError.hpp"
#include "bridge/SampleStatistics.hpp"
#include "DeterministicRandom.hpp"

namespace ionhop::bridge {
namespace {

TEST(LinearFit, RecoversSlopeAndInterceptOfExactData) {
  std::vector<double> x, y;
  for (int i = 0; i < 7; ++i) {
    x.push_back(0.5 + 0.75 * i);
    y.push_back(-3.25 + 1.875 * x.back());
  }
  const LinearFit fit = fit_line(x, y);
  EXPECT_NEAR(fit.slope, 1.875, 1e-13);
  EXPECT_NEAR(fit.intercept, -3.25, 1e-13);
  EXPECT_NEAR(fit.chi2, 0.0, 1e-24);
  EXPECT_EQ(fit.points, 7);
  EXPECT_EQ(fit.degrees_of_freedom, 5);
}

// Arrhenius-like abscissa: x = 1/T spans a narrow range far from zero. Exact data must still be
// recovered to near machine precision (the fit centres x before solving).
TEST(LinearFit, ExactDataOnANarrowFarAbscissa) {
  std::vector<double> x, y, sy;
  for (double T = 500.0; T <= 520.0; T += 2.0) {
    x.push_back(1.0 / T);
    y.push_back(12.5 - 4321.0 * x.back());
    sy.push_back(0.01);
  }
  const LinearFit fit = fit_line_weighted(x, y, sy);
  EXPECT_NEAR(fit.slope, -4321.0, 4321.0 * 1e-10);
  EXPECT_NEAR(fit.intercept, 12.5, 12.5 * 1e-10);
}

// With known σ_y the weighted covariance is exact: for equal σ, Var(slope) = σ²/Σ(x − x̄)²,
// Var(intercept) = σ² Σx²/(n Σ(x − x̄)²), Cov = −σ² x̄/Σ(x − x̄)² (any regression text).
TEST(LinearFit, WeightedCovarianceMatchesClosedForm) {
  const std::vector<double> x = {1, 2, 4, 7, 11};
  const std::vector<double> y = {0.3, 1.1, 2.0, 3.9, 6.2};
  const double s = 0.2;
  const std::vector<double> sy(x.size(), s);
  const LinearFit fit = fit_line_weighted(x, y, sy);
  const double n = 5.0, xbar = 5.0, sxx = 16 + 9 + 1 + 4 + 36, sum_x2 = 1 + 4 + 16 + 49 + 121;
  EXPECT_NEAR(fit.var_slope, s * s / sxx, 1e-15);
  EXPECT_NEAR(fit.var_intercept, s * s * sum_x2 / (n * sxx), 1e-15);
  EXPECT_NEAR(fit.cov_intercept_slope, -s * s * xbar / sxx, 1e-15);
  // evaluate() propagates the full covariance: at x̄ the variance is σ²/n.
  EXPECT_NEAR(fit.evaluate(xbar).standard_error, s / std::sqrt(n), 1e-14);
}

// Monte Carlo: the spread of fitted slopes over many synthetic data sets with i.i.d. Gaussian
// noise must equal the reported standard error. The sample std of M normal values has relative
// SE 1/√(2(M−1)); the root-mean of M reported variances (each s²·c with s² ~ σ²χ²_ν/ν) has
// relative SE 1/√(2νM). We allow 5 combined standard errors.
TEST(LinearFit, OrdinaryStandardErrorMatchesMonteCarloScatter) {
  constexpr int sets = 2000;
  constexpr int n = 20;
  const double sigma = 0.3;
  testing::DeterministicRandom rng(20240601);
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = 1.0 + i;
  std::vector<double> slopes, intercepts;
  double mean_var_slope = 0.0, mean_var_intercept = 0.0;
  for (int m = 0; m < sets; ++m) {
    std::vector<double> y(n);
    for (int i = 0; i < n; ++i) y[i] = 2.0 + 0.5 * x[i] + sigma * rng.normal();
    const LinearFit fit = fit_line(x, y);
    slopes.push_back(fit.slope);
    intercepts.push_back(fit.intercept);
    mean_var_slope += fit.var_slope / sets;
    mean_var_intercept += fit.var_intercept / sets;
  }
  const double nu = n - 2;
  const double tolerance = 5.0 * std::sqrt(1.0 / (2.0 * (sets - 1)) + 1.0 / (2.0 * nu * sets));
  EXPECT_NEAR(sample_std(slopes) / std::sqrt(mean_var_slope), 1.0, tolerance);
  EXPECT_NEAR(sample_std(intercepts) / std::sqrt(mean_var_intercept), 1.0, tolerance);
  // Unbiasedness of the estimator itself: mean slope within 5 SE of the truth.
  EXPECT_NEAR(mean(slopes), 0.5, 5.0 * std::sqrt(mean_var_slope / sets));
}

TEST(LinearFit, WeightedStandardErrorMatchesMonteCarloScatter) {
  constexpr int sets = 2000;
  constexpr int n = 12;
  testing::DeterministicRandom rng(99);
  std::vector<double> x(n), sy(n);
  for (int i = 0; i < n; ++i) {
    x[i] = 0.1 * i;
    sy[i] = 0.05 + 0.02 * i;  // heteroscedastic: weights matter
  }
  std::vector<double> slopes;
  double reported = 0.0;
  for (int m = 0; m < sets; ++m) {
    std::vector<double> y(n);
    for (int i = 0; i < n; ++i) y[i] = -1.0 + 3.0 * x[i] + sy[i] * rng.normal();
    const LinearFit fit = fit_line_weighted(x, y, sy);
    slopes.push_back(fit.slope);
    reported = std::sqrt(fit.var_slope);  // deterministic for fixed σ_y
  }
  EXPECT_NEAR(sample_std(slopes) / reported, 1.0, 5.0 / std::sqrt(2.0 * (sets - 1)));
}

TEST(LinearFit, DegenerateInputsThrowOrGiveNaNErrors) {
  EXPECT_THROW((void)fit_line(std::vector<double>{1.0, 1.0, 1.0}, std::vector<double>{1, 2, 3}),
               EstimationError);
  EXPECT_THROW((void)fit_line(std::vector<double>{1.0}, std::vector<double>{1.0}), EstimationError);
  EXPECT_THROW((void)fit_line(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0}),
               EstimationError);
  EXPECT_THROW((void)fit_line_weighted(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0, 2.0},
                                       std::vector<double>{0.1, 0.0}),
               EstimationError);
  // Two points fit exactly; an ordinary fit has no residual to estimate the noise from.
  const LinearFit two = fit_line(std::vector<double>{1.0, 3.0}, std::vector<double>{2.0, 6.0});
  EXPECT_NEAR(two.slope, 2.0, 1e-14);
  EXPECT_TRUE(std::isnan(two.var_slope));
  EXPECT_TRUE(std::isnan(two.chi2_per_dof()));
}

}  // namespace
}  // namespace ionhop::bridge
