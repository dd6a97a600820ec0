// The Chebyshev radial basis with its cosine cutoff: closed forms, derivatives against central
// differences, and the smooth cutoff (value and slope vanish at r_c).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "neb/AceRadialBasis.hpp"

namespace ionhop::neb {
namespace {

TEST(AceRadialBasis, ChebyshevTimesCosineCutoff) {
  const AceRadialBasis basis(6, 1.0, 5.0);
  std::vector<double> v(6);
  const double r = 2.3;
  basis.evaluate(r, v.data());
  const double s = (r - 1.0) / 4.0, x = 2.0 * s - 1.0;
  const double fc = 0.5 * (1.0 + std::cos(std::numbers::pi * s));
  for (int n = 0; n < 6; ++n) EXPECT_NEAR(v[n], std::cos(n * std::acos(x)) * fc, 1e-14) << n;
  // Inside r_in: x < −1 continues the polynomials, the cutoff function is 1; T_n(−1) = (−1)^n.
  basis.evaluate(1.0, v.data());
  for (int n = 0; n < 6; ++n) EXPECT_NEAR(v[n], n % 2 == 0 ? 1.0 : -1.0, 1e-14);
}

TEST(AceRadialBasis, DerivativesMatchCentralDifferences) {
  const AceRadialBasis basis(12, 0.5, 6.0);
  std::vector<double> v(12), d(12), vp(12), vm(12), unused(12);
  const double h = 1e-5;
  for (double r : {0.3, 0.9, 2.0, 3.7, 5.2, 5.99}) {
    basis.evaluate_with_derivative(r, v.data(), d.data());
    basis.evaluate(r + h, vp.data());
    basis.evaluate(r - h, vm.data());
    for (int n = 0; n < 12; ++n) {
      // |T_n'''| ≤ n⁶-ish on the scaled axis: truncation below 1e-7 for n ≤ 11, h = 1e-5.
      EXPECT_NEAR(d[n], (vp[n] - vm[n]) / (2.0 * h), 1e-6) << "r = " << r << " n = " << n;
    }
  }
}

TEST(AceRadialBasis, ExponentialTransformAndItsTangentInsideTheInnerRadius) {
  const double q = 4.0;
  const AceRadialBasis basis(9, 1.0, 6.0, q);
  std::vector<double> v(9), d(9), vp(9), vm(9);
  const double r = 2.2, t = (r - 1.0) / 5.0;
  const double x = 2.0 * (1.0 - std::exp(-q * t)) / (1.0 - std::exp(-q)) - 1.0;
  const double fc = 0.5 * (1.0 + std::cos(std::numbers::pi * t));
  basis.evaluate(r, v.data());
  for (int n = 0; n < 9; ++n) EXPECT_NEAR(v[n], std::cos(n * std::acos(x)) * fc, 1e-13) << n;
  // Derivatives on both sides of r_in (the transform switches to its tangent there).
  const double h = 1e-6;
  for (double rr : {0.6, 0.99, 1.01, 3.0, 5.9}) {
    basis.evaluate_with_derivative(rr, v.data(), d.data());
    basis.evaluate(rr + h, vp.data());
    basis.evaluate(rr - h, vm.data());
    for (int n = 0; n < 9; ++n) EXPECT_NEAR(d[n], (vp[n] - vm[n]) / (2.0 * h), 1e-5 * (1.0 + std::abs(d[n]))) << rr << " " << n;
  }
}

TEST(AceRadialBasis, ValueAndSlopeVanishAtTheCutoff) {
  const AceRadialBasis basis(8, 1.0, 5.5);
  std::vector<double> v(8), d(8);
  basis.evaluate_with_derivative(5.5, v.data(), d.data());
  for (int n = 0; n < 8; ++n) {
    EXPECT_EQ(v[n], 0.0);
    EXPECT_EQ(d[n], 0.0);
  }
  // Just inside: value O(δ²), slope O(δ).
  const double delta = 1e-4;
  basis.evaluate_with_derivative(5.5 - delta, v.data(), d.data());
  for (int n = 0; n < 8; ++n) {
    EXPECT_LT(std::abs(v[n]), 1e-7);
    EXPECT_LT(std::abs(d[n]), 1e-3);
  }
}

TEST(AceRadialBasis, RejectsInvalidParameters) {
  EXPECT_THROW(AceRadialBasis(0, 1.0, 5.0), std::invalid_argument);
  EXPECT_THROW(AceRadialBasis(4, 5.0, 5.0), std::invalid_argument);
  EXPECT_THROW(AceRadialBasis(4, -1.0, 5.0), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
