#include "neb/AceRadialBasis.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ionhop::neb {

AceRadialBasis::AceRadialBasis(int size, double inner_A, double cutoff_A, double exponent)
    : size_(size), inner_(inner_A), cutoff_(cutoff_A), exponent_(exponent) {
  if (!(size >= 1 && size <= 32)) throw std::invalid_argument("radial basis: size must be in [1, 32]");
  if (!(exponent >= 0.0 && exponent <= 20.0)) throw std::invalid_argument("radial basis: exponent must be in [0, 20]");
  transform_norm_ = exponent > 0.0 ? 1.0 / -std::expm1(-exponent) : 1.0;
  if (!(inner_A >= 0.0 && inner_A < cutoff_A && std::isfinite(cutoff_A))) {
    throw std::invalid_argument("radial basis: need 0 <= inner_A < cutoff_A");
  }
}

void AceRadialBasis::evaluate(double r_A, double* values) const {
  double d[32];
  evaluate_with_derivative(r_A, values, d);
}

void AceRadialBasis::evaluate_with_derivative(double r_A, double* values, double* derivatives) const {
  const double width = cutoff_ - inner_;
  const double s = (r_A - inner_) / width;
  double x = 2.0 * s - 1.0, dx = 2.0 / width;
  if (exponent_ > 0.0) {
    const double q = exponent_, norm = transform_norm_;
    if (s >= 0.0) {
      const double e = std::exp(-q * s);
      x = 2.0 * (1.0 - e) * norm - 1.0;
      dx = 2.0 * q * e * norm / width;
    } else {
      // Inside r_in: the tangent line (C¹), so the polynomials grow like powers, not exponentials.
      dx = 2.0 * q * norm / width;
      x = -1.0 + dx * (r_A - inner_);
    }
  }
  double fc = 1.0, dfc = 0.0;
  if (s >= 1.0) {
    fc = 0.0;
  } else if (s > 0.0) {
    double sin_ps = 0.0, cos_ps = 0.0;
    ::sincos(std::numbers::pi * s, &sin_ps, &cos_ps);  // one call for both (glibc)
    fc = 0.5 * (1.0 + cos_ps);
    dfc = -0.5 * std::numbers::pi * sin_ps / width;
  }
  // T_n by the three-term recurrence; T_n' = n U_{n−1} with U the second-kind polynomials.
  values[0] = fc;
  derivatives[0] = dfc;
  if (size_ == 1) return;
  values[1] = x * fc;
  derivatives[1] = dx * fc + x * dfc;
  const double dxfc = dx * fc;
  double t_prev = 1.0, t = x, u_prev = 1.0, u = 2.0 * x;  // T_{n−2}, T_{n−1}, U_{n−2}, U_{n−1}
  for (int n = 2; n < size_; ++n) {
    const double t_next = 2.0 * x * t - t_prev;
    t_prev = t;
    t = t_next;
    values[n] = t * fc;
    derivatives[n] = n * u * dxfc + t * dfc;
    const double u_next = 2.0 * x * u - u_prev;
    u_prev = u;
    u = u_next;
  }
}

}  // namespace ionhop::neb
