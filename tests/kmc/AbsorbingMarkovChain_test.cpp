#include "kmc/AbsorbingMarkovChain.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace ionhop::kmc {
namespace {

constexpr double kEps = 2.220446049250313e-16;

/// Two states A = 0, B = 1 with A → B at k_ab, B → A at k_ba, exit 10 from A at e_a and exit 11
/// from B at e_b.
Basin two_state_basin(double k_ab, double k_ba, double e_a, double e_b) {
  Basin b;
  b.rates_per_s = Eigen::MatrixXd::Zero(2, 2);
  b.rates_per_s(0, 1) = k_ab;
  b.rates_per_s(1, 0) = k_ba;
  b.exits = {{0, 10, e_a}, {1, 11, e_b}};
  return b;
}

/// Closed forms for the two-state basin started in A. With A = −Q = [[k_ab + e_a, −k_ab],
/// [−k_ba, k_ba + e_b]], Aᵀτ = e_A reads
///   (k_ab + e_a) τ_A − k_ba τ_B = 1,   −k_ab τ_A + (k_ba + e_b) τ_B = 0,
/// so τ_B = τ_A k_ab/(k_ba + e_b) and, with D = det A = e_a k_ba + e_b k_ab + e_a e_b,
///   τ_A = (k_ba + e_b)/D,  τ_B = k_ab/D,
///   p_A = e_a (k_ba + e_b)/D,  p_B = e_b k_ab/D,  E[T] = (k_ab + k_ba + e_b)/D.
/// The mean exit times from each state, A m = 1, are
///   m_A = (k_ab + k_ba + e_b)/D,  m_B = (k_ab + k_ba + e_a)/D
/// (substitution: (k_ab + e_a)(k_ab + k_ba + e_b) − k_ab(k_ab + k_ba + e_a) = D), and the
/// phase-type second moment is E[T²] = 2 e_Aᵀ A⁻² 1 = 2 τᵀ m.
struct TwoStateClosedForm {
  double p_a, p_b, mean, second_moment;
};
TwoStateClosedForm two_state_closed_form(double k_ab, double k_ba, double e_a, double e_b) {
  const double d = e_a * k_ba + e_b * k_ab + e_a * e_b;
  const double tau_a = (k_ba + e_b) / d;
  const double tau_b = k_ab / d;
  const double m_a = (k_ab + k_ba + e_b) / d;
  const double m_b = (k_ab + k_ba + e_a) / d;
  return {e_a * tau_a, e_b * tau_b, tau_a + tau_b, 2.0 * (tau_a * m_a + tau_b * m_b)};
}

TEST(AbsorbingMarkovChain, TwoStateBasinMatchesClosedForm) {
  const double k_ab = 3.0, k_ba = 1.0, e_a = 0.5, e_b = 2.0;
  const BasinSolution s = solve_basin(two_state_basin(k_ab, k_ba, e_a, e_b), 0);
  const TwoStateClosedForm c = two_state_closed_form(k_ab, k_ba, e_a, e_b);
  // A few roundings in each closed form and in the elimination: 1e-14 relative.
  EXPECT_NEAR(s.exit_probability[0], c.p_a, 1e-14);
  EXPECT_NEAR(s.exit_probability[1], c.p_b, 1e-14);
  EXPECT_NEAR(s.mean_exit_time_s, c.mean, 1e-14 * c.mean);
  EXPECT_NEAR(s.second_moment_s2, c.second_moment, 1e-14 * c.second_moment);
  EXPECT_LT(s.relative_residual, 1e-12);
  EXPECT_GT(s.reciprocal_condition, 0.05);  // cond₁(A) ≈ 6 for these rates
}

/// Linear chain of m sites, hops Γ₁ between neighbours, exits Γ₂ from both end sites (exit 0
/// from site 0, exit 1 from site m − 1).
Basin chain_basin(int m, double gamma1, double gamma2) {
  Basin b;
  b.rates_per_s = Eigen::MatrixXd::Zero(m, m);
  for (int i = 0; i + 1 < m; ++i) {
    b.rates_per_s(i, i + 1) = gamma1;
    b.rates_per_s(i + 1, i) = gamma1;
  }
  b.exits = {{0, 0, gamma2}, {m - 1, 1, gamma2}};
  return b;
}

/// Chain closed forms. Mean exit time from site i: interior sites obey
/// 2Γ₁ m_i − Γ₁(m_{i−1} + m_{i+1}) = 1, so m_i is quadratic with second difference −1/Γ₁;
/// symmetric about the centre, m_i = C + i(m − 1 − i)/(2Γ₁). The end condition
/// (Γ₁ + Γ₂) m_0 − Γ₁ m_1 = 1 gives C = m/(2Γ₂). Probability h_i of leaving at the right end:
/// harmonic inside (linear, h_i = a + b i), Γ₁(h_1 − h_0) = Γ₂ h_0 at the left end and
/// h_i + h_{m−1−i} = 1 by symmetry give b = 1/(2Γ₁/Γ₂ + m − 1), h_i = (Γ₁/Γ₂ + i) b.
TEST(AbsorbingMarkovChain, LinearChainExitProbabilitiesAndMeanTime) {
  const int m = 7;
  const double gamma1 = 1e6, gamma2 = 1.0;
  const Basin basin = chain_basin(m, gamma1, gamma2);
  for (int start = 0; start < m; ++start) {
    const BasinSolution s = solve_basin(basin, start);
    const double b = 1.0 / (2.0 * gamma1 / gamma2 + m - 1);
    const double right = (gamma1 / gamma2 + start) * b;
    const double mean = m / (2.0 * gamma2) + start * (m - 1 - start) / (2.0 * gamma1);
    EXPECT_NEAR(s.exit_probability[1], right, 1e-13) << "start " << start;
    EXPECT_NEAR(s.exit_probability[0], 1.0 - right, 1e-13) << "start " << start;
    EXPECT_NEAR(s.mean_exit_time_s, mean, 1e-13 * mean) << "start " << start;
  }
  // From the middle site the two ends are equally likely by symmetry.
  const BasinSolution middle = solve_basin(basin, m / 2);
  EXPECT_NEAR(middle.exit_probability[0], 0.5, 1e-14);
  EXPECT_NEAR(middle.exit_probability[1], 0.5, 1e-14);
}

TEST(AbsorbingMarkovChain, WellConditionedChainHasTinyResidual) {
  const BasinSolution s = solve_basin(chain_basin(9, 2.0, 1.0), 4);
  EXPECT_LT(s.relative_residual, 1e-12);
  EXPECT_GT(s.reciprocal_condition, 1e-3);
}

TEST(AbsorbingMarkovChain, SingleStateWithSeveralExitsIsOneExponential) {
  Basin b;
  b.rates_per_s = Eigen::MatrixXd::Zero(1, 1);
  const std::vector<double> r = {1.0, 2.0, 3.0, 4.0};
  for (std::size_t c = 0; c < r.size(); ++c) {
    b.exits.push_back({0, static_cast<std::int64_t>(c), r[c]});
  }
  const BasinSolution s = solve_basin(b, 0);
  for (std::size_t c = 0; c < r.size(); ++c) {
    EXPECT_NEAR(s.exit_probability[c], r[c] / 10.0, 1e-16);
  }
  EXPECT_NEAR(s.mean_exit_time_s, 0.1, 1e-16);
  // One state: T ~ Exp(Σr) exactly, so the variance is the squared mean.
  EXPECT_NEAR(s.variance_s2, 0.01, 1e-16);
  EXPECT_LT(s.relative_residual, 1e-15);
}

/// Exact moments E[Tⁿ] = n! e_sᵀ A⁻ⁿ 1 from a dense inverse (independent of the solver).
std::vector<double> phase_type_moments(const Basin& basin, int start, int up_to) {
  const Eigen::Index n = basin.rates_per_s.rows();
  Eigen::MatrixXd a = -basin.rates_per_s;
  for (Eigen::Index i = 0; i < n; ++i) a(i, i) = basin.rates_per_s.row(i).sum();
  for (const BasinExit& e : basin.exits) a(e.from_state, e.from_state) += e.rate_per_s;
  const Eigen::MatrixXd inv = a.fullPivLu().inverse();
  std::vector<double> moments;
  Eigen::RowVectorXd row = Eigen::RowVectorXd::Unit(n, start);
  double factorial = 1.0;
  for (int k = 1; k <= up_to; ++k) {
    row = row * inv;
    factorial *= k;
    moments.push_back(factorial * row.sum());
  }
  return moments;
}

struct SampleStats {
  std::vector<double> exit_counts;
  std::vector<double> time_sum_by_exit, time2_sum_by_exit;
  double mean = 0.0, variance = 0.0;
  /// Sample mean of T among escapes through exit c, and its standard error.
  double conditional_mean(std::size_t c) const { return time_sum_by_exit[c] / exit_counts[c]; }
  double conditional_se(std::size_t c) const {
    const double m = conditional_mean(c);
    const double n = exit_counts[c];
    return std::sqrt((time2_sum_by_exit[c] / n - m * m) / (n - 1));
  }
};
SampleStats sample(const BasinSolution& s, ExitTimeLaw law, int n, std::uint64_t stream) {
  Rng rng(20261126, stream);
  SampleStats st;
  st.exit_counts.assign(s.exits.size(), 0.0);
  st.time_sum_by_exit.assign(s.exits.size(), 0.0);
  st.time2_sum_by_exit.assign(s.exits.size(), 0.0);
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; ++i) {
    const BasinEscape e = sample_escape(s, rng, law);
    const auto c = static_cast<std::size_t>(e.exit_index);
    st.exit_counts[c] += 1.0;
    st.time_sum_by_exit[c] += e.time_s;
    st.time2_sum_by_exit[c] += e.time_s * e.time_s;
    EXPECT_EQ(e.exit_id, s.exits[static_cast<std::size_t>(e.exit_index)].id);
    sum += e.time_s;
    sum2 += e.time_s * e.time_s;
  }
  st.mean = sum / n;
  st.variance = (sum2 - n * st.mean * st.mean) / (n - 1);
  return st;
}

