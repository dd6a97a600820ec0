// Real spherical harmonics of the ACE basis: closed forms for l ≤ 2, the addition theorem
// (normalisation and rotation invariance of Σ_m Y_lm Y_lm), and analytic gradients against
// central finite differences.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "neb/AceSphericalHarmonics.hpp"

namespace ionhop::neb {
namespace {

constexpr double kPi = std::numbers::pi;

/// Legendre polynomial P_l(x) by Bonnet's recurrence (independent of the code under test).
double legendre(int l, double x) {
  double p0 = 1.0, p1 = x;
  if (l == 0) return p0;
  for (int k = 2; k <= l; ++k) {
    const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
    p0 = p1;
    p1 = p2;
  }
  return p1;
}

TEST(AceSphericalHarmonics, ClosedFormsUpToDegreeTwo) {
  const AceSphericalHarmonics sh(2);
  const Eigen::Vector3d r(0.3, -1.1, 0.7);
  const Eigen::Vector3d u = r.normalized();
  std::vector<double> y(9);
  sh.evaluate(r, y.data());
  const double x = u[0], yy = u[1], z = u[2];
  // Standard real harmonics (e.g. the table in Wikipedia "Table of spherical harmonics").
  EXPECT_NEAR(y[sh_index(0, 0)], 0.5 / std::sqrt(kPi), 1e-15);
  EXPECT_NEAR(y[sh_index(1, 0)], std::sqrt(3.0 / (4.0 * kPi)) * z, 1e-15);
  EXPECT_NEAR(y[sh_index(1, 1)], std::sqrt(3.0 / (4.0 * kPi)) * x, 1e-15);
  EXPECT_NEAR(y[sh_index(1, -1)], std::sqrt(3.0 / (4.0 * kPi)) * yy, 1e-15);
  EXPECT_NEAR(y[sh_index(2, 0)], std::sqrt(5.0 / (16.0 * kPi)) * (3.0 * z * z - 1.0), 1e-15);
  EXPECT_NEAR(y[sh_index(2, 1)], std::sqrt(15.0 / (4.0 * kPi)) * x * z, 1e-15);
  EXPECT_NEAR(y[sh_index(2, -1)], std::sqrt(15.0 / (4.0 * kPi)) * yy * z, 1e-15);
  EXPECT_NEAR(y[sh_index(2, 2)], std::sqrt(15.0 / (16.0 * kPi)) * (x * x - yy * yy), 1e-15);
  EXPECT_NEAR(y[sh_index(2, -2)], std::sqrt(15.0 / (4.0 * kPi)) * x * yy, 1e-15);
}

TEST(AceSphericalHarmonics, AdditionTheoremHoldsToDegreeTen) {
  const int L = 10;
  const AceSphericalHarmonics sh(L);
  const Eigen::Vector3d a(0.4, 0.9, -0.35), b(-1.2, 0.3, 0.8);
  std::vector<double> ya(sh.count()), yb(sh.count());
  sh.evaluate(a, ya.data());
  sh.evaluate(b * 3.7, yb.data());  // scale free
  const double cos_angle = a.normalized().dot(b.normalized());
  for (int l = 0; l <= L; ++l) {
    double sum = 0.0;
    for (int m = -l; m <= l; ++m) sum += ya[sh_index(l, m)] * yb[sh_index(l, m)];
    // Rounding: the recurrences lose a few digits at l = 10; 1e-12 is far above that.
    EXPECT_NEAR(sum, (2.0 * l + 1.0) / (4.0 * kPi) * legendre(l, cos_angle), 1e-12) << "l = " << l;
  }
  // Same vector: Σ_m Y_lm² = (2l+1)/4π.
  sh.evaluate(a, ya.data());
  for (int l = 0; l <= L; ++l) {
    double sum = 0.0;
    for (int m = -l; m <= l; ++m) sum += ya[sh_index(l, m)] * ya[sh_index(l, m)];
    EXPECT_NEAR(sum, (2.0 * l + 1.0) / (4.0 * kPi), 1e-12);
  }
}

TEST(AceSphericalHarmonics, GradientsMatchCentralDifferences) {
  const int L = 6;
  const AceSphericalHarmonics sh(L);
  const Eigen::Vector3d r(0.8, -0.45, 1.3);
  std::vector<double> y(sh.count()), gx(sh.count()), gy(sh.count()), gz(sh.count()), yp(sh.count()), ym(sh.count());
  sh.evaluate_with_gradient(r, y.data(), gx.data(), gy.data(), gz.data());
  const std::vector<double>* grad[3] = {&gx, &gy, &gz};
  std::vector<double> plain(sh.count());
  sh.evaluate(r, plain.data());
  for (int k = 0; k < sh.count(); ++k) EXPECT_EQ(plain[k], y[k]);
  const double h = 1e-5;
  for (int a = 0; a < 3; ++a) {
    Eigen::Vector3d rp = r, rm = r;
    rp[a] += h;
    rm[a] -= h;
    sh.evaluate(rp, yp.data());
    sh.evaluate(rm, ym.data());
    for (int k = 0; k < sh.count(); ++k) {
      const double fd = (yp[k] - ym[k]) / (2.0 * h);
      // Central differences: truncation O(h² Y''') ~ 1e-10·l³, rounding ε/h ~ 1e-11.
      EXPECT_NEAR((*grad[a])[static_cast<std::size_t>(k)], fd, 1e-8) << "k = " << k << " axis " << a;
    }
  }
}

TEST(AceSphericalHarmonics, ProjectingTheUnprojectedGradientGivesTheGradient) {
  const AceSphericalHarmonics sh(5);
  const Eigen::Vector3d r(-0.7, 0.2, 1.9);
  const Eigen::Vector3d u = r.normalized();
  const int n = sh.count();
  std::vector<double> y(n), gx(n), gy(n), gz(n), y2(n), fx(n), fy(n), fz(n);
  sh.evaluate_with_gradient(r, y.data(), gx.data(), gy.data(), gz.data());
  sh.evaluate_with_unprojected_gradient(r, y2.data(), fx.data(), fy.data(), fz.data());
  for (int k = 0; k < n; ++k) {
    EXPECT_EQ(y[k], y2[k]);
    const Eigen::Vector3d f(fx[k], fy[k], fz[k]);
    const Eigen::Vector3d projected = (f - u.dot(f) * u) / r.norm();
    EXPECT_NEAR(projected[0], gx[k], 1e-13);
    EXPECT_NEAR(projected[1], gy[k], 1e-13);
    EXPECT_NEAR(projected[2], gz[k], 1e-13);
  }
}

// Four vectors at once (AVX2 lanes where available) against one at a time: the same operations
// in the same order without FMA contraction (neb/CMakeLists.txt), so bit for bit the same (the
// design matrix uses the one-at-a-time path, evaluate() the four-at-a-time one); padding is zero.
TEST(AceSphericalHarmonics, FourAtOnceEqualOneAtATime) {
  for (int lmax : {0, 3, 4, 12}) {
    const AceSphericalHarmonics sh(lmax);
    const int n = sh.count(), stride = (n + 3) / 4 * 4;
    const Eigen::Vector3d r[4] = {{-0.7, 0.2, 1.9}, {2.1, -1.3, 0.4}, {0.0, 0.0, -3.2}, {1e-3, 2.5, -0.8}};
    std::vector<double> out(static_cast<std::size_t>(16 * stride), -1.0);
    const Eigen::Vector3d* rp[4];
    double *y[4], *gx[4], *gy[4], *gz[4];
    for (int v = 0; v < 4; ++v) {
      rp[v] = &r[v];
      y[v] = out.data() + (4 * v) * stride, gx[v] = out.data() + (4 * v + 1) * stride;
      gy[v] = out.data() + (4 * v + 2) * stride, gz[v] = out.data() + (4 * v + 3) * stride;
    }
    sh.evaluate_four_with_unprojected_gradient(rp, y, gx, gy, gz, stride);
    std::vector<double> y1(n), x1(n), v1(n), z1(n);
    for (int v = 0; v < 4; ++v) {
      sh.evaluate_with_unprojected_gradient(r[v], y1.data(), x1.data(), v1.data(), z1.data());
      for (int k = 0; k < n; ++k) {
        EXPECT_EQ(y[v][k], y1[k]) << lmax << " " << v << " " << k;
        EXPECT_EQ(gx[v][k], x1[k]) << lmax << " " << v << " " << k;
        EXPECT_EQ(gy[v][k], v1[k]) << lmax << " " << v << " " << k;
        EXPECT_EQ(gz[v][k], z1[k]) << lmax << " " << v << " " << k;
      }
      for (int k = n; k < stride; ++k) {
        EXPECT_EQ(y[v][k], 0.0);
        EXPECT_EQ(gz[v][k], 0.0);
      }
    }
  }
}

TEST(AceSphericalHarmonics, RejectsInvalidDegree) {
  EXPECT_THROW(AceSphericalHarmonics(-1), std::invalid_argument);
  EXPECT_THROW(AceSphericalHarmonics(13), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
