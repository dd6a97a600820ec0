// Mechanics of the KMC engine: rates in closed form, detailed balance hop by hop, local
// updates equal to a full recomputation, determinism and sampling.
#include "kmc/Engine.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "kmc/MsdObserver.hpp"
#include "lattice/Units.hpp"
#include "tests/support/ModelBuilders.hpp"

using namespace ionhop;
using ionhop::testing::LatticeGasSpec;
using ionhop::testing::make_lattice_gas;

namespace {

TEST(Engine, OneVacancyInFccHasExactlyTwelveHopsAtTheArrheniusRate) {
  // fcc 4×4×4 conventional cells = 256 sites, 255 ions: the vacancy's 12 neighbours can hop.
  const double T = 500.0, Ea = 0.3, nu = 1e13;
  auto model = make_lattice_gas({"fcc", 3.0, 4, 255, Ea, nu, {}});
  kmc::Engine engine(model, T, kmc::Rng(1, 0));
  const double gamma = nu * std::exp(-Ea / (units::kBoltzmann_eV_per_K * T));
  EXPECT_NEAR(engine.total_rate(), 12 * gamma, 1e-12 * 12 * gamma);
  int movable = 0;
  for (int i = 0; i < engine.n_ions(); ++i) {
    const auto r = engine.hop_rates(engine.ion_site(i));
    const double s = std::accumulate(r.begin(), r.end(), 0.0);
    if (s > 0) {
      ++movable;
      EXPECT_DOUBLE_EQ(s, gamma);
    }
  }
  EXPECT_EQ(movable, 12);
}

// A model with everything that enters ΔE: two site types with different energies, Gaussian
// disorder, a region with its own energy and barrier shift, two mobile species of different
// charge and an immobile dopant, pair interactions over three shells.
std::shared_ptr<kmc::Model> rich_model() {
  lattice::Crystal c;
  c.cell = 2.0 * Eigen::Matrix3d::Identity();
  c.add_site("P", {0, 0, 0});
  c.add_site("Q", {0.5, 0.5, 0.5});
  const auto ops = lattice::find_space_group(c);
  auto m = std::make_shared<kmc::Model>();
  m->network = std::make_shared<lattice::HopNetwork>(
      c, std::vector<lattice::HopRule>{{0, 1, 1, {}}, {0, 0, 1, {}}}, ops);
  m->supercell = std::make_shared<lattice::Supercell>(c, std::array<int, 3>{5, 5, 5});
  m->site_types = {{"P", 0.0, 0.05}, {"Q", 0.12, 0.0}};
  m->species = {{"A", 1, true, {1, 1}, 60}, {"B", 2, true, {1, 1}, 20}, {"D", -1, false, {1, 0}, 5}};
  m->interactions = {{0, 0, {0.03, 0.01, -0.005}}, {0, 1, {0.05, 0.0, 0.01}}, {1, 1, {0.2, 0.05}},
                     {0, 2, {-0.1}}, {1, 2, {-0.15, -0.02}}};
  m->shells = std::make_shared<lattice::NeighborShells>(c, 3);
  m->regions = {{"gb", 0, 0.4, 0.6, 0.08, 0.1}};
  std::vector<kmc::HopBarrier> b;
  for (std::size_t k = 0; k < m->network->classes().size(); ++k) b.push_back({0.05 + 0.1 * k, 1e12});
  m->barriers = std::make_shared<kmc::TableBarrierSource>(b);
  return m;
}

TEST(Engine, EveryHopObeysDetailedBalanceAgainstTheBruteForceEnergy) {
  const double T = 400.0, kT = units::kBoltzmann_eV_per_K * T;
  auto model = rich_model();
  kmc::Engine engine(model, T, kmc::Rng(3, 1));
  engine.run({2000, -1}, 0, {});  // a generic configuration
  const auto& cell = *model->supercell;
  const auto& net = *model->network;
  int checked = 0, clamped_seen = 0;
  for (int i = 0; i < engine.n_ions() && checked < 300; ++i) {
    const auto s = engine.ion_site(i);
    const auto rates = engine.hop_rates(s);
    const auto& from = net.templates_from(cell.basis_of(s));
    for (std::size_t k = 0; k < rates.size(); ++k) {
      if (rates[k] <= 0) continue;
      const auto& t = net.templates()[from[k]];
      const auto target = cell.neighbor(cell.address(s), t.to_basis, t.cell_offset);
      const double e_before = engine.configuration_energy_eV();
      kmc::Engine copy = engine;
      copy.apply({s, target, from[k], 0.0, false});
      const double e_after = copy.configuration_energy_eV();
      // The reverse hop from the new state.
      const auto back = copy.hop_rates(target);
      const auto& from_target = net.templates_from(cell.basis_of(target));
      double reverse = -1;
      for (std::size_t q = 0; q < back.size(); ++q) {
        const auto& u = net.templates()[from_target[q]];
        if (cell.neighbor(cell.address(target), u.to_basis, u.cell_offset) == s) reverse = back[q];
      }
      ASSERT_GT(reverse, 0.0);
      const double dE = e_after - e_before;
      EXPECT_NEAR(std::log(rates[k] / reverse), -dE / kT, 1e-9) << "hop " << s << " -> " << target;
      clamped_seen += (dE > 2 * 0.05);
      ++checked;
    }
  }
  EXPECT_GT(checked, 100);
  EXPECT_GT(clamped_seen, 0);  // the clamp path was exercised
}

TEST(Engine, LocalUpdatesEqualAFullRecomputation) {
  auto model = rich_model();
  kmc::Engine engine(model, 350.0, kmc::Rng(11, 2));
  engine.run({20000, -1}, 0, {});
  const auto& cell = *model->supercell;
  double total = 0;
  for (lattice::SiteIndex s = 0; s < cell.n_sites(); ++s) {
    const auto r = engine.hop_rates(s);
    const double sum = engine.occupant(s) == kmc::Engine::kVacant ? 0.0 : std::accumulate(r.begin(), r.end(), 0.0);
    ASSERT_EQ(engine.stored_site_rate(s), sum) << "site " << s;
    total += sum;
  }
  EXPECT_NEAR(engine.total_rate(), total, 1e-12 * total);
}

TEST(Engine, LocalUpdatesEqualAFullRecomputationWithoutInteractions) {
  // The non-interacting fast path (open-hop masks, rate tables) on a half-filled fcc gas.
  auto model = make_lattice_gas({"fcc", 2.0, 5, 250, 0.1, 1e12, {}});
  kmc::Engine engine(model, 400.0, kmc::Rng(4, 4));
  engine.run({30000, -1}, 0, {});
  for (lattice::SiteIndex s = 0; s < model->supercell->n_sites(); ++s) {
    const auto r = engine.hop_rates(s);
    const double sum = engine.occupant(s) == kmc::Engine::kVacant ? 0.0 : std::accumulate(r.begin(), r.end(), 0.0);
    ASSERT_EQ(engine.stored_site_rate(s), sum) << "site " << s;
  }
}

TEST(Engine, PairCountsMatchABruteForceEnergyFromDistances) {
  auto model = make_lattice_gas({"sc", 1.0, 6, 100, 0.1, 1e12, {0.1, 0.03, 0.007}});
  kmc::Engine engine(model, 600.0, kmc::Rng(5, 5));
  engine.run({5000, -1}, 0, {});
  const auto& cell = *model->supercell;
  const Eigen::Matrix3d L = cell.cell_A();
  double e = 0;
  for (int i = 0; i < engine.n_ions(); ++i)
    for (int j = i + 1; j < engine.n_ions(); ++j) {
      Eigen::Vector3d f = L.inverse() * (cell.position_A(engine.ion_site(j)) - cell.position_A(engine.ion_site(i)));
      f -= f.array().round().matrix();
      const double d = (L * f).norm();
      if (std::abs(d - 1.0) < 1e-9) e += 0.1;
      if (std::abs(d - std::sqrt(2.0)) < 1e-9) e += 0.03;
      if (std::abs(d - std::sqrt(3.0)) < 1e-9) e += 0.007;
    }
  EXPECT_NEAR(engine.configuration_energy_eV(), e, 1e-10);
}

TEST(Engine, SameSeedSameTrajectoryAndDisplacementsFollowHops) {
  auto model = make_lattice_gas({"bcc", 2.0, 5, 80, 0.2, 1e13, {0.05}});
  kmc::Engine a(model, 500.0, kmc::Rng(99, 7)), b(model, 500.0, kmc::Rng(99, 7));
  a.run({3000, -1}, 0, {});
  b.run({3000, -1}, 0, {});
  EXPECT_EQ(a.time_s(), b.time_s());
  for (int i = 0; i < a.n_ions(); ++i) {
    EXPECT_EQ(a.displacement_A(i), b.displacement_A(i));
    EXPECT_EQ(a.ion_site(i), b.ion_site(i));
  }
  // Unwrapped displacement ≡ change of site position modulo the supercell.
  kmc::Engine fresh(model, 500.0, kmc::Rng(99, 7));
  const auto& cell = *model->supercell;
  const Eigen::Matrix3d L = cell.cell_A();
  for (int i = 0; i < a.n_ions(); ++i) {
    const Eigen::Vector3d moved = cell.position_A(a.ion_site(i)) - cell.position_A(fresh.ion_site(i)) - a.displacement_A(i);
    // Ions keep their identity, so a's ion i started where fresh's ion i is.
    const Eigen::Vector3d f = L.inverse() * moved;
    EXPECT_LT((f - f.array().round().matrix()).norm(), 1e-9);
  }
}

struct TimeRecorder final : kmc::Observer {
  std::vector<double> times;
  void sample(const kmc::Engine&, double t) override { times.push_back(t); }
};

TEST(Engine, ObserversSampleAtFixedSimulatedTimes) {
  auto model = make_lattice_gas({"sc", 1.0, 6, 50, 0.0, 1.0, {}});
  kmc::Engine engine(model, 300.0, kmc::Rng(1, 1));
  TimeRecorder rec;
  kmc::Observer* obs[] = {&rec};
  engine.run({-1, 10.0}, 0.25, obs);
  EXPECT_EQ(engine.time_s(), 10.0);
  ASSERT_EQ(rec.times.size(), 40u);  // 0, 0.25, …, 9.75
  for (std::size_t k = 0; k < rec.times.size(); ++k) EXPECT_DOUBLE_EQ(rec.times[k], 0.25 * k);
}

TEST(Engine, SupercellTooSmallForTheInteractionsIsRejected) {
  auto model = make_lattice_gas({"sc", 1.0, 3, 5, 0.1, 1e12, {0.1, 0.0, 0.0, 0.01}});  // shell 4 = 2a
  EXPECT_THROW(kmc::Engine(model, 300.0, kmc::Rng(1, 0)), std::invalid_argument);
}

TEST(MsdObserver, SingleWalkerMsdGrowsLinearlyOnAverage) {
  // A lone walker on a chain with unit hop rate per direction: MSD(τ) = 2Γa²τ exactly in
  // expectation; averaged over a long run and many origins it is close.
  auto model = make_lattice_gas({"chain", 1.0, 64, 1, 0.0, 1.0, {}});
  kmc::Engine engine(model, 300.0, kmc::Rng(8, 8));
  kmc::MsdObserver msd(engine, 10);
  kmc::Observer* obs[] = {&msd};
  engine.run({-1, 200000.0}, 1.0, obs);
  const auto c = msd.curves();
  for (int k = 1; k <= 10; ++k) {
    // The variance of one lag-k increment is 2(2k)² + …; with ~2·10⁵/k effectively
    // independent origins the relative error is below 3√(2k/2e5) ≈ 3%.
    EXPECT_NEAR(c.tracer_A2[0][k - 1], 2.0 * k, 0.1 * k) << "lag " << k;
  }
}

}  // namespace
