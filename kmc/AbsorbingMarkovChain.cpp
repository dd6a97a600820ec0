#include "kmc/AbsorbingMarkovChain.hpp"

#include <algorithm>
#include <cmath>

#include <Eigen/LU>

namespace ionhop::kmc {

namespace {

void check_basin(const Basin& basin, int start_state) {
  const Eigen::Index n = basin.rates_per_s.rows();
  if (n < 1 || basin.rates_per_s.cols() != n) {
    throw BasinError("basin: rate matrix must be square with at least one state, got " +
                     std::to_string(basin.rates_per_s.rows()) + " x " +
                     std::to_string(basin.rates_per_s.cols()));
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < n; ++j) {
      const double k = basin.rates_per_s(i, j);
      if (i == j && k != 0.0) {
        throw BasinError("basin: diagonal rate of state " + std::to_string(i) + " must be zero");
      }
      if (!std::isfinite(k) || k < 0.0) {
        throw BasinError("basin: rate " + std::to_string(i) + " -> " + std::to_string(j) +
                         " must be finite and non-negative");
      }
    }
  }
  bool any_exit = false;
  for (const BasinExit& e : basin.exits) {
    if (e.from_state < 0 || e.from_state >= n) {
      throw BasinError("basin: exit " + std::to_string(e.id) + " leaves from state " +
                       std::to_string(e.from_state) + ", outside [0, " + std::to_string(n) + ")");
    }
    if (!std::isfinite(e.rate_per_s) || e.rate_per_s < 0.0) {
      throw BasinError("basin: exit " + std::to_string(e.id) +
                       " rate must be finite and non-negative");
    }
    any_exit = any_exit || e.rate_per_s > 0.0;
  }
  if (!any_exit) throw BasinHasNoExitError("basin: no exit with a positive rate");
  if (start_state < 0 || start_state >= n) {
    throw BasinError("basin: start state " + std::to_string(start_state) + " outside [0, " +
                     std::to_string(n) + ")");
  }
}

/// A = (I − Lneg)(diag(d) − Uneg) with Lneg, Uneg ≥ 0 strictly lower/upper: the LU factors of
/// A = −Q from Gaussian elimination without pivoting in GTH form. Every quantity is a sum of
/// non-negative terms (no cancellation); with non-negative right-hand sides so are the solves.
struct GthFactors {
  Eigen::MatrixXd lower;  ///< Lneg(i, k) = w(i, k)/d_k, i > k
  Eigen::MatrixXd upper;  ///< Uneg(k, j) = w(k, j), j > k
  Eigen::VectorXd pivot;  ///< d_k > 0
};

GthFactors gth_factorise(const Basin& basin) {
  const Eigen::Index n = basin.rates_per_s.rows();
  Eigen::MatrixXd w = basin.rates_per_s;  // current off-diagonal rates of the reduced chain
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);  // current total exit rate of each state
  for (const BasinExit& e : basin.exits) x(e.from_state) += e.rate_per_s;

  GthFactors f{Eigen::MatrixXd::Zero(n, n), Eigen::MatrixXd::Zero(n, n), Eigen::VectorXd::Zero(n)};
  for (Eigen::Index k = 0; k < n; ++k) {
    // GTH: the pivot is the sum of what still leaves k, never a difference. It equals the Schur
    // complement a_kk − Σ a_ki a_ik/a_ii of ordinary elimination.
    double d = x(k);
    for (Eigen::Index j = k + 1; j < n; ++j) d += w(k, j);
    if (!(d > 0.0)) {
      throw SingularBasinError("basin: state " + std::to_string(k) +
                               " (with the states not yet eliminated) cannot reach any exit");
    }
    f.pivot(k) = d;
    for (Eigen::Index j = k + 1; j < n; ++j) f.upper(k, j) = w(k, j);
    for (Eigen::Index i = k + 1; i < n; ++i) {
      const double through_k = w(i, k) / d;  // probability-weighted rerouting via k
      f.lower(i, k) = through_k;
      if (through_k == 0.0) continue;
      for (Eigen::Index j = k + 1; j < n; ++j) {
        if (j != i) w(i, j) += through_k * w(k, j);
      }
      x(i) += through_k * x(k);
    }
  }
  return f;
}

/// Solves A m = b (b ≥ 0).
Eigen::VectorXd solve_a(const GthFactors& f, const Eigen::VectorXd& b) {
  const Eigen::Index n = b.size();
  Eigen::VectorXd y = b;
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index k = 0; k < i; ++k) y(i) += f.lower(i, k) * y(k);
  }
  Eigen::VectorXd m(n);
  for (Eigen::Index i = n - 1; i >= 0; --i) {
    double s = y(i);
    for (Eigen::Index j = i + 1; j < n; ++j) s += f.upper(i, j) * m(j);
    m(i) = s / f.pivot(i);
  }
  return m;
}

/// Solves Aᵀ τ = b (b ≥ 0): Uᵀ z = b, then Lᵀ τ = z.
Eigen::VectorXd solve_a_transposed(const GthFactors& f, const Eigen::VectorXd& b) {
  const Eigen::Index n = b.size();
  Eigen::VectorXd z(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double s = b(i);
    for (Eigen::Index k = 0; k < i; ++k) s += f.upper(k, i) * z(k);
    z(i) = s / f.pivot(i);
  }
  Eigen::VectorXd tau = z;
  for (Eigen::Index i = n - 1; i >= 0; --i) {
    for (Eigen::Index k = i + 1; k < n; ++k) tau(i) += f.lower(k, i) * tau(k);
  }
  return tau;
}

}  // namespace

