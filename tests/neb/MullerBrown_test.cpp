// The Müller–Brown surface (Müller & Brown, Theor. Chim. Acta 53, 75 (1979)) and its minima as
// listed in shared/docs/VALIDATION.md.
#include "neb/MullerBrown.hpp"

#include <gtest/gtest.h>

#include "neb/Relax.hpp"

using namespace ionhop::neb;

TEST(MullerBrown, ForcesAreMinusTheGradientByFiniteDifferences) {
  const MullerBrown mb;
  for (const auto& p : {Eigen::Vector2d(-0.5, 1.2), Eigen::Vector2d(0.3, 0.1), Eigen::Vector2d(-0.9, 0.7)}) {
    const PotentialResult r = mb.compute(MullerBrown::structure_at(p.x(), p.y()));
    const double h = 1e-5;
    // Central differences: error ~ h² V''' / 6 ≈ 1e-10 · 1e4 → relative 1e-6 of forces ~ 1e2.
    const double gx = (MullerBrown::energy(p.x() + h, p.y()) - MullerBrown::energy(p.x() - h, p.y())) / (2 * h);
    const double gy = (MullerBrown::energy(p.x(), p.y() + h) - MullerBrown::energy(p.x(), p.y() - h)) / (2 * h);
    const double scale = std::hypot(gx, gy);
    EXPECT_NEAR(r.forces(0, 0), -gx, 1e-6 * scale);
    EXPECT_NEAR(r.forces(1, 0), -gy, 1e-6 * scale);
    EXPECT_EQ(r.forces(2, 0), 0.0);
  }
}

struct MbMinimum {
  double x, y, energy;
};

class MullerBrownMinima : public ::testing::TestWithParam<RelaxMethod> {};

TEST_P(MullerBrownMinima, RelaxationFindsThePublishedMinima) {
  const MullerBrown mb;
  // VALIDATION.md values, rounded to 3 decimals in position and 2 in energy.
  const MbMinimum minima[] = {{-0.558, 1.442, -146.70}, {0.623, 0.028, -108.17}, {-0.050, 0.467, -80.77}};
  RelaxParams p;
  p.method = GetParam();
  p.fmax_eV_A = 1e-6;
  p.max_step_A = 0.05;
  p.max_steps = 5000;
  for (const auto& m : minima) {
    const RelaxResult r = relax(MullerBrown::structure_at(m.x + 0.05, m.y - 0.04), mb, p);
    ASSERT_TRUE(r.converged) << to_string(p.method) << " fmax " << r.fmax_eV_A;
    EXPECT_EQ(r.status, RelaxStatus::converged);
    EXPECT_NEAR(r.structure.positions(0, 0), m.x, 5e-4 + 1e-6);
    EXPECT_NEAR(r.structure.positions(1, 0), m.y, 5e-4 + 1e-6);
    EXPECT_NEAR(r.energy_eV, m.energy, 5e-3);
    EXPECT_EQ(r.structure.positions(2, 0), 0.0);
    EXPECT_EQ(r.force_calls, r.steps + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(BothOptimizers, MullerBrownMinima, ::testing::Values(RelaxMethod::fire, RelaxMethod::lbfgs),
                         [](const auto& info) { return to_string(info.param); });
