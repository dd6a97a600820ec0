// The hop builder on Lennard-Jones fcc crystals: vacancy and interstitial mechanisms.
#include "neb/HopBuilder.hpp"

#include <gtest/gtest.h>

#include "NebTestObjectives.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {

// n×n×n conventional fcc cells of lattice constant a; atom 0 at the origin, atom 1 at (a/2, a/2, 0).
Structure fcc(double a, int n) {
  Structure s;
  s.cell = Eigen::Matrix3d::Identity() * (n * a);
  const Eigen::Vector3d basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  s.positions.resize(3, 4 * n * n * n);
  Eigen::Index c = 0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const auto& b : basis) s.positions.col(c++) = a * (Eigen::Vector3d(i, j, k) + b);
  s.species.assign(static_cast<std::size_t>(c), "Ar");
  return s;
}

const nebtest::TestLennardJones kLj(0.0104, 3.40, 6.0);
constexpr double kA = 5.26;  // close to the LJ fcc lattice constant for these parameters

HopParams tight() {
  HopParams p;
  p.relax.fmax_eV_A = 1e-4;
  p.neb.images = 5;
  p.neb.fmax_eV_A = 1e-3;
  p.neb.end_state_fmax_eV_A = 1e-3;
  p.neb.max_iterations = 2000;
  return p;
}

}  // namespace

TEST(HopBuilder, VacancyHopEndStates) {
  Structure host = fcc(kA, 2);
  host.fixed.assign(host.size(), 0);
  host.fixed[7] = 1;
  const HopEndStates h = build_vacancy_hop(host, 5, 1);
  EXPECT_EQ(h.initial.size(), host.size() - 1);
  EXPECT_EQ(h.mobile_atom, 4u);
  EXPECT_EQ(h.initial.positions.col(4), host.positions.col(5));
  EXPECT_EQ(h.final_state.positions.col(4), host.positions.col(1));
  EXPECT_EQ(h.initial.fixed[6], 1);  // host atom 7 shifted down by one
  // Only the mobile ion differs between the end states.
  EXPECT_EQ((h.final_state.positions - h.initial.positions).colwise().norm().maxCoeff(),
            (host.positions.col(1) - host.positions.col(5)).norm());
  EXPECT_THROW(build_vacancy_hop(host, 3, 3), std::invalid_argument);
  EXPECT_THROW(build_vacancy_hop(host, 7, 3), std::invalid_argument);  // fixed ion cannot hop
}

TEST(HopBuilder, VacancyHopInLennardJonesFccIsSymmetric) {
  const HopEndStates h = build_vacancy_hop(fcc(kA, 2), 0, 1);
  const HopResult r = run_hop(h, kLj, tight());
  ASSERT_EQ(r.status, HopStatus::ok) << to_string(r.status);
  ASSERT_EQ(r.neb.status, NebStatus::converged) << to_string(r.neb.status);
  // The two end states are images of each other under the crystal's symmetry: equal energies
  // up to the relaxation error (~N·fmax²/k ≈ 31·1e-8/0.05 eV).
  EXPECT_NEAR(r.energy_initial_eV, r.energy_final_eV, 1e-5);
  EXPECT_NEAR(r.barrier_forward_eV, r.barrier_backward_eV, 1e-5);
  EXPECT_GT(r.barrier_forward_eV, 0.0);
  // The saddle has inversion symmetry through the hop midpoint: the ion sits there.
  const Eigen::Vector3d mid = 0.5 * (h.initial.positions.col(0) + h.final_state.positions.col(0));
  EXPECT_LT((r.neb.saddle.positions.col(0) - mid).norm(), 0.01);
  EXPECT_GT(r.initial_max_displacement_A, 0.0);
  EXPECT_LT(r.initial_max_displacement_A, 0.5);
  EXPECT_EQ(r.force_calls, r.initial_relaxed.force_calls + r.final_relaxed.force_calls + r.neb.force_calls);
}

TEST(HopBuilder, FlagsEndStatesThatLeaveTheirSites) {
  const HopEndStates h = build_vacancy_hop(fcc(kA, 2), 0, 1);
  HopParams p = tight();
  p.site_tolerance_A = 1e-3;  // neighbours of the vacancy relax by more than this
  const HopResult r = run_hop(h, kLj, p);
  EXPECT_EQ(r.status, HopStatus::end_state_left_site);
  EXPECT_EQ(r.neb.force_calls, 0);
}

TEST(HopBuilder, RejectsAnEndStateCheckTighterThanTheRelaxation) {
  HopParams p = tight();
  p.neb.end_state_fmax_eV_A = 0.1 * p.relax.fmax_eV_A;
  EXPECT_THROW(run_hop(build_vacancy_hop(fcc(kA, 2), 0, 1), kLj, p), std::invalid_argument);
}

TEST(HopBuilder, InterstitialHopInAFrozenHost) {
  // Octahedral (½,½,½)a to tetrahedral (¾,¾,¾)a along the 3-fold axis, host atoms fixed: the
  // straight line is the minimum-energy path by symmetry, through the shared triangular face.
  Structure host = fcc(6.0, 2);
  host.fixed.assign(host.size(), 1);
  const HopEndStates h = build_interstitial_hop(host, "Ar", Eigen::Vector3d(3.0, 3.0, 3.0), Eigen::Vector3d(4.5, 4.5, 4.5));
  EXPECT_EQ(h.mobile_atom, host.size());
  EXPECT_EQ(h.initial.fixed.back(), 0);
  const HopResult r = run_hop(h, kLj, tight());
  ASSERT_EQ(r.status, HopStatus::ok) << to_string(r.status);
  ASSERT_EQ(r.neb.status, NebStatus::converged) << to_string(r.neb.status);
  for (const Structure& im : r.neb.images) {
    EXPECT_EQ(im.positions.leftCols(host.positions.cols()), host.positions);  // host untouched
  }
  const Eigen::Vector3d p = r.neb.saddle.positions.col(static_cast<Eigen::Index>(h.mobile_atom));
  EXPECT_NEAR(p.x(), p.y(), 1e-6);
  EXPECT_NEAR(p.x(), p.z(), 1e-6);
  EXPECT_NEAR(r.barrier_forward_eV - r.barrier_backward_eV, r.energy_final_eV - r.energy_initial_eV, 1e-12);
  // Both cages are minima of the frozen host and the saddle (the shared triangular face) lies
  // strictly between them along the axis, above both.
  EXPECT_GT(p.x(), 3.0 + 0.05);
  EXPECT_LT(p.x(), 4.5 - 0.05);
  EXPECT_GT(r.barrier_forward_eV, 0.0);
  EXPECT_GT(r.barrier_backward_eV, 0.0);
  std::cout << "interstitial octahedral→tetrahedral: E_f − E_i = " << r.energy_final_eV - r.energy_initial_eV
            << " eV, forward barrier " << r.barrier_forward_eV << " eV, saddle at x = " << p.x() << " Å\n";
}