double chi_square(const std::vector<double>& counts, const std::vector<double>& p, int n) {
  double chi2 = 0.0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const double expected = n * p[c];
    chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
  }
  return chi2;
}

/// Sampling against the exact law for a two-state basin whose exit time is clearly not
/// exponential (variance ≠ mean²). χ² quantiles at 99.9 %: 1 dof 10.83. Means within 4 SE
/// with SE = √(Var T / N); sample variances within 4 SE with Var(s²) ≈ (μ₄ − σ⁴)/N, μ₄ the
/// fourth central moment of the law sampled.
TEST(AbsorbingMarkovChain, SampledExitsAndTimesMatchBothLaws) {
  const Basin basin = two_state_basin(3.0, 0.05, 0.02, 2.0);
  const BasinSolution s = solve_basin(basin, 0);
  const std::vector<double> raw = phase_type_moments(basin, 0, 4);
  ASSERT_NEAR(raw[0], s.mean_exit_time_s, 1e-12 * raw[0]);
  ASSERT_NEAR(raw[1], s.second_moment_s2, 1e-12 * raw[1]);
  const double mu = raw[0];
  const double var_pt = raw[1] - mu * mu;
  const double mu4_pt = raw[3] - 4 * raw[2] * mu + 6 * raw[1] * mu * mu - 3 * mu * mu * mu * mu;
  const int n = 200000;

  const SampleStats pt = sample(s, ExitTimeLaw::kPhaseType, n, 1);
  EXPECT_LT(chi_square(pt.exit_counts, s.exit_probability, n), 10.83);
  EXPECT_NEAR(pt.mean, mu, 4.0 * std::sqrt(var_pt / n));
  const double se_var_pt = std::sqrt((mu4_pt - var_pt * var_pt) / n);
  EXPECT_NEAR(pt.variance, var_pt, 4.0 * se_var_pt);

  const SampleStats ex = sample(s, ExitTimeLaw::kExponentialMean, n, 2);
  EXPECT_LT(chi_square(ex.exit_counts, s.exit_probability, n), 10.83);
  EXPECT_NEAR(ex.mean, mu, 4.0 * std::sqrt(mu * mu / n));
  // Exponential: variance μ², fourth central moment 9μ⁴, so Var(s²) ≈ 8μ⁴/N.
  const double se_var_ex = std::sqrt(8.0 / n) * mu * mu;
  EXPECT_NEAR(ex.variance, mu * mu, 4.0 * se_var_ex);

  // The two laws differ in the variance by far more than the sampling error: the test above
  // would catch a phase-type sampler that was secretly exponential, and vice versa.
  EXPECT_GT(std::abs(var_pt - mu * mu), 20.0 * (se_var_pt + se_var_ex));

  // Exit–time correlation. Exact E[T | exit c] = (e_Aᵀ A⁻²)_{i_c} r_c / p_c. Exit 0 (from A)
  // is mostly taken on the first visit to A, so it comes early; exit 1 needs the trip to B.
  const Eigen::MatrixXd a_inv = [&] {
    Eigen::MatrixXd a(2, 2);
    a << 3.0 + 0.02, -3.0, -0.05, 0.05 + 2.0;
    return Eigen::MatrixXd(a.inverse());
  }();
  const Eigen::RowVectorXd start_row = Eigen::RowVectorXd::Unit(2, 0) * a_inv * a_inv;
  const double given_exit0 = start_row(0) * 0.02 / s.exit_probability[0];
  const double given_exit1 = start_row(1) * 2.0 / s.exit_probability[1];
  EXPECT_NEAR(s.mean_time_given_exit_s[0], given_exit0, 1e-12 * given_exit0);
  EXPECT_NEAR(s.mean_time_given_exit_s[1], given_exit1, 1e-12 * given_exit1);
  for (std::size_t c = 0; c < 2; ++c) {
    // The phase-type sampler reproduces the correlation ...
    EXPECT_NEAR(pt.conditional_mean(c), s.mean_time_given_exit_s[c], 4.0 * pt.conditional_se(c));
    // ... the exponential law draws T independently of the exit.
    EXPECT_NEAR(ex.conditional_mean(c), mu, 4.0 * ex.conditional_se(c));
  }
  EXPECT_GT(given_exit1 - given_exit0, 10.0 * (pt.conditional_se(0) + ex.conditional_se(0)));
}