BasinSolution solve_basin(const Basin& basin, int start_state) {
  check_basin(basin, start_state);
  const Eigen::Index n = basin.rates_per_s.rows();

  // A = −Q, assembled for the residual and the condition estimate.
  Eigen::MatrixXd a = -basin.rates_per_s;
  for (Eigen::Index i = 0; i < n; ++i) a(i, i) = basin.rates_per_s.row(i).sum();
  for (const BasinExit& e : basin.exits) a(e.from_state, e.from_state) += e.rate_per_s;

  const GthFactors f = gth_factorise(basin);
  const Eigen::VectorXd e_start = Eigen::VectorXd::Unit(n, start_state);
  const Eigen::VectorXd ones = Eigen::VectorXd::Ones(n);

  BasinSolution s;
  s.start_state = start_state;
  s.exits = basin.exits;
  s.time_in_state_s = solve_a_transposed(f, e_start);
  s.mean_exit_time_from_s = solve_a(f, ones);
  s.mean_exit_time_s = s.time_in_state_s.sum();
  s.second_moment_s2 = 2.0 * s.time_in_state_s.dot(s.mean_exit_time_from_s);
  s.variance_s2 = s.second_moment_s2 - s.mean_exit_time_s * s.mean_exit_time_s;

  s.exit_probability.reserve(basin.exits.size());
  for (const BasinExit& e : basin.exits) {
    s.exit_probability.push_back(s.time_in_state_s(e.from_state) * e.rate_per_s);
  }
  double cumulative = 0.0;
  for (const double p : s.exit_probability) {
    s.exit_cumulative_probability.push_back(cumulative += p);
  }

  // E[T; exit c] = ∫ t e_sᵀ exp(Qt) r_c e_{i_c} dt = (e_sᵀ A⁻²)_{i_c} r_c = (A⁻ᵀ τ)_{i_c} r_c.
  const Eigen::VectorXd weighted_time = solve_a_transposed(f, s.time_in_state_s);
  for (std::size_t c = 0; c < basin.exits.size(); ++c) {
    const BasinExit& e = basin.exits[c];
    const double p = s.exit_probability[c];
    s.mean_time_given_exit_s.push_back(p > 0.0 ? weighted_time(e.from_state) * e.rate_per_s / p
                                               : std::nan(""));
  }

  const double norm_a = a.norm();
  const auto check = [&](const Eigen::MatrixXd& m, const Eigen::VectorXd& x,
                         const Eigen::VectorXd& b) {
    const double r = (m * x - b).norm();
    s.relative_residual = std::max(s.relative_residual, r / b.norm());
    s.normwise_backward_error =
        std::max(s.normwise_backward_error, r / (norm_a * x.norm() + b.norm()));
  };
  const Eigen::MatrixXd a_transposed = a.transpose();
  check(a_transposed, s.time_in_state_s, e_start);
  check(a, s.mean_exit_time_from_s, ones);
  check(a_transposed, weighted_time, s.time_in_state_s);
  s.reciprocal_condition = Eigen::PartialPivLU<Eigen::MatrixXd>(a).rcond();

  s.total_rate_per_s.assign(static_cast<std::size_t>(n), 0.0);
  s.jump_outcome.resize(static_cast<std::size_t>(n));
  s.jump_cumulative_rate_per_s.resize(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) {
    auto& outcome = s.jump_outcome[static_cast<std::size_t>(i)];
    auto& cumulative = s.jump_cumulative_rate_per_s[static_cast<std::size_t>(i)];
    double sum = 0.0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (basin.rates_per_s(i, j) > 0.0) {
        sum += basin.rates_per_s(i, j);
        outcome.push_back(static_cast<int>(j));
        cumulative.push_back(sum);
      }
    }
    for (std::size_t c = 0; c < basin.exits.size(); ++c) {
      const BasinExit& e = basin.exits[c];
      if (e.from_state == i && e.rate_per_s > 0.0) {
        sum += e.rate_per_s;
        outcome.push_back(-static_cast<int>(c) - 1);
        cumulative.push_back(sum);
      }
    }
    s.total_rate_per_s[static_cast<std::size_t>(i)] = sum;
  }
  return s;
}

namespace {

/// Index of the first cumulative entry exceeding u·total (u ∈ [0, 1)); never past the end.
std::size_t select_cumulative(const std::vector<double>& cumulative, double u) {
  const double target = u * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return std::min(static_cast<std::size_t>(it - cumulative.begin()), cumulative.size() - 1);
}

}  // namespace

BasinEscape sample_escape(const BasinSolution& solution, Rng& rng, ExitTimeLaw law) {
  BasinEscape escape;
  if (law == ExitTimeLaw::kExponentialMean) {
    // Exit and time drawn independently: exact marginals of the exit and exact mean time.
    escape.exit_index =
        static_cast<int>(select_cumulative(solution.exit_cumulative_probability, rng.uniform()));
    escape.time_s = -std::log(rng.uniform_open0()) * solution.mean_exit_time_s;
  } else {
    // Exact joint law: walk the embedded jump chain, holding Exp(total rate) in each state.
    int state = solution.start_state;
    while (true) {
      const auto si = static_cast<std::size_t>(state);
      escape.time_s += -std::log(rng.uniform_open0()) / solution.total_rate_per_s[si];
      const std::size_t pick =
          select_cumulative(solution.jump_cumulative_rate_per_s[si], rng.uniform());
      const int outcome = solution.jump_outcome[si][pick];
      if (outcome < 0) {
        escape.exit_index = -outcome - 1;
        break;
      }
      state = outcome;
      ++escape.internal_jumps;
    }
  }
  const BasinExit& e = solution.exits[static_cast<std::size_t>(escape.exit_index)];
  escape.exit_id = e.id;
  escape.from_state = e.from_state;
  return escape;
}

}  // namespace ionhop::kmc
