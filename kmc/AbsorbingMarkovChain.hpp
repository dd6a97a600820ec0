#pragma once
/// Exact escape from a superbasin treated as an absorbing Markov chain: Monte Carlo with
/// absorbing Markov chains (MCAMC, Novotny, Phys. Rev. Lett. 74, 1 (1995)) / the mean-rate
/// method (Puchala, Falk & Garikipati, J. Chem. Phys. 132, 134104 (2010)).
///
/// The basin's n states are transient, each exit process is an absorbing state. With the
/// generator restricted to the transient states Q (Q_ij = k_ij for i ≠ j, Q_ii = −total out rate
/// of i, exits included) and A = −Q, a walk started in s spends on average
///   τ = A⁻ᵀ e_s            (τ_i: mean time in state i before absorption, s)
/// in the basin, leaves through exit c (from state i_c at rate r_c) with probability
///   p_c = τ_{i_c} r_c,
/// after a mean time Σ_i τ_i. The exit time T is phase-type (e_s, Q): E[Tⁿ] = n! e_sᵀ A⁻ⁿ 1.
///
/// A is an M-matrix; it is factorised by Gaussian elimination in the subtraction-free
/// Grassmann–Taksar–Heyman form (each pivot recomputed as a sum of outgoing rates, Grassmann,
/// Taksar & Heyman, Oper. Res. 33, 1107 (1985); O'Cinneide, Numer. Math. 65, 109 (1993)), so τ,
/// the exit probabilities and the moments are accurate entry by entry even when internal and
/// exit rates differ by 10¹² (where a pivoted LU loses up to cond(A)·ε). The residual and an
/// Eigen LU estimate of the reciprocal condition number are reported beside the solution.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "kmc/Rng.hpp"

namespace ionhop::kmc {

/// A basin that cannot be solved: malformed input (BasinError itself), no exit at all
/// (BasinHasNoExitError), or states from which no exit can be reached (SingularBasinError).
class BasinError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
class BasinHasNoExitError : public BasinError {
 public:
  using BasinError::BasinError;
};
class SingularBasinError : public BasinError {
 public:
  using BasinError::BasinError;
};

/// One absorbing exit process: leaves transient state `from_state` at `rate_per_s` (1/s).
/// `id` is the caller's label (e.g. the hop or the state reached); it is carried through.
struct BasinExit {
  int from_state = 0;
  std::int64_t id = 0;
  double rate_per_s = 0.0;
};

/// n transient states and their exits. rates_per_s is n × n: entry (i, j), i ≠ j, is the rate
/// (1/s) of the in-basin transition i → j; the diagonal must be zero.
struct Basin {
  Eigen::MatrixXd rates_per_s;
  std::vector<BasinExit> exits;
};

/// Everything needed to sample escapes from one start state, plus solution diagnostics.
struct BasinSolution {
  int start_state = 0;
  std::vector<BasinExit> exits;             ///< copy of Basin::exits; indices match below
  std::vector<double> exit_probability;     ///< p_c, one per exit; sums to 1
  std::vector<double> exit_cumulative_probability;  ///< Σ_{c' ≤ c} p_c', for sampling
  Eigen::VectorXd time_in_state_s;          ///< τ_i (s), n entries
  Eigen::VectorXd mean_exit_time_from_s;    ///< m = A⁻¹ 1 (s): mean exit time from each state
  double mean_exit_time_s = 0.0;            ///< E[T] = Σ τ_i (s)
  double second_moment_s2 = 0.0;            ///< E[T²] = 2 τᵀ m (s²)
  double variance_s2 = 0.0;                 ///< E[T²] − E[T]² (s²)
  /// E[T | exit c] (s), one per exit (NaN for an exit of probability 0): E[T; c] =
  /// (A⁻ᵀ τ)_{i_c} r_c. Differs between exits in general: exit and time are correlated.
  std::vector<double> mean_time_given_exit_s;
  /// max over the solves of ‖Ax − b‖₂/‖b‖₂ as computed in double; for ill-conditioned A it is
  /// dominated by the rounding of forming Ax − b itself (≈ ε‖A‖‖x‖/‖b‖).
  double relative_residual = 0.0;
  /// max over the solves of ‖Ax − b‖₂/(‖A‖₂‖x‖₂ + ‖b‖₂) (Frobenius norm for ‖A‖), ≈ ε for a
  /// backward-stable solve whatever the conditioning.
  double normwise_backward_error = 0.0;
  double reciprocal_condition = 0.0;        ///< Eigen PartialPivLU::rcond() of A (1-norm estimate)

  /// Jump tables of the embedded chain (used by the phase-type sampler): state i leaves at
  /// total rate total_rate_per_s[i]; its outcomes are in-basin targets j ≥ 0 or exits −(c + 1),
  /// with cumulative rates for selection.
  std::vector<double> total_rate_per_s;
  std::vector<std::vector<int>> jump_outcome;
  std::vector<std::vector<double>> jump_cumulative_rate_per_s;
};

/// Which law the exit time is drawn from.
enum class ExitTimeLaw {
  /// Exit c with probability p_c and, independently, T ~ Exp(mean E[T]). Exact exit
  /// distribution and exact mean time; not the exact time distribution nor the exit–time
  /// correlation. Cost O(log n_exits) per escape.
  kExponentialMean,
  /// The exact joint law of (exit, T): the embedded jump chain is walked inside the basin with
  /// exponential holding times. Cost proportional to the number of in-basin jumps, i.e. that of
  /// unaccelerated KMC inside the basin; it is the reference the fast law is checked against.
  kPhaseType,
};

/// One sampled escape.
struct BasinEscape {
  int exit_index = 0;            ///< index into BasinSolution::exits
  std::int64_t exit_id = 0;      ///< BasinExit::id of that exit
  int from_state = 0;            ///< transient state the exit leaves from
  double time_s = 0.0;           ///< time spent in the basin (s)
  std::int64_t internal_jumps = 0;  ///< in-basin jumps walked (0 for kExponentialMean)
};

/// Solves the basin for a walk started in transient state start_state.
/// Throws BasinError (bad sizes, negative/non-finite rates, non-zero diagonal, bad indices),
/// BasinHasNoExitError (no exit with positive rate) or SingularBasinError (some state cannot
/// reach an exit, so A is singular).
BasinSolution solve_basin(const Basin& basin, int start_state);

/// Draws the exit taken and the time spent in the basin under `law`.
BasinEscape sample_escape(const BasinSolution& solution, Rng& rng, ExitTimeLaw law);

}  // namespace ionhop::kmc