/// A random 8-state basin (all pairs connected, rates spanning 10⁻³..10³, exits from half the
/// states) agrees with a dense pivoted LU of A to the precision that LU can deliver here.
TEST(AbsorbingMarkovChain, RandomBasinAgreesWithDenseLu) {
  Rng rng(7, 0);
  const int n = 8;
  Basin b;
  b.rates_per_s = Eigen::MatrixXd::Zero(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      if (i != j) b.rates_per_s(i, j) = std::pow(10.0, 6.0 * rng.uniform() - 3.0);
    }
  }
  for (int i = 0; i < n; i += 2) {
    b.exits.push_back({i, i, std::pow(10.0, 2.0 * rng.uniform() - 3.0)});
  }
  Eigen::MatrixXd a = -b.rates_per_s;
  for (int i = 0; i < n; ++i) a(i, i) = b.rates_per_s.row(i).sum();
  for (const BasinExit& e : b.exits) a(e.from_state, e.from_state) += e.rate_per_s;
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(a.transpose());
  for (int start = 0; start < n; ++start) {
    const BasinSolution s = solve_basin(b, start);
    const Eigen::VectorXd tau = lu.solve(Eigen::VectorXd::Unit(n, start));
    // LU forward error ≲ cond(A)·ε; this basin has rcond ≈ 1e-6.
    const double tol = 100.0 * kEps / s.reciprocal_condition;
    double sum = 0.0;
    for (std::size_t c = 0; c < b.exits.size(); ++c) {
      const BasinExit& e = b.exits[c];
      EXPECT_NEAR(s.exit_probability[c], tau(e.from_state) * e.rate_per_s, tol);
      sum += s.exit_probability[c];
    }
    EXPECT_NEAR(sum, 1.0, 8 * n * kEps);
    EXPECT_NEAR(s.mean_exit_time_s, tau.sum(), tol * tau.sum());
    EXPECT_LT(s.normwise_backward_error, 8 * n * kEps);
    EXPECT_GT(s.reciprocal_condition, 1e-9) << "basin unexpectedly ill-conditioned";
  }
}

