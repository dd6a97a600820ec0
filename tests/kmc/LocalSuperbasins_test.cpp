// Mechanics of superbasin acceleration: detaching and attaching ions restores every rate bit
// for bit, escapes are selected like hops, basins are found by both criteria, and a run is
// reproducible from its seed.
#include <gtest/gtest.h>

#include "kmc/BasinCatalog.hpp"
#include "kmc/Engine.hpp"
#include "kmc/LocalSuperbasins.hpp"
#include "tests/support/SuperbasinLattices.hpp"

using namespace ionhop;

namespace {

std::shared_ptr<kmc::Model> cages(long long ions) {
  ionhop::testing::CageLatticeSpec spec;
  spec.cells = 3;
  spec.ions = ions;
  spec.exit_kra_eV = 0.30;  // cage → bridge 0.45 eV, bridge → cage 0.15 eV, in-cage 0.10 eV
  spec.bridge_energy_eV = 0.30;
  return ionhop::testing::make_cage_lattice(spec);
}

std::vector<double> all_site_rates(const kmc::Engine& e) {
  std::vector<double> r;
  for (lattice::SiteIndex s = 0; s < e.model().supercell->n_sites(); ++s) r.push_back(e.stored_site_rate(s));
  return r;
}

TEST(EngineDetach, DetachingAndAttachingBackRestoresEveryRate) {
  kmc::Engine e(cages(20), 300.0, kmc::Rng(3, 1));
  const auto before = all_site_rates(e);
  const double total = e.total_rate();
  const lattice::SiteIndex s = e.ion_site(7);
  e.detach_ion(7);
  EXPECT_TRUE(e.is_detached(7));
  EXPECT_EQ(e.occupant(s), kmc::Engine::kVacant);
  EXPECT_EQ(e.stored_site_rate(s), 0.0);
  EXPECT_THROW(e.detach_ion(7), std::logic_error);
  e.attach_ion(7, s, Eigen::Vector3d(1.0, 2.0, 3.0));
  EXPECT_EQ(all_site_rates(e), before);
  EXPECT_EQ(e.total_rate(), total);
  EXPECT_EQ(e.displacement_A(7), Eigen::Vector3d(1.0, 2.0, 3.0));
  EXPECT_THROW(e.attach_ion(7, s, Eigen::Vector3d::Zero()), std::logic_error);
}

TEST(EngineDetach, AnEscapeRateIsSelectedAsAnEscapeEvent) {
  kmc::Engine e(cages(1), 300.0, kmc::Rng(3, 1));
  e.detach_ion(0);
  ASSERT_EQ(e.total_rate(), 0.0);
  e.set_escape_rate(0, 5.0);
  EXPECT_DOUBLE_EQ(e.total_rate(), 5.0);
  const auto ev = e.select();
  ASSERT_TRUE(ev);
  EXPECT_EQ(ev->escape_ion, 0);
  EXPECT_GT(ev->dt_s, 0.0);
}

TEST(BasinCatalog, BarrierCriterionFindsTheCagesAndTheirReach) {
  auto model = cages(1);
  kmc::SuperbasinOptions o;
  o.detection = kmc::BasinDetection::kBarrier;
  o.barrier_gap_eV = 0.2;
  kmc::BasinCatalog c(*model, o);
  ASSERT_EQ(c.found_by_barrier(), 27);  // one cage per cell
  for (int b = 0; b < c.size(); ++b) {
    EXPECT_EQ(c.basin(b).sites.size(), 6u);
    // Without interactions the reach is the cage and the six bridges next to it.
    EXPECT_EQ(c.basin(b).reach.size(), 12u);
    EXPECT_EQ(c.basin(b).shape, c.basin(0).shape);  // translates share one shape
  }
  // Bridge sites belong to no basin.
  int bridges = 0;
  for (lattice::SiteIndex s = 0; s < model->supercell->n_sites(); ++s) bridges += c.basin_of(s) < 0;
  EXPECT_EQ(bridges, 3 * 27);
}

TEST(BasinCatalog, TransitionCountingJoinsPairsHoppedBothWays) {
  auto model = ionhop::testing::make_two_rate_ring(10, 0.1, 0.5);
  kmc::SuperbasinOptions o;
  o.detection = kmc::BasinDetection::kCounting;
  o.transition_count = 3;
  kmc::BasinCatalog c(*model, o);
  const Eigen::Vector3d v(0.6, 0, 0);
  for (int k = 0; k < 3; ++k) {
    EXPECT_TRUE(c.record_hop(0, 1, v).empty());
    EXPECT_EQ(c.basin_of(0), -1);
    c.record_hop(1, 0, -v);
  }
  ASSERT_GE(c.basin_of(0), 0);
  EXPECT_EQ(c.basin_of(0), c.basin_of(1));
  EXPECT_EQ(c.found_by_counting(), 1);
  const auto& b = c.basin(c.basin_of(0));
  EXPECT_NEAR((b.offset_A[c.local_index(c.basin_of(0), 1)] - b.offset_A[c.local_index(c.basin_of(0), 0)] - v).norm(), 0.0, 1e-12);
}

TEST(LocalSuperbasins, SameSeedSameTrajectoryAndIonsStayOnAllowedSites) {
  auto model = cages(30);
  kmc::SuperbasinOptions o;
  o.method = kmc::SuperbasinMethod::kLocal;
  o.detection = kmc::BasinDetection::kBarrier;
  std::vector<double> final_disp[2];
  for (int run = 0; run < 2; ++run) {
    kmc::Engine e(model, 300.0, kmc::Rng(9, 2));
    kmc::LocalSuperbasins acc(model, o);
    acc.start(e);
    e.run({20000, -1.0}, 0.0, {}, &acc);
    const auto st = acc.stats();
    EXPECT_GT(st.escapes, 50);
    EXPECT_GT(st.internal_jumps_avoided, 10.0 * st.escapes);
    EXPECT_LT(st.max_relative_residual, 1e-6);
    EXPECT_GT(st.min_reciprocal_condition, 0.0);
    acc.dissolve_all(e);
    EXPECT_EQ(acc.active_basins(), 0);
    int on_lattice = 0;
    for (lattice::SiteIndex s = 0; s < model->supercell->n_sites(); ++s) on_lattice += e.ion_at(s) >= 0;
    EXPECT_EQ(on_lattice, 30);
    for (int i = 0; i < e.n_ions(); ++i) {
      EXPECT_FALSE(e.is_detached(i));
      EXPECT_EQ(e.ion_at(e.ion_site(i)), i);
      for (int d = 0; d < 3; ++d) final_disp[run].push_back(e.displacement_A(i)[d]);
    }
    EXPECT_GT(e.time_s(), 0.0);
  }
  EXPECT_EQ(final_disp[0], final_disp[1]);
}

}  // namespace
