#include "bridge/ArrheniusFit.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bridge/EstimationError.hpp"
#include "bridge/LinearFit.hpp"
#include "bridge/SampleStatistics.hpp"
#include "DeterministicRandom.hpp"
#include "lattice/Units.hpp"

namespace ionhop::bridge {
namespace {

constexpr double kB = units::kBoltzmann_eV_per_K;

std::vector<double> temperatures() {
  std::vector<double> T;
  for (double t = 400.0; t <= 750.0; t += 50.0) T.push_back(t);  // 8 points
  return T;
}

TEST(ArrheniusFit, ExactSigmaTDataRecoversBarrierPrefactorAndExtrapolation) {
  const double Ea = 0.37, A = 3.1e4;  // eV, S K/cm
  std::vector<Estimate> sigma;
  for (double T : temperatures()) {
    const double s = A * std::exp(-Ea / (kB * T)) / T;
    sigma.push_back({s, 0.02 * s});
  }
  const ArrheniusFit fit = fit_arrhenius_sigmaT(temperatures(), sigma);
  EXPECT_NEAR(fit.Ea_eV, Ea, 1e-10 * Ea);
  EXPECT_NEAR(std::exp(fit.ln_prefactor), A, 1e-10 * A);
  EXPECT_EQ(fit.points, 8);
  EXPECT_NEAR(fit.chi2_per_dof, 0.0, 1e-18);
  EXPECT_EQ(fit.error_scale, 1.0);
  const double sigma300 = A * std::exp(-Ea / (kB * 300.0)) / 300.0;
  const Estimate e = fit.extrapolate(300.0);
  EXPECT_NEAR(e.value, sigma300, 1e-10 * sigma300);
  EXPECT_GT(e.standard_error, 0.0);
}

TEST(ArrheniusFit, ExactDiffusivityDataRecoversBarrierAndPrefactor) {
  const double Ea = 0.8, D0 = 2.0e-3;  // eV, cm²/s (a multivalent barrier)
  std::vector<Estimate> D;
  for (double T : temperatures()) D.push_back({D0 * std::exp(-Ea / (kB * T)), 0.0});
  for (std::size_t i = 0; i < D.size(); ++i) D[i].standard_error = (0.01 + 0.005 * i) * D[i].value;
  const ArrheniusFit fit = fit_arrhenius_D(temperatures(), D);
  EXPECT_NEAR(fit.Ea_eV, Ea, 1e-10 * Ea);
  EXPECT_NEAR(std::exp(fit.ln_prefactor), D0, 1e-10 * D0);
  const double D300 = D0 * std::exp(-Ea / (kB * 300.0));
  EXPECT_NEAR(fit.extrapolate(300.0).value, D300, 1e-9 * D300);
}

/// E[√max(1, X)] and E[max(1, X)] for X = χ²_ν/ν, by Simpson quadrature of the χ² density
/// (ν ≥ 3 so the density is bounded). Used to predict the mean error inflation of the fit.
struct InflationMoments {
  double mean_scale = 0.0;
  double mean_scale_squared = 0.0;
};
InflationMoments chi2_inflation_moments(int nu) {
  const double log_norm = -0.5 * nu * std::log(2.0) - std::lgamma(0.5 * nu);
  const auto density = [&](double y) {
    return y <= 0.0 ? 0.0 : std::exp(log_norm + (0.5 * nu - 1.0) * std::log(y) - 0.5 * y);
  };
  const int intervals = 200000;  // even
  const double upper = 40.0 * nu, h = upper / intervals;
  InflationMoments m;
  for (int i = 0; i <= intervals; ++i) {
    const double y = i * h;
    const double w = (i == 0 || i == intervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    const double x = std::max(1.0, y / nu);
    m.mean_scale += w * std::sqrt(x) * density(y);
    m.mean_scale_squared += w * x * density(y);
  }
  m.mean_scale *= h / 3.0;
  m.mean_scale_squared *= h / 3.0;
  return m;
}

// Monte Carlo calibration on 4000 synthetic data sets with log-normal noise of known relative
// error ε_i (so ln σT has Gaussian noise of standard deviation ε_i, the fit's model):
//  * the scatter of E_a, ln A and ln σ(300 K) equals the un-inflated standard errors;
//  * the mean reduced χ² is 1;
//  * the reported (inflated by √max(1, χ²/ν)) E_a error exceeds the scatter by the predicted factor.
// The sample std of M normal values has relative SE 1/√(2(M−1)); tolerances are 5 such SEs.
TEST(ArrheniusFit, ReportedErrorsMatchTheScatterOfSyntheticDataSets) {
  constexpr int sets = 4000;
  const double Ea = 0.42, A = 5.0e4;
  const std::vector<double> T = temperatures();
  const int nu = static_cast<int>(T.size()) - 2;
  testing::DeterministicRandom rng(31337);
  std::vector<double> ea, ln_a, ln_s300, reported_ea_se, scale;
  double unscaled_ea_se = 0.0, unscaled_ln_a_se = 0.0, unscaled_ln_s300_se = 0.0, mean_chi2 = 0.0;
  for (int m = 0; m < sets; ++m) {
    std::vector<Estimate> sigma;
    for (std::size_t i = 0; i < T.size(); ++i) {
      const double eps = 0.03 + 0.01 * i;
      const double v = A * std::exp(-Ea / (kB * T[i])) / T[i] * std::exp(eps * rng.normal());
      sigma.push_back({v, eps * v});
    }
    const ArrheniusFit fit = fit_arrhenius_sigmaT(T, sigma);
    ea.push_back(fit.Ea_eV);
    ln_a.push_back(fit.ln_prefactor);
    const Estimate s300 = fit.extrapolate(300.0);
    ln_s300.push_back(std::log(s300.value));
    reported_ea_se.push_back(fit.Ea_stderr_eV);
    scale.push_back(fit.error_scale);
    // The un-inflated errors depend only on ε_i and T_i, so they are the same in every set.
    unscaled_ea_se = fit.Ea_stderr_eV / fit.error_scale;
    unscaled_ln_a_se = fit.ln_prefactor_stderr / fit.error_scale;
    unscaled_ln_s300_se = s300.standard_error / s300.value / fit.error_scale;
    mean_chi2 += fit.chi2_per_dof / sets;
    EXPECT_NEAR(fit.error_scale, std::sqrt(std::max(1.0, fit.chi2_per_dof)), 1e-14);
  }
  const double tol = 5.0 / std::sqrt(2.0 * (sets - 1));
  EXPECT_NEAR(sample_std(ea) / unscaled_ea_se, 1.0, tol);
  EXPECT_NEAR(sample_std(ln_a) / unscaled_ln_a_se, 1.0, tol);
  EXPECT_NEAR(sample_std(ln_s300) / unscaled_ln_s300_se, 1.0, tol);
  EXPECT_NEAR(mean(ea), Ea, 5.0 * unscaled_ea_se / std::sqrt(sets));
  EXPECT_NEAR(mean_chi2, 1.0, 5.0 * std::sqrt(2.0 / nu / sets));

  const InflationMoments inflation = chi2_inflation_moments(nu);
  const double scale_var = inflation.mean_scale_squared - inflation.mean_scale * inflation.mean_scale;
  EXPECT_NEAR(mean(scale), inflation.mean_scale, 5.0 * std::sqrt(scale_var / sets));
  EXPECT_NEAR(mean(reported_ea_se) / sample_std(ea), inflation.mean_scale,
              inflation.mean_scale * tol + 5.0 * std::sqrt(scale_var / sets));
}

// With scatter far beyond the error bars the errors are inflated by √(χ²/ν) exactly.
TEST(ArrheniusFit, OverdispersedDataInflateTheErrorsByTheBirgeRatio) {
  const std::vector<double> T = {400, 500, 600, 700, 800};
  const double wiggle[5] = {0.3, -0.2, 0.25, -0.35, 0.1};
  std::vector<Estimate> D;
  std::vector<double> x, y, sy;
  for (int i = 0; i < 5; ++i) {
    const double v = 1e-3 * std::exp(-0.5 / (kB * T[i]) + wiggle[i]);
    D.push_back({v, 0.01 * v});
    x.push_back(1.0 / T[i]);
    y.push_back(std::log(v));
    sy.push_back(0.01);
  }
  const ArrheniusFit fit = fit_arrhenius_D(T, D);
  const LinearFit line = fit_line_weighted(x, y, sy);
  ASSERT_GT(line.chi2_per_dof(), 1.0);
  EXPECT_NEAR(fit.chi2_per_dof, line.chi2_per_dof(), 1e-12 * line.chi2_per_dof());
  EXPECT_NEAR(fit.Ea_stderr_eV, kB * std::sqrt(line.var_slope * line.chi2_per_dof()),
              1e-12 * fit.Ea_stderr_eV);
  EXPECT_NEAR(fit.cov_ln_prefactor_Ea_eV, -kB * line.cov_intercept_slope * line.chi2_per_dof(),
              1e-12 * std::abs(fit.cov_ln_prefactor_Ea_eV));
}

TEST(ArrheniusFit, UnusableInputThrows) {
  const std::vector<double> T = {400, 500, 600};
  const auto throws = [](std::vector<double> t, std::vector<Estimate> v) {
    EXPECT_THROW((void)fit_arrhenius_sigmaT(t, v), EstimationError);
    EXPECT_THROW((void)fit_arrhenius_D(t, v), EstimationError);
  };
  throws(T, {{1e-3, 1e-4}, {2e-3, 1e-4}});                       // size mismatch
  throws({400}, {{1e-3, 1e-4}});                                 // one point
  throws(T, {{1e-3, 1e-4}, {-2e-3, 1e-4}, {3e-3, 1e-4}});        // negative value
  throws(T, {{1e-3, 1e-4}, {0.0, 1e-4}, {3e-3, 1e-4}});          // zero value
  throws(T, {{1e-3, 1e-4}, {2e-3, 0.0}, {3e-3, 1e-4}});          // zero SE
  throws(T, {{1e-3, 1e-4}, {2e-3, std::nan("")}, {3e-3, 1e-4}}); // single replica: NaN SE
  throws({500, 500, 500}, {{1e-3, 1e-4}, {2e-3, 1e-4}, {3e-3, 1e-4}});  // one temperature
  throws({400, -500, 600}, {{1e-3, 1e-4}, {2e-3, 1e-4}, {3e-3, 1e-4}}); // T < 0
  const ArrheniusFit fit = fit_arrhenius_D(T, {{1e-3, 1e-4}, {2e-3, 1e-4}, {3e-3, 1e-4}});
  EXPECT_THROW((void)fit.extrapolate(0.0), EstimationError);
}

}  // namespace
}  // namespace ionhop::bridge
