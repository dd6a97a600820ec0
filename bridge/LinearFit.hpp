#pragma once
/// Least-squares straight line y = intercept + slope·x with the parameter covariance.
#include <span>

#include "bridge/Estimate.hpp"

namespace ionhop::bridge {

/// A fitted line and the covariance of its two parameters (units: those of y, y/x).
struct LinearFit {
  double intercept = 0.0;
  double slope = 0.0;
  double var_intercept = 0.0;            ///< Var(intercept)
  double var_slope = 0.0;                ///< Var(slope)
  double cov_intercept_slope = 0.0;      ///< Cov(intercept, slope)
  double chi2 = 0.0;                     ///< weighted: Σ((y − fit)/σ_y)²; ordinary: Σ(y − fit)²
  int points = 0;
  int degrees_of_freedom = 0;            ///< points − 2

  [[nodiscard]] Estimate intercept_estimate() const;
  [[nodiscard]] Estimate slope_estimate() const;
  /// chi2 / degrees_of_freedom (NaN when degrees_of_freedom = 0).
  [[nodiscard]] double chi2_per_dof() const;
  /// The line at x with the error propagated through the full covariance.
  [[nodiscard]] Estimate evaluate(double x) const;
};

/// Ordinary least squares. The covariance is s²(XᵀX)⁻¹ with the residual variance
/// s² = Σ r²/(n − 2), i.e. it assumes independent residuals of equal variance; it is NaN for
/// exactly two points. Needs ≥ 2 points with at least two distinct x; throws EstimationError
/// otherwise or on non-finite input.
[[nodiscard]] LinearFit fit_line(std::span<const double> x, std::span<const double> y);

/// Weighted least squares with known absolute standard deviations σ_y (weights 1/σ_y²).
/// The covariance is (XᵀWX)⁻¹, not rescaled by χ²: callers decide whether to inflate it.
/// Every σ_y must be finite and > 0.
[[nodiscard]] LinearFit fit_line_weighted(std::span<const double> x, std::span<const double> y,
                                          std::span<const double> sigma_y);

}  // namespace ionhop::bridge
