// Relaxation of structures with fixed atoms and a pair potential.
#include "neb/Relax.hpp"

#include <gtest/gtest.h>

#include "NebTestObjectives.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {
Structure dimer(double d, bool fix_first) {
  Structure s;
  s.pbc = {false, false, false};
  s.cell = Eigen::Matrix3d::Identity() * 20.0;
  s.species = {"Ar", "Ar"};
  s.positions = Eigen::Matrix3Xd::Zero(3, 2);
  s.positions.col(1) = Eigen::Vector3d(d, 0.3 * d, -0.2 * d) / std::sqrt(1.13);
  if (fix_first) s.fixed = {1, 0};
  return s;
}
}  // namespace

TEST(Relax, DimerReachesTheLennardJonesMinimumWithAFixedAtom) {
  const nebtest::TestLennardJones lj(0.0104, 3.40, 8.5);
  for (RelaxMethod m : {RelaxMethod::fire, RelaxMethod::lbfgs}) {
    RelaxParams p;
    p.method = m;
    p.fmax_eV_A = 1e-6;
    const Structure s0 = dimer(4.5, true);
    const RelaxResult r = relax(s0, lj, p);
    ASSERT_TRUE(r.converged) << to_string(m) << " fmax " << r.fmax_eV_A << " steps " << r.steps;
    // Fixed atom untouched, bit for bit.
    EXPECT_EQ(r.structure.positions.col(0), s0.positions.col(0));
    const double d = (r.structure.positions.col(1) - r.structure.positions.col(0)).norm();
    // Pair curvature at the minimum k = 57.1 ε/σ² ≈ 0.0514 eV/Å²: |d − d*| ≤ fmax / k ≈ 2e-5 Å.
    EXPECT_NEAR(d, std::pow(2.0, 1.0 / 6.0) * 3.40, 1e-6 / 0.05);
    // The direction of the bond is kept (forces are central).
    const Eigen::Vector3d u = (r.structure.positions.col(1) - r.structure.positions.col(0)).normalized();
    EXPECT_NEAR(u.dot((s0.positions.col(1) - s0.positions.col(0)).normalized()), 1.0, 1e-12);
  }
}

TEST(Relax, StepLimitIsReported) {
  const nebtest::TestLennardJones lj(0.0104, 3.40, 8.5);
  RelaxParams p;
  p.max_steps = 2;
  p.fmax_eV_A = 1e-9;
  const RelaxResult r = relax(dimer(4.5, false), lj, p);
  EXPECT_FALSE(r.converged);
  EXPECT_EQ(r.status, RelaxStatus::step_limit);
  EXPECT_EQ(r.steps, 2);
  EXPECT_EQ(r.force_calls, 3);
}

TEST(Relax, AllFixedIsConvergedAtOnce) {
  const nebtest::TestLennardJones lj(0.0104, 3.40, 8.5);
  Structure s = dimer(4.5, true);
  s.fixed = {1, 1};
  const RelaxResult r = relax(s, lj, {});
  EXPECT_TRUE(r.converged);
  EXPECT_EQ(r.steps, 0);
  EXPECT_EQ(r.structure.positions, s.positions);
}

TEST(Relax, RejectsInvalidParameters) {
  const nebtest::TestLennardJones lj(0.0104, 3.40, 8.5);
  RelaxParams p;
  p.fmax_eV_A = 0.0;
  EXPECT_THROW(relax(dimer(4.5, false), lj, p), std::invalid_argument);
}
