// The improved tangent (Henkelman & Jónsson, JCP 113, 9978 (2000)) and the NEB projections.
#include "neb/NebTangent.hpp"

#include <gtest/gtest.h>

#include "neb/NebProjection.hpp"
#include "neb/NebSpring.hpp"

using namespace ionhop::neb;

TEST(NebTangent, IsAUnitVectorInEveryEnergyOrdering) {
  const Eigen::Vector3d a(0.0, 0.0, 0.0), b(1.0, 0.2, 0.0), c(1.5, 1.4, 0.3);
  const double orderings[][3] = {{0, 1, 2}, {2, 1, 0}, {0, 2, 1}, {1, 2, 0}, {2, 0, 1}, {1, 0, 2}, {1, 1, 1}, {0, 1, 1}};
  for (const auto& e : orderings) {
    const Eigen::VectorXd t = improved_tangent(a, b, c, e[0], e[1], e[2]);
    EXPECT_NEAR(t.norm(), 1.0, 1e-14);
  }
}

TEST(NebTangent, PointsTowardsTheHigherNeighbour) {
  const Eigen::Vector2d a(0.0, 0.0), b(1.0, 0.0), c(1.0, 1.0);
  // Rising energy: tangent = direction to the next image (eq. 8).
  EXPECT_TRUE(improved_tangent(a, b, c, 0.0, 1.0, 2.0).isApprox(Eigen::Vector2d(0.0, 1.0)));
  // Falling energy: tangent = direction from the previous image.
  EXPECT_TRUE(improved_tangent(a, b, c, 2.0, 1.0, 0.0).isApprox(Eigen::Vector2d(1.0, 0.0)));
  // Maximum with equal neighbours: the bisector of equal-length segments.
  EXPECT_TRUE(improved_tangent(a, b, c, 0.0, 1.0, 0.0).isApprox(Eigen::Vector2d(1.0, 1.0).normalized()));
  // Maximum, next neighbour higher than the previous: ΔV_max = 1 weights τ⁺ = (0, 1) and
  // ΔV_min = 0.5 weights τ⁻ = (1, 0) (eq. 10).
  const Eigen::VectorXd t = improved_tangent(a, b, c, 0.0, 1.0, 0.5);
  EXPECT_TRUE(t.isApprox(Eigen::Vector2d(0.5, 1.0).normalized())) << t.transpose();
}

TEST(NebProjection, PerpendicularAndClimbingForces) {
  const Eigen::Vector3d tau = Eigen::Vector3d(1.0, 2.0, 2.0) / 3.0;
  const Eigen::Vector3d f(0.3, -1.0, 2.0);
  const Eigen::VectorXd perp = perpendicular_force(f, tau);
  EXPECT_NEAR(perp.dot(tau), 0.0, 1e-15);
  const Eigen::VectorXd climb = climbing_force(f, tau);
  EXPECT_NEAR(climb.dot(tau), -f.dot(tau), 1e-15);
  EXPECT_TRUE((climb - perp).isApprox(-f.dot(tau) * tau));
}

TEST(NebSpring, EnergyWeightedConstantsFollowTheCiNebFormula) {
  NebSpringParams p;
  p.mode = NebSpringMode::energy_weighted;
  p.k_eV_A2 = 1.0;
  p.k_min_eV_A2 = 0.2;
  const std::vector<double> e{0.0, 0.5, 1.0, 0.4, 0.2};
  const std::vector<double> k = segment_spring_constants(e, p);
  ASSERT_EQ(k.size(), 4u);
  // E_ref = 0.2, E_max = 1: segment max energies 0.5, 1, 1, 0.4.
  EXPECT_NEAR(k[0], 1.0 - 0.8 * (1.0 - 0.5) / 0.8, 1e-15);
  EXPECT_NEAR(k[1], 1.0, 1e-15);
  EXPECT_NEAR(k[2], 1.0, 1e-15);
  EXPECT_NEAR(k[3], 1.0 - 0.8 * (1.0 - 0.4) / 0.8, 1e-15);
  p.mode = NebSpringMode::constant;
  for (double ki : segment_spring_constants(e, p)) EXPECT_EQ(ki, 1.0);
  // Equal spacing under constant springs gives zero parallel spring force.
  const Eigen::Vector2d r0(0, 0), r1(1, 0), r2(2, 0);
  EXPECT_EQ(parallel_spring_force(r0, r1, r2, 0.3, 0.3, Eigen::Vector2d(1, 0)).norm(), 0.0);
}
