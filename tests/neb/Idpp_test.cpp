// IDPP initial paths (Smidstrup et al., JCP 140, 214106 (2014)).
#include "neb/Idpp.hpp"

#include <gtest/gtest.h>

#include "neb/NebPath.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {
double closest_approach(const std::vector<Structure>& band) {
  double m = std::numeric_limits<double>::infinity();
  for (const auto& s : band)
    for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
      for (Eigen::Index j = i + 1; j < s.positions.cols(); ++j)
        m = std::min(m, (s.positions.col(i) - s.positions.col(j)).norm());
  return m;
}

// Atom 0 passes by atom 1 at 0.3 Å on a straight line; atoms 1 and 2 stay put.
std::pair<Structure, Structure> pass_by() {
  Structure a;
  a.pbc = {false, false, false};
  a.cell = Eigen::Matrix3d::Identity() * 20.0;
  a.species = {"Li", "O", "O"};
  a.positions.resize(3, 3);
  a.positions << -2.0, 0.0, 0.0,  //
      0.3, 0.0, 3.0,              //
      0.0, 0.0, 0.0;
  Structure b = a;
  b.positions(0, 0) = 2.0;
  return {a, b};
}
}  // namespace

TEST(Idpp, ForcesAreMinusTheGradient) {
  auto [a, b] = pass_by();
  const IdppPotential pot(a, b, 0.3);
  Structure s = a;
  s.positions(0, 0) = -0.4;
  s.positions(2, 0) = 0.2;
  const PotentialResult r = pot.compute(s);
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k) {
      Structure p = s, m = s;
      p.positions(k, i) += h;
      m.positions(k, i) -= h;
      const double g = (pot.compute(p).energy_eV - pot.compute(m).energy_eV) / (2 * h);
      EXPECT_NEAR(r.forces(k, i), -g, 1e-6 * std::max(1.0, std::abs(g)));
    }
  // The end states meet their own targets exactly.
  EXPECT_EQ(IdppPotential(a, b, 0.0).compute(a).energy_eV, 0.0);
}

TEST(Idpp, PathAvoidsTheCloseApproachOfTheLinearPath) {
  auto [a, b] = pass_by();
  const std::vector<Structure> lin = linear_path(a, b, 7);
  const std::vector<Structure> idpp = idpp_path(a, b, 7);
  ASSERT_EQ(idpp.size(), lin.size());
  EXPECT_EQ(idpp.front().positions, a.positions);
  EXPECT_EQ(idpp.back().positions, b.positions);
  // The linear path passes atom 1 at 0.3 Å; IDPP keeps every pair near its interpolated
  // distance (≥ 2 Å here), so its closest approach must be far larger.
  EXPECT_NEAR(closest_approach(lin), 0.3, 1e-12);
  EXPECT_GT(closest_approach(idpp), 1.0);
}

TEST(Idpp, PeriodicPairsUseTheMinimumImage) {
  Structure a;
  a.cell = Eigen::Matrix3d::Identity() * 4.0;
  a.species = {"Li", "O"};
  a.positions.resize(3, 2);
  a.positions << 0.2, 3.9, 0.0, 0.0, 0.0, 0.0;  // 0.3 Å apart through the boundary
  const IdppPotential pot(a, a, 0.5);
  Structure s = a;
  s.positions(0, 0) = 0.3;  // 0.4 Å apart through the boundary
  const PotentialResult r = pot.compute(s);
  EXPECT_NEAR(r.energy_eV, (0.1 * 0.1) / std::pow(0.4, 4), 1e-12);
  EXPECT_LT(r.forces(0, 0), 0.0);  // pulled back towards its partner's image at −0.1
}