/// Internal rates 10¹² times the exit rates: cond(A) ≈ 10¹². The subtraction-free elimination
/// still gives exit probabilities that sum to 1 and match the closed form to a few ε.
TEST(AbsorbingMarkovChain, IllConditionedBasinKeepsProbabilitiesExact) {
  const double k = 1e12, e_a = 1.0, e_b = 3.0;
  const BasinSolution s = solve_basin(two_state_basin(k, k, e_a, e_b), 0);
  const TwoStateClosedForm c = two_state_closed_form(k, k, e_a, e_b);
  EXPECT_NEAR(s.exit_probability[0] + s.exit_probability[1], 1.0, 1e-9);
  EXPECT_NEAR(s.exit_probability[0], c.p_a, 16 * kEps);
  EXPECT_NEAR(s.exit_probability[1], c.p_b, 16 * kEps);
  EXPECT_NEAR(s.mean_exit_time_s, c.mean, 16 * kEps * c.mean);
  EXPECT_GT(s.reciprocal_condition, 0.0);
  EXPECT_LT(s.reciprocal_condition, 1e-10);
  // The residual as computed is dominated by forming Ax − b (≈ ε‖A‖‖x‖); the backward error
  // shows the solve itself is stable.
  EXPECT_LT(s.normwise_backward_error, 16 * kEps);
}

