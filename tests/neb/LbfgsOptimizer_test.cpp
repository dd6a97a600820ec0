// Force-only L-BFGS (Nocedal 1980) on closed-form objectives, including its safeguards.
#include "neb/LbfgsOptimizer.hpp"

#include <gtest/gtest.h>

#include "neb/RelaxMinimizer.hpp"
#include "NebTestObjectives.hpp"

using namespace ionhop::neb;

TEST(LbfgsOptimizer, MinimisesAQuadraticQuickly) {
  nebtest::Quadratic q;
  LbfgsOptimizer lbfgs;
  const double tol = 1e-8;
  const MinimizeResult r = minimize(q, lbfgs, Eigen::VectorXd::Zero(6), tol, 200);
  ASSERT_TRUE(r.converged);
  EXPECT_LE((r.x - q.minimum()).norm(), std::sqrt(2.0) * tol / nebtest::Quadratic::kSmallestEigenvalue);
  // Without line search L-BFGS is not exactly finite-terminating, but on a 6-dimensional quadratic
  // it must beat steepest descent by far (which needs ~κ·ln(1/tol) ≈ 400 steps here).
  EXPECT_LT(r.steps, 60);
}

TEST(LbfgsOptimizer, MinimisesRosenbrock) {
  nebtest::Rosenbrock rb;
  LbfgsOptimizer lbfgs;
  const double tol = 1e-7;
  const MinimizeResult r = minimize(rb, lbfgs, Eigen::Vector2d(-1.2, 1.0), tol, 5000);
  ASSERT_TRUE(r.converged) << "residual " << r.residual;
  EXPECT_LE((r.x - Eigen::Vector2d(1.0, 1.0)).norm(), 2.0 * tol / nebtest::Rosenbrock::kSmallestEigenvalue);
}

namespace {
// A concave direction: f = −x²/2 + y²/2 around the origin, bounded below by a quartic wall.
class Saddle2d final : public RelaxObjective {
 public:
  Eigen::Index dimension() const override { return 2; }
  double evaluate(const Eigen::VectorXd& v, Eigen::VectorXd& f) override {
    f.resize(2);
    f[0] = v[0] - v[0] * v[0] * v[0];  // E = −x²/2 + x⁴/4: minima at x = ±1
    f[1] = -v[1];
    return -0.5 * v[0] * v[0] + 0.25 * std::pow(v[0], 4) + 0.5 * v[1] * v[1];
  }
  double max_block_norm(const Eigen::VectorXd& v) const override { return v.cwiseAbs().maxCoeff(); }
};
}  // namespace

TEST(LbfgsOptimizer, LeavesANegativeCurvatureRegionDownhill) {
  Saddle2d s;
  LbfgsOptimizer lbfgs;
  const MinimizeResult r = minimize(s, lbfgs, Eigen::Vector2d(0.01, 0.0), 1e-9, 500);
  ASSERT_TRUE(r.converged);
  EXPECT_NEAR(r.x[0], 1.0, 1e-8);
  EXPECT_NEAR(r.x[1], 0.0, 1e-8);
  EXPECT_GE(lbfgs.safeguard_resets(), 1);  // the first pair along x had s·y < 0
}
