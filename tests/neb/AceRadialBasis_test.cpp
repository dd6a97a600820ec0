// The Chebyshev radial basis with its cosine cutoff: closed forms, derivatives against central
// differences, and the smooth cutoff (value and slope vanish at r_c).
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <numbers>
#include <random>
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

// The spline table against the closed forms at random distances. The build checks each interval
// where the quintic Hermite errors peak (value at t = ½, derivative at t = (1 ± 1/√5)/2); the
// true maxima differ from those estimates only through the variation of R⁽⁶⁾ within one
// interval, so twice the tolerance bounds them.
TEST(AceRadialBasis, TabulatedFunctionsMatchTheClosedForms) {
  struct Case {
    int size;
    double inner, cutoff, exponent;
  };
  for (const Case c : {Case{12, 1.0, 5.5, 4.0}, Case{5, 1.0, 5.5, 4.0}, Case{12, 0.5, 6.0, 0.0}, Case{8, 2.5, 5.0, 2.0}}) {
    const AceRadialBasis basis(c.size, c.inner, c.cutoff, c.exponent);
    ASSERT_TRUE(basis.tabulated());
    EXPECT_LT(basis.table_error(), AceRadialBasis::kTabulationTolerance);
    EXPECT_EQ(basis.padded_size() % 4, 0);
    const auto p = static_cast<std::size_t>(basis.padded_size());
    std::vector<double> v(p), d(p), va(p), da(p);
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> distance(0.1, c.cutoff);
    const double tol = 2.0 * AceRadialBasis::kTabulationTolerance;
    for (int sample = 0; sample < 20000; ++sample) {
      const double r = distance(rng);
      basis.evaluate_tabulated(r, v.data(), d.data());
      basis.evaluate_with_derivative(r, va.data(), da.data());
      for (int n = 0; n < c.size; ++n) {
        ASSERT_NEAR(v[n], va[n], tol * std::max(1.0, std::abs(va[n]))) << "r = " << r << " n = " << n;
        ASSERT_NEAR(d[n], da[n], tol * std::max(1.0, std::abs(da[n]))) << "r = " << r << " n = " << n;
      }
      for (std::size_t n = static_cast<std::size_t>(c.size); n < p; ++n) ASSERT_EQ(v[n], 0.0);
    }
    // At and beyond r_c: zeros. Below the table (it starts 1 Å inside r_in): the closed forms.
    basis.evaluate_tabulated(c.cutoff, v.data(), d.data());
    for (std::size_t n = 0; n < p; ++n) {
      EXPECT_EQ(v[n], 0.0);
      EXPECT_EQ(d[n], 0.0);
    }
    if (basis.table_start_A() > 0.3) {
      basis.evaluate_tabulated(0.3, v.data(), d.data());
      basis.evaluate_with_derivative(0.3, va.data(), da.data());
      for (int n = 0; n < c.size; ++n) {
        EXPECT_EQ(v[n], va[n]);
        EXPECT_EQ(d[n], da[n]);
      }
    }
  }
}

// The table's derivative is the derivative of the table's values (forces are the exact gradient
// of the tabulated energy), also across grid nodes (r_in itself is left out: R'' jumps there, and
// central differences across the jump are only first order, h ΔR''/4).
TEST(AceRadialBasis, TabulatedDerivativeIsTheSlopeOfTheTabulatedValues) {
  const AceRadialBasis basis(12, 1.0, 5.5, 4.0);
  const auto p = static_cast<std::size_t>(basis.padded_size());
  std::vector<double> v(p), d(p), vp(p), vm(p), unused(p);
  const double h = 1e-6, grid = basis.table_spacing_A();
  for (double r : {1.0 + grid, 1.0 - 2 * grid, 1.7 + 0.37 * grid, 2.0 + 3 * grid, 4.1, 5.5 - grid}) {
    basis.evaluate_tabulated(r, v.data(), d.data());
    basis.evaluate_tabulated(r + h, vp.data(), unused.data());
    basis.evaluate_tabulated(r - h, vm.data(), unused.data());
    // Central differences: truncation h² R‴/6 ≲ 1e-12 · 1e5, rounding ≈ 1e-16 |R|/h.
    for (int n = 0; n < 12; ++n) EXPECT_NEAR(d[n], (vp[n] - vm[n]) / (2.0 * h), 1e-7 * (1.0 + std::abs(d[n]))) << r << " " << n;
  }
}

// Second derivatives (they build the table) against central differences of the first, and the
// one-sided limits at r_in against one-sided differences.
TEST(AceRadialBasis, SecondDerivativesMatchCentralDifferences) {
  const AceRadialBasis basis(12, 1.0, 5.5, 4.0);
  std::vector<double> v(12), d(12), s(12), dp(12), dm(12), unused(12);
  const double h = 1e-6;
  for (double r : {0.5, 2.0, 3.3, 5.4}) {
    basis.evaluate_with_second_derivative(r, v.data(), d.data(), s.data());
    basis.evaluate_with_derivative(r + h, unused.data(), dp.data());
    basis.evaluate_with_derivative(r - h, unused.data(), dm.data());
    for (int n = 0; n < 12; ++n) EXPECT_NEAR(s[n], (dp[n] - dm[n]) / (2.0 * h), 1e-5 * (1.0 + std::abs(s[n]))) << r << " " << n;
  }
  // One-sided differences: truncation h R‴/2 ≲ 1e-6 · 1e5 relative to |R''| up to ~1e4.
  basis.evaluate_with_second_derivative(1.0, v.data(), d.data(), s.data(), 1);
  basis.evaluate_with_derivative(1.0 + h, unused.data(), dp.data());
  for (int n = 0; n < 12; ++n) EXPECT_NEAR(s[n], (dp[n] - d[n]) / h, 1e-3 * (1.0 + std::abs(s[n]))) << n;
  basis.evaluate_with_second_derivative(1.0, v.data(), d.data(), s.data(), -1);
  basis.evaluate_with_derivative(1.0 - h, unused.data(), dm.data());
  for (int n = 0; n < 12; ++n) EXPECT_NEAR(s[n], (d[n] - dm[n]) / h, 1e-3 * (1.0 + std::abs(s[n]))) << n;
}

TEST(AceRadialBasis, RejectsInvalidParameters) {
  EXPECT_THROW(AceRadialBasis(0, 1.0, 5.0), std::invalid_argument);
  EXPECT_THROW(AceRadialBasis(4, 5.0, 5.0), std::invalid_argument);
  EXPECT_THROW(AceRadialBasis(4, -1.0, 5.0), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
