#include "bridge/LinearFit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "bridge/EstimationError.hpp"

namespace ionhop::bridge {

namespace {

void check_inputs(std::span<const double> x, std::span<const double> y) {
  if (x.size() != y.size())
    throw EstimationError("line fit: " + std::to_string(x.size()) + " x values but " +
                          std::to_string(y.size()) + " y values");
  if (x.size() < 2)
    throw EstimationError("line fit needs at least 2 points, got " + std::to_string(x.size()));
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]))
      throw EstimationError("line fit: point " + std::to_string(i) + " is not finite");
}

/// Solves the weighted problem for weights w_i (not necessarily normalised). The design is
/// centred at the weighted mean of x, which makes XᵀWX diagonal in exact arithmetic and keeps the
/// solve well conditioned when x spans a narrow range far from zero (x = 1/T in Arrhenius fits).
/// Returns the fit with covariance (XᵀWX)⁻¹.
LinearFit solve_weighted(std::span<const double> x, std::span<const double> y,
                         const Eigen::VectorXd& w) {
  const Eigen::Index n = static_cast<Eigen::Index>(x.size());
  const Eigen::Map<const Eigen::VectorXd> xv(x.data(), n);
  const Eigen::Map<const Eigen::VectorXd> yv(y.data(), n);
  const double x_centre = w.dot(xv) / w.sum();

  Eigen::MatrixXd design(n, 2);
  design.col(0).setOnes();
  design.col(1) = xv.array() - x_centre;
  const double x_spread = design.col(1).cwiseAbs().maxCoeff();
  if (!(x_spread > 0.0) || x_spread <= 1e-12 * std::max(std::abs(x_centre), 1e-300))
    throw EstimationError("line fit needs at least two distinct x values");

  const Eigen::VectorXd sqrt_w = w.cwiseSqrt();
  const Eigen::MatrixXd a = sqrt_w.asDiagonal() * design;
  const Eigen::VectorXd b = sqrt_w.cwiseProduct(yv);
  // Householder QR of the weighted design: the normal equations are never formed for the
  // solution, so its condition number is that of X, not X squared.
  const Eigen::Vector2d centred = a.colPivHouseholderQr().solve(b);
  const Eigen::Matrix2d centred_cov = (a.transpose() * a).inverse();

  // Back to the uncentred intercept: intercept = α − β·x̄, slope = β, Cov = J Cov_c Jᵀ.
  Eigen::Matrix2d jacobian;
  jacobian << 1.0, -x_centre, 0.0, 1.0;
  const Eigen::Matrix2d cov = jacobian * centred_cov * jacobian.transpose();

  LinearFit fit;
  fit.intercept = centred(0) - centred(1) * x_centre;
  fit.slope = centred(1);
  fit.var_intercept = cov(0, 0);
  fit.var_slope = cov(1, 1);
  fit.cov_intercept_slope = cov(0, 1);
  const Eigen::VectorXd residual = b - a * centred;
  fit.chi2 = residual.squaredNorm();
  fit.points = static_cast<int>(n);
  fit.degrees_of_freedom = static_cast<int>(n) - 2;
  return fit;
}

}  // namespace

Estimate LinearFit::intercept_estimate() const { return {intercept, std::sqrt(var_intercept)}; }

Estimate LinearFit::slope_estimate() const { return {slope, std::sqrt(var_slope)}; }

double LinearFit::chi2_per_dof() const {
  return degrees_of_freedom > 0 ? chi2 / degrees_of_freedom
                                : std::numeric_limits<double>::quiet_NaN();
}

Estimate LinearFit::evaluate(double x) const {
  const double variance = var_intercept + 2.0 * x * cov_intercept_slope + x * x * var_slope;
  return {intercept + slope * x, std::sqrt(std::max(variance, 0.0))};
}

LinearFit fit_line(std::span<const double> x, std::span<const double> y) {
  check_inputs(x, y);
  LinearFit fit = solve_weighted(x, y, Eigen::VectorXd::Ones(static_cast<Eigen::Index>(x.size())));
  // Unit weights give (XᵀX)⁻¹; scale by the unbiased residual variance.
  const double residual_variance = fit.degrees_of_freedom > 0
                                       ? fit.chi2 / fit.degrees_of_freedom
                                       : std::numeric_limits<double>::quiet_NaN();
  fit.var_intercept *= residual_variance;
  fit.var_slope *= residual_variance;
  fit.cov_intercept_slope *= residual_variance;
  return fit;
}

LinearFit fit_line_weighted(std::span<const double> x, std::span<const double> y,
                            std::span<const double> sigma_y) {
  check_inputs(x, y);
  if (sigma_y.size() != x.size())
    throw EstimationError("weighted line fit: " + std::to_string(sigma_y.size()) +
                          " standard deviations for " + std::to_string(x.size()) + " points");
  Eigen::VectorXd w(static_cast<Eigen::Index>(x.size()));
  for (std::size_t i = 0; i < sigma_y.size(); ++i) {
    if (!(std::isfinite(sigma_y[i]) && sigma_y[i] > 0.0))
      throw EstimationError("weighted line fit: standard deviation of point " + std::to_string(i) +
                            " is " + std::to_string(sigma_y[i]) + ", must be finite and > 0");
    w(static_cast<Eigen::Index>(i)) = 1.0 / (sigma_y[i] * sigma_y[i]);
  }
  return solve_weighted(x, y, w);
}

}  // namespace ionhop::bridge
