// FIRE (Bitzek et al., PRL 97, 170201 (2006)) on closed-form objectives.
#include "neb/FireOptimizer.hpp"

#include <gtest/gtest.h>

#include "neb/RelaxMinimizer.hpp"
#include "NebTestObjectives.hpp"

using namespace ionhop::neb;

TEST(FireOptimizer, MinimisesAQuadratic) {
  nebtest::Quadratic q;
  FireOptimizer fire;
  const double tol = 1e-8;
  const MinimizeResult r = minimize(q, fire, Eigen::VectorXd::Zero(6), tol, 5000);
  ASSERT_TRUE(r.converged);
  // |x − x*| ≤ |F| / λ_min for a quadratic; |F| ≤ √2 · max block norm (two blocks).
  EXPECT_LE((r.x - q.minimum()).norm(), std::sqrt(2.0) * tol / nebtest::Quadratic::kSmallestEigenvalue);
  EXPECT_EQ(r.evaluations, r.steps + 1);
}

TEST(FireOptimizer, MinimisesRosenbrock) {
  nebtest::Rosenbrock rb;
  FireOptimizer fire;
  const double tol = 1e-7;
  const MinimizeResult r = minimize(rb, fire, Eigen::Vector2d(-1.2, 1.0), tol, 50000);
  ASSERT_TRUE(r.converged) << "residual " << r.residual;
  // Near the minimum |x − x*| ≲ |∇f| / λ_min (with a factor 2 for the remaining anharmonicity).
  EXPECT_LE((r.x - Eigen::Vector2d(1.0, 1.0)).norm(), 2.0 * tol / nebtest::Rosenbrock::kSmallestEigenvalue);
}

TEST(FireOptimizer, RespectsTheMaximumStep) {
  nebtest::Quadratic q;
  FireParams p;
  p.max_step_A = 0.05;
  FireOptimizer fire(p);
  Eigen::VectorXd x = Eigen::VectorXd::Constant(6, 50.0), f(6);
  for (int i = 0; i < 50; ++i) {
    q.evaluate(x, f);
    const Eigen::VectorXd d = fire.step(x, f, q);
    EXPECT_LE(q.max_block_norm(d), p.max_step_A * (1.0 + 1e-12));
    x += d;
  }
}
