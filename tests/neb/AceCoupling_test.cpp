// Real Gaunt coefficients of the body-order-4 ACE invariants: closed forms for small degrees,
// selection rules, permutation symmetry, rotation invariance of the contraction, and the
// Gauss–Legendre rule they are integrated with.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "neb/AceCoupling.hpp"
#include "neb/AceSphericalHarmonics.hpp"

namespace ionhop::neb {
namespace {

constexpr double kPi = std::numbers::pi;

TEST(AceCoupling, GaussLegendreIntegratesPolynomialsExactly) {
  std::vector<double> x, w;
  AceCoupling::gauss_legendre(5, x, w);
  for (int k = 0; k <= 9; ++k) {  // exact up to degree 2n − 1 = 9
    double sum = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += w[i] * std::pow(x[i], k);
    EXPECT_NEAR(sum, k % 2 == 0 ? 2.0 / (k + 1) : 0.0, 1e-14) << k;
  }
}

TEST(AceCoupling, ClosedFormsForSmallDegrees) {
  const AceCoupling g(3);
  const double y00 = 0.5 / std::sqrt(kPi);
  EXPECT_NEAR(g.value(0, 0, 0, 0, 0, 0), y00, 1e-14);
  // Orthonormality: G^{l l 0}_{m m' 0} = δ_{m m'} Y_00.
  for (int l = 0; l <= 3; ++l)
    for (int m1 = -l; m1 <= l; ++m1)
      for (int m2 = -l; m2 <= l; ++m2) {
        EXPECT_NEAR(g.value(l, m1, l, m2, 0, 0), m1 == m2 ? y00 : 0.0, 1e-14) << l << " " << m1 << " " << m2;
        EXPECT_NEAR(g.value(0, 0, l, m1, l, m2), m1 == m2 ? y00 : 0.0, 1e-14);
      }
  // ∫ Y_10 Y_10 Y_20 = √(45/4π) (1 1 2; 0 0 0)² = 1/√(5π); ∫ Y_11 Y_11 Y_20 = −1/(2√(5π)).
  EXPECT_NEAR(g.value(1, 0, 1, 0, 2, 0), 1.0 / std::sqrt(5.0 * kPi), 1e-14);
  EXPECT_NEAR(g.value(1, 1, 1, 1, 2, 0), -0.5 / std::sqrt(5.0 * kPi), 1e-14);
  // Selection rules: odd degree sums and triangle violations have no entries.
  EXPECT_TRUE(g.entries(1, 1, 1).empty());
  EXPECT_TRUE(g.entries(0, 1, 2).empty());
  EXPECT_TRUE(g.entries(0, 1, 3).empty());
  EXPECT_TRUE(g.entries(1, 1, 3).empty());
  EXPECT_FALSE(g.entries(1, 2, 3).empty());
  EXPECT_FALSE(g.entries(2, 2, 2).empty());
  // Symmetric under exchange of the (l, m) pairs.
  EXPECT_NEAR(g.value(1, -1, 2, 1, 3, -2), g.value(3, -2, 1, -1, 2, 1), 1e-15);
  EXPECT_NEAR(g.value(2, 1, 2, -2, 2, -1), g.value(2, -2, 2, -1, 2, 1), 1e-15);
}

TEST(AceCoupling, MatchesAnIndependentFineQuadrature) {
  // An independent, much finer product rule (midpoint in θ with sin θ weight, 400 × 400): agrees
  // with the exact rule to the midpoint error O(h²) ≈ 1e-5.
  const int L = 2;
  const AceCoupling g(L);
  const AceSphericalHarmonics sh(L);
  const int n = 400;
  std::vector<double> y(9), sum(9 * 9 * 9, 0.0);
  for (int a = 0; a < n; ++a) {
    const double theta = kPi * (a + 0.5) / n;
    for (int b = 0; b < n; ++b) {
      const double phi = 2.0 * kPi * (b + 0.5) / n;
      sh.evaluate(Eigen::Vector3d(std::sin(theta) * std::cos(phi), std::sin(theta) * std::sin(phi), std::cos(theta)), y.data());
      const double w = std::sin(theta) * (kPi / n) * (2.0 * kPi / n);
      for (int i = 0; i < 9; ++i)
        for (int j = 0; j < 9; ++j)
          for (int k = 0; k < 9; ++k) sum[static_cast<std::size_t>((i * 9 + j) * 9 + k)] += w * y[static_cast<std::size_t>(i)] * y[static_cast<std::size_t>(j)] * y[static_cast<std::size_t>(k)];
    }
  }
  double worst = 0.0;
  for (int l1 = 0; l1 <= L; ++l1)
    for (int l2 = 0; l2 <= L; ++l2)
      for (int l3 = 0; l3 <= L; ++l3)
        for (int m1 = -l1; m1 <= l1; ++m1)
          for (int m2 = -l2; m2 <= l2; ++m2)
            for (int m3 = -l3; m3 <= l3; ++m3) {
              const double ref = sum[static_cast<std::size_t>((sh_index(l1, m1) * 9 + sh_index(l2, m2)) * 9 + sh_index(l3, m3))];
              worst = std::max(worst, std::abs(g.value(l1, m1, l2, m2, l3, m3) - ref));
            }
  EXPECT_LT(worst, 1e-4);
}

TEST(AceCoupling, ContractionIsRotationInvariant) {
  const int L = 3;
  const AceCoupling g(L);
  const AceSphericalHarmonics sh(L);
  // Three "densities", each a weighted sum of harmonics of a few directions.
  const std::vector<Eigen::Vector3d> dirs = {{0.3, -1.1, 0.7}, {1.0, 0.2, -0.4}, {-0.6, 0.5, 0.9}, {0.1, 0.8, -1.2}};
  const Eigen::Matrix3d R = Eigen::AngleAxisd(1.1, Eigen::Vector3d(0.2, -1.0, 0.6).normalized()).toRotationMatrix();
  auto density = [&](int which, const Eigen::Matrix3d& rot) {
    std::vector<double> a(16, 0.0), y(16);
    for (std::size_t d = 0; d < dirs.size(); ++d) {
      sh.evaluate(rot * dirs[d], y.data());
      const double w = std::cos(0.7 * which + 1.3 * static_cast<double>(d));
      for (int k = 0; k < 16; ++k) a[static_cast<std::size_t>(k)] += w * y[static_cast<std::size_t>(k)];
    }
    return a;
  };
  const Eigen::Matrix3d I = Eigen::Matrix3d::Identity();
  for (auto [l1, l2, l3] : {std::array<int, 3>{1, 1, 2}, {1, 2, 3}, {2, 2, 2}, {3, 3, 2}, {2, 3, 3}}) {
    auto contract = [&](const Eigen::Matrix3d& rot) {
      const auto a1 = density(0, rot), a2 = density(1, rot), a3 = density(2, rot);
      double b = 0.0;
      for (const auto& e : g.entries(l1, l2, l3))
        b += e.value * a1[static_cast<std::size_t>(l1 * l1 + e.m1)] * a2[static_cast<std::size_t>(l2 * l2 + e.m2)] *
             a3[static_cast<std::size_t>(l3 * l3 + e.m3)];
      return b;
    };
    const double b0 = contract(I), b1 = contract(R);
    EXPECT_GT(std::abs(b0), 1e-4) << l1 << l2 << l3;  // not vacuous
    EXPECT_NEAR(b1, b0, 1e-13) << l1 << l2 << l3;
  }
}

}  // namespace
}  // namespace ionhop::neb
