#include "bridge/TransportEstimator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "bridge/EstimationError.hpp"
#include "DeterministicRandom.hpp"

namespace ionhop::bridge {
namespace {

constexpr double kE_C = 1.602176634e-19;
constexpr double kB_J = 1.380649e-23;
// k_B[eV/K]·e agrees with k_B[J/K] to 1e-10 relative (CODATA rounding): the tolerance of
// every conductivity comparison against the SI hand calculation below.
constexpr double kUnitsTolerance = 1e-9;

/// σ [S/cm] = N z² e² D /(V k_B T), evaluated in SI by hand (D in Å²/s, V in Å³).
double hand_sigma_S_cm(double N, double z, double D_A2_s, double V_A3, double T) {
  return N * z * z * kE_C * kE_C * (D_A2_s * 1e-20) / (V_A3 * 1e-30 * kB_J * T) / 100.0;
}

constexpr int kLags = 50;
constexpr double kDt_s = 2e-9;

std::vector<double> lags() {
  std::vector<double> t;
  for (int k = 1; k <= kLags; ++k) t.push_back(k * kDt_s);
  return t;
}

/// MSD = a + bτ in the fit window (k ≥ 10 for from = 0.2), plus a short-time excess below it
/// that a fit over all lags would turn into a wrong slope.
std::vector<double> msd_curve(double intercept, double slope) {
  std::vector<double> m;
  for (int k = 1; k <= kLags; ++k) {
    const double tau = k * kDt_s;
    m.push_back(intercept + slope * tau + (k < 10 ? 3.0 * slope * tau : 0.0));
  }
  return m;
}

ReplicaMsd one_species_replica(double N, double z, double tracer_slope, double collective_slope) {
  ReplicaMsd r;
  r.species.push_back({"Li", static_cast<int>(z), static_cast<long long>(N),
                       msd_curve(1.7, tracer_slope), msd_curve(0.4, collective_slope)});
  r.charge_e2A2 = msd_curve(0.4 * z * z, z * z * collective_slope);
  return r;
}

TEST(TransportEstimator, KnownSlopesGiveExactCoefficientsAndReplicaErrors) {
  const double N = 20, z = 1, d = 3, V = 8000.0, T = 600.0;
  // Per replica slopes [Å²/s]: tracer b_t, collective b_c.
  const double bt[2] = {6.0e8, 5.4e8};
  const double bc[2] = {N * 8.0e8, N * 9.5e8};
  TemperatureMsd msd{T, V, 3, lags(), {}};
  for (int r = 0; r < 2; ++r) msd.replicas.push_back(one_species_replica(N, z, bt[r], bc[r]));

  const TemperatureTransport out = estimate_transport(msd, FitWindow{});
  ASSERT_EQ(out.species.size(), 1u);
  EXPECT_EQ(out.replicas, 2);
  EXPECT_EQ(out.fit_lags.first, 10);
  EXPECT_EQ(out.fit_lags.last, 50);
  const SpeciesTransport& li = out.species[0];

  // D* = b_t/(2d), D_σ = b_c/(2dN), in cm²/s (1 Å² = 1e-16 cm²); SE of a 2-replica mean is
  // |x₁ − x₂|/2.
  const double Dt[2] = {bt[0] / (2 * d), bt[1] / (2 * d)};
  const double Ds[2] = {bc[0] / (2 * d * N), bc[1] / (2 * d * N)};
  const double rel = 1e-10;  // straight-line fits of exact data
  EXPECT_NEAR(li.D_tracer_cm2_s.value, 1e-16 * (Dt[0] + Dt[1]) / 2, rel * 1e-16 * Dt[0]);
  EXPECT_NEAR(li.D_tracer_cm2_s.standard_error, 1e-16 * std::abs(Dt[0] - Dt[1]) / 2,
              rel * 1e-16 * Dt[0]);
  EXPECT_NEAR(li.D_sigma_cm2_s.value, 1e-16 * (Ds[0] + Ds[1]) / 2, rel * 1e-16 * Ds[0]);
  EXPECT_NEAR(li.D_sigma_cm2_s.standard_error, 1e-16 * std::abs(Ds[0] - Ds[1]) / 2,
              rel * 1e-16 * Ds[0]);

  // Haven ratio of replica means; its 2-sample jackknife SE is |θ_(1) − θ_(2)|/2 where θ_(i)
  // is the ratio of the other replica.
  const double H = (Dt[0] + Dt[1]) / (Ds[0] + Ds[1]);
  EXPECT_NEAR(li.haven_ratio.value, H, rel * H);
  EXPECT_NEAR(li.haven_ratio.standard_error, std::abs(Dt[1] / Ds[1] - Dt[0] / Ds[0]) / 2, rel * H);

  const double sigma[2] = {hand_sigma_S_cm(N, z, Ds[0], V, T), hand_sigma_S_cm(N, z, Ds[1], V, T)};
  const double sigma_mean = (sigma[0] + sigma[1]) / 2;
  EXPECT_NEAR(li.sigma_S_cm.value, sigma_mean, kUnitsTolerance * sigma_mean);
  EXPECT_NEAR(li.sigma_S_cm.standard_error, std::abs(sigma[0] - sigma[1]) / 2,
              kUnitsTolerance * sigma_mean);
  const double sigma_NE = hand_sigma_S_cm(N, z, (Dt[0] + Dt[1]) / 2, V, T);
  EXPECT_NEAR(li.sigma_NE_S_cm.value, sigma_NE, kUnitsTolerance * sigma_NE);

  // One species: the charge MSD is z² times the collective MSD, so σ_total = σ_species.
  EXPECT_NEAR(out.sigma_total_S_cm.value, sigma_mean, kUnitsTolerance * sigma_mean);
  EXPECT_NEAR(out.sigma_total_S_cm.standard_error, li.sigma_S_cm.standard_error,
              kUnitsTolerance * sigma_mean);
  EXPECT_NEAR(out.haven_ratio_total.value, H, 1e-9 * H);

  // The fitted lines are kept: intercept and slope of replica 0's tracer curve.
  EXPECT_NEAR(out.replica_fits[0].tracer[0].slope, bt[0], rel * bt[0]);
  EXPECT_NEAR(out.replica_fits[0].tracer[0].intercept, 1.7, 1e-6);
}

TEST(TransportEstimator, TwoSpeciesUseTheChargeMsdForTheTotal) {
  // Li⁺ (N = 10) and Mg²⁺ (N = 5) on a 2D network, three replicas; the charge MSD carries a
  // cross-correlation the species curves do not see.
  const double V = 3000.0, T = 500.0, d = 2;
  const double bt_li[3] = {4e8, 4.4e8, 3.9e8}, bt_mg[3] = {1e7, 1.3e7, 0.8e7};
  const double bc_li[3] = {10 * 3e8, 10 * 3.3e8, 10 * 2.8e8}, bc_mg[3] = {5 * 2e7, 5 * 1.5e7, 5 * 2.2e7};
  const double bq[3] = {3.5e9, 3.3e9, 3.2e9};
  TemperatureMsd msd{T, V, 2, lags(), {}};
  for (int r = 0; r < 3; ++r) {
    ReplicaMsd rep;
    rep.species.push_back({"Li", 1, 10, msd_curve(1.0, bt_li[r]), msd_curve(2.0, bc_li[r])});
    rep.species.push_back({"Mg", 2, 5, msd_curve(0.5, bt_mg[r]), msd_curve(0.3, bc_mg[r])});
    rep.charge_e2A2 = msd_curve(3.0, bq[r]);
    msd.replicas.push_back(rep);
  }
  const TemperatureTransport out = estimate_transport(msd, FitWindow{0.3, 0.9});
  EXPECT_EQ(out.fit_lags.first, 15);
  EXPECT_EQ(out.fit_lags.last, 45);

  // σ_total = b_q e²/(2 d V k_B T) = hand_sigma with N z² D → b_q/(2d); classical SE of 3.
  double s[3];
  for (int r = 0; r < 3; ++r) s[r] = hand_sigma_S_cm(1, 1, bq[r] / (2 * d), V, T);
  const double m = (s[0] + s[1] + s[2]) / 3;
  const double se = std::sqrt(((s[0] - m) * (s[0] - m) + (s[1] - m) * (s[1] - m) +
                               (s[2] - m) * (s[2] - m)) / 2.0 / 3.0);
  EXPECT_NEAR(out.sigma_total_S_cm.value, m, kUnitsTolerance * m);
  EXPECT_NEAR(out.sigma_total_S_cm.standard_error, se, kUnitsTolerance * m);

  const double Dli = (bt_li[0] + bt_li[1] + bt_li[2]) / 3 / (2 * d);
  const double Dmg = (bt_mg[0] + bt_mg[1] + bt_mg[2]) / 3 / (2 * d);
  const double ne = hand_sigma_S_cm(10, 1, Dli, V, T) + hand_sigma_S_cm(5, 2, Dmg, V, T);
  EXPECT_NEAR(out.sigma_NE_total_S_cm.value, ne, kUnitsTolerance * ne);
  EXPECT_NEAR(out.haven_ratio_total.value, ne / m, 1e-9 * ne / m);
  // z² enters the species conductivity: Mg's σ uses 4·N·D_σ.
  const double Ds_mg = (bc_mg[0] + bc_mg[1] + bc_mg[2]) / 3 / (2 * d * 5);
  const double sigma_mg = hand_sigma_S_cm(5, 2, Ds_mg, V, T);
  EXPECT_NEAR(out.species[1].sigma_S_cm.value, sigma_mg, kUnitsTolerance * sigma_mg);
}

TEST(TransportEstimator, SingleReplicaGivesValuesWithNaNErrors) {
  TemperatureMsd msd{300.0, 1000.0, 3, lags(), {one_species_replica(8, 1, 6e8, 8 * 6e8)}};
  const TemperatureTransport out = estimate_transport(msd, FitWindow{});
  EXPECT_NEAR(out.species[0].D_tracer_cm2_s.value, 1e-8, 1e-18);
  EXPECT_NEAR(out.species[0].haven_ratio.value, 1.0, 1e-10);
  EXPECT_TRUE(std::isnan(out.species[0].D_tracer_cm2_s.standard_error));
  EXPECT_TRUE(std::isnan(out.species[0].haven_ratio.standard_error));
  EXPECT_TRUE(std::isnan(out.sigma_total_S_cm.standard_error));
}

TEST(TransportEstimator, UnresolvedCollectiveMotionGivesNaNHavenRatio) {
  TemperatureMsd msd{300.0, 1000.0, 3, lags(),
                     {one_species_replica(8, 1, 6e8, -1e8), one_species_replica(8, 1, 6e8, -2e8)}};
  const TemperatureTransport out = estimate_transport(msd, FitWindow{});
  EXPECT_TRUE(std::isnan(out.species[0].haven_ratio.value));
  EXPECT_LT(out.species[0].sigma_S_cm.value, 0.0);  // reported as measured, not hidden
}

TEST(TransportEstimator, InconsistentInputThrows) {
  const ReplicaMsd good = one_species_replica(8, 1, 6e8, 6e8);
  const auto expect_throw = [](TemperatureMsd msd, FitWindow w = {}) {
    EXPECT_THROW((void)estimate_transport(msd, w), EstimationError);
  };
  expect_throw({300.0, 1000.0, 3, lags(), {}});                     // no replicas
  expect_throw({0.0, 1000.0, 3, lags(), {good}});                   // T = 0
  expect_throw({300.0, -1.0, 3, lags(), {good}});                   // V < 0
  expect_throw({300.0, 1000.0, 4, lags(), {good}});                 // d = 4
  expect_throw({300.0, 1000.0, 3, lags(), {good}}, FitWindow{0.5, 0.5});
  expect_throw({300.0, 1000.0, 3, lags(), {good}}, FitWindow{0.99, 1.0});  // one lag only
  std::vector<double> bad_lags = lags();
  bad_lags[5] = bad_lags[4];
  expect_throw({300.0, 1000.0, 3, bad_lags, {good}});               // not increasing
  ReplicaMsd other_count = good;
  other_count.species[0].count = 9;
  expect_throw({300.0, 1000.0, 3, lags(), {good, other_count}});
  ReplicaMsd short_curve = good;
  short_curve.species[0].tracer_A2.pop_back();
  expect_throw({300.0, 1000.0, 3, lags(), {good, short_curve}});
  ReplicaMsd nan_charge = good;
  nan_charge.charge_e2A2[20] = std::nan("");
  expect_throw({300.0, 1000.0, 3, lags(), {nan_charge}});
}

/// MSD over all time origins of a discrete trajectory, lags 1..max_lag (in steps).
void add_msd(const std::vector<double>& x, int steps, int max_lag, std::vector<double>& msd) {
  for (int k = 1; k <= max_lag; ++k) {
    double s = 0.0;
    for (int t0 = 0; t0 + k <= steps; ++t0) {
      const double dx = x[t0 + k] - x[t0];
      s += dx * dx;
    }
    msd[k - 1] += s / (steps - k + 1);
  }
}

// End to end on real trajectories: N independent Brownian walkers in 3D (Gaussian steps of
// variance 2DΔt per axis) have D* = D_σ = D and H_R = 1 exactly (VALIDATION.md item 3 at
// c → 0). The estimates must contain the truth within 5 of their own standard errors
// (Student t with R − 1 = 7 dof: two-sided probability of a larger deviation ≈ 0.2 %).
TEST(TransportEstimator, BrownianWalkersGiveTheirDiffusionCoefficientWithinErrors) {
  constexpr int R = 8, N = 12, steps = 1500, L = 40;
  const double D = 2.5e7, dt = 1e-10;  // Å²/s, s
  testing::DeterministicRandom rng(8675309);
  TemperatureMsd msd{800.0, 4000.0, 3, {}, {}};
  for (int k = 1; k <= L; ++k) msd.lag_s.push_back(k * dt);
  for (int r = 0; r < R; ++r) {
    SpeciesMsd sp{"Na", 1, N, std::vector<double>(L, 0.0), std::vector<double>(L, 0.0)};
    std::vector<std::vector<double>> com(3, std::vector<double>(steps + 1, 0.0));
    for (int i = 0; i < N; ++i)
      for (int axis = 0; axis < 3; ++axis) {
        std::vector<double> x(steps + 1, 0.0);
        for (int t = 1; t <= steps; ++t) x[t] = x[t - 1] + std::sqrt(2 * D * dt) * rng.normal();
        add_msd(x, steps, L, sp.tracer_A2);
        for (int t = 0; t <= steps; ++t) com[axis][t] += x[t];
      }
    for (double& v : sp.tracer_A2) v /= N;
    for (int axis = 0; axis < 3; ++axis) add_msd(com[axis], steps, L, sp.collective_A2);
    msd.replicas.push_back({{sp}, sp.collective_A2});
  }
  const TemperatureTransport out = estimate_transport(msd, FitWindow{0.2, 1.0});
  const SpeciesTransport& na = out.species[0];
  const double D_cm2_s = D * 1e-16;
  EXPECT_NEAR(na.D_tracer_cm2_s.value, D_cm2_s, 5 * na.D_tracer_cm2_s.standard_error);
  EXPECT_NEAR(na.D_sigma_cm2_s.value, D_cm2_s, 5 * na.D_sigma_cm2_s.standard_error);
  EXPECT_NEAR(na.haven_ratio.value, 1.0, 5 * na.haven_ratio.standard_error);
  // The collective MSD of N walkers is noisier than the ion-averaged tracer MSD.
  EXPECT_GT(na.D_sigma_cm2_s.relative_error(), na.D_tracer_cm2_s.relative_error());
}

}  // namespace
}  // namespace ionhop::bridge