TEST(AbsorbingMarkovChain, MalformedBasinsThrowTypedErrors) {
  Basin no_exit = two_state_basin(1.0, 1.0, 0.0, 0.0);
  EXPECT_THROW(solve_basin(no_exit, 0), BasinHasNoExitError);
  no_exit.exits.clear();
  EXPECT_THROW(solve_basin(no_exit, 0), BasinHasNoExitError);

  // States 1 ⇄ 2 form a trap with no way out: A is singular.
  Basin trap;
  trap.rates_per_s = Eigen::MatrixXd::Zero(3, 3);
  trap.rates_per_s(0, 1) = 1.0;
  trap.rates_per_s(1, 2) = 1.0;
  trap.rates_per_s(2, 1) = 1.0;
  trap.exits = {{0, 0, 1.0}};
  EXPECT_THROW(solve_basin(trap, 0), SingularBasinError);

  Basin negative = two_state_basin(-1.0, 1.0, 1.0, 1.0);
  EXPECT_THROW(solve_basin(negative, 0), BasinError);
  EXPECT_THROW(solve_basin(two_state_basin(1.0, 1.0, 1.0, 1.0), 2), BasinError);
  Basin bad_exit = two_state_basin(1.0, 1.0, 1.0, 1.0);
  bad_exit.exits.push_back({5, 3, 1.0});
  EXPECT_THROW(solve_basin(bad_exit, 0), BasinError);
}

}  // namespace
}  // namespace ionhop::kmc

namespace ionhop::kmc {
namespace {

/// Long-time D of a 1D chain of 3-site cages (bonds Γ₁, Γ₁ inside a cage, Γ₂ between cages,
/// spacing a) simulated escape by escape under each law. Exact: D = a²/⟨1/Γ⟩ over the bonds
/// (harmonic mean of bond rates of a 1D chain) = 3a²/(2/Γ₁ + 1/Γ₂). The exit time from a cage
/// is not exponential (checked below), yet both laws give the same D (docs/superbasin.md: at
/// zero drift D depends only on the exit law and the mean exit time). Each walker runs to
/// t_end; its position is the cage entry site of the last escape before t_end (the ion is
/// frozen during an escape; the error is below the cage size, < 1 % of 2Dt here). The
/// estimator D = mean(x²)/(2 t_end) over W walkers has its SE from the sample spread.
TEST(AbsorbingMarkovChain, LongTimeDiffusionIsTheSameForBothLaws) {
  const double gamma1 = 1.0, gamma2 = 5.0, a = 1.0, t_end = 150.0;
  const int walkers = 10000;
  const double d_exact = 3.0 * a * a / (2.0 / gamma1 + 1.0 / gamma2);
  Basin cage;
  cage.rates_per_s = Eigen::MatrixXd::Zero(3, 3);
  cage.rates_per_s(0, 1) = cage.rates_per_s(1, 0) = gamma1;
  cage.rates_per_s(1, 2) = cage.rates_per_s(2, 1) = gamma1;
  cage.exits = {{0, -1, gamma2}, {2, +1, gamma2}};  // id: cage step
  const BasinSolution from_left = solve_basin(cage, 0);
  const BasinSolution from_right = solve_basin(cage, 2);
  const double mean = from_left.mean_exit_time_s;
  EXPECT_GT(std::abs(from_left.variance_s2 - mean * mean), 0.1 * mean * mean);

  for (const ExitTimeLaw law : {ExitTimeLaw::kExponentialMean, ExitTimeLaw::kPhaseType}) {
    Rng rng(99, law == ExitTimeLaw::kPhaseType ? 1 : 0);
    double sum = 0.0, sum2 = 0.0;
    for (int w = 0; w < walkers; ++w) {
      std::int64_t cell = 0;
      int site = 0;
      double t = 0.0;
      while (true) {
        const BasinEscape e = sample_escape(site == 0 ? from_left : from_right, rng, law);
        t += e.time_s;
        if (t > t_end) break;
        cell += e.exit_id;
        site = e.exit_id > 0 ? 0 : 2;  // enter the next cage at its near end
      }
      const double x = (3.0 * static_cast<double>(cell) + site) * a;
      const double d = x * x / (2.0 * t_end);
      sum += d;
      sum2 += d * d;
    }
    const double d_mean = sum / walkers;
    const double se = std::sqrt((sum2 / walkers - d_mean * d_mean) / (walkers - 1));
    EXPECT_NEAR(d_mean, d_exact, 4.0 * se) << (law == ExitTimeLaw::kPhaseType ? "phase-type" : "exp");
    EXPECT_LT(se, 0.02 * d_exact);
  }
}

}  // namespace
}  // namespace ionhop::kmc
