// The engine's specialised local updates (kmc/Engine apply_local: plain index steps in the
// interior, index corrections by table near the supercell boundary, rates by neighbour counts
// with one species and one shell, kept as per-site histograms of the vacant hop targets by
// their count) against a full recomputation, on supercells small enough that most events
// touch the boundary, and on ones too small for the tables (general path). Detaching and
// attaching ions and rescaling attempt frequencies (the other ways the engine changes
// occupancy or rates) are checked the same way.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <numeric>
#include <string>

#include "kmc/Engine.hpp"
#include "tests/support/ModelBuilders.hpp"

using namespace ionhop;
using ionhop::testing::make_lattice_gas;

namespace {

struct Case {
  std::string prototype;
  int repeat;
  double fill;
  double nn_eV;  // 0: no interaction (rate tables by open mask); else one shell (count mode)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.prototype << c.repeat << (c.nn_eV != 0 ? "_nn" : ""); }

class LocalUpdates : public ::testing::TestWithParam<Case> {};

TEST_P(LocalUpdates, StoredRatesAndPairEnergyEqualAFullRecomputation) {
  const Case& c = GetParam();
  std::vector<double> shells;
  if (c.nn_eV != 0) shells = {c.nn_eV};
  auto model = make_lattice_gas({c.prototype, 1.0, c.repeat, 0, 0.2, 1e12, shells});
  const auto& cell = *model->supercell;
  model->species[0].count = std::lround(c.fill * cell.n_sites());
  kmc::Engine engine(model, 500.0, kmc::Rng(17, 1));
  const std::size_t n_templates = model->network->templates().size();
  for (int round = 0; round < 5; ++round) {
    engine.run({5000, -1}, 0, {});
    if (round == 1) {
      // An ion taken off the lattice and put back on another vacant site.
      const int ion = engine.n_ions() / 2;
      engine.detach_ion(ion);
      lattice::SiteIndex to = 0;
      while (engine.occupant(to) != kmc::Engine::kVacant || to == engine.ion_site(ion)) ++to;
      engine.attach_ion(ion, to, Eigen::Vector3d::Zero());
    } else if (round == 2) {
      // The same factor for every template: the rate tables keep their structure.
      engine.set_template_rate_scale(std::vector<double>(n_templates, 3.0));
    } else if (round == 3) {
      // A factor per template: on most lattices hops of one site then differ in their rates.
      std::vector<double> scale(n_templates);
      for (std::size_t h = 0; h < n_templates; ++h) scale[h] = 1.0 + 0.25 * static_cast<double>(h % 3);
      engine.set_template_rate_scale(scale);
    }
    // Every stored site rate equals the sum of its hop rates computed afresh (hop_rates()
    // decodes every neighbour from the site's address): bit for bit without interactions;
    // with them the engine sums the same rates grouped by the target's neighbour count
    // (n_c·T_c), so the two sums of at most d + 1 roundings each (d hops) may differ by
    // 2(d + 1) ulps of the sum, while one wrong count or histogram entry would change the
    // sum by a whole hop rate (≥ 10⁻³ of the sum at these energies and temperature).
    double total = 0;
    for (lattice::SiteIndex s = 0; s < cell.n_sites(); ++s) {
      const auto r = engine.hop_rates(s);
      const double sum =
          engine.occupant(s) == kmc::Engine::kVacant ? 0.0 : std::accumulate(r.begin(), r.end(), 0.0);
      if (c.nn_eV == 0 || sum == 0.0)
        ASSERT_EQ(engine.stored_site_rate(s), sum) << "site " << s << " after " << engine.events() << " events";
      else
        ASSERT_NEAR(engine.stored_site_rate(s), sum, 2.0 * static_cast<double>(r.size() + 1) * DBL_EPSILON * sum)
            << "site " << s << " after " << engine.events() << " events";
      total += sum;
    }
    EXPECT_NEAR(engine.total_rate(), total, 1e-12 * total);
    // The neighbour counts kept by the updates give the pair energy counted from distances
    // (nearest neighbours: the shortest distance between two sites of the lattice).
    if (c.nn_eV == 0) continue;
    const Eigen::Matrix3d L = cell.cell_A();
    const Eigen::Matrix3d Linv = L.inverse();
    auto distance = [&](lattice::SiteIndex a, lattice::SiteIndex b) {
      Eigen::Vector3d f = Linv * (cell.position_A(b) - cell.position_A(a));
      f -= f.array().round().matrix();
      return (L * f).norm();
    };
    double d_nn = 1e300;
    for (lattice::SiteIndex s = 1; s < cell.n_sites(); ++s) d_nn = std::min(d_nn, distance(0, s));
    double e = 0;
    for (int i = 0; i < engine.n_ions(); ++i)
      for (int j = i + 1; j < engine.n_ions(); ++j)
        if (std::abs(distance(engine.ion_site(i), engine.ion_site(j)) - d_nn) < 1e-9) e += c.nn_eV;
    EXPECT_NEAR(engine.configuration_energy_eV(), e, 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(Engine, LocalUpdates,
                         ::testing::Values(Case{"sc", 3, 0.5, 0.0}, Case{"sc", 4, 0.5, 0.0}, Case{"sc", 7, 0.5, 0.0},
                                           Case{"fcc", 3, 0.5, 0.0}, Case{"sc", 4, 0.5, 0.06},
                                           Case{"sc", 5, 0.4, -0.05}, Case{"sc", 8, 0.5, 0.06},
                                           Case{"bcc", 4, 0.5, 0.05}, Case{"fcc", 3, 0.5, 0.04},
                                           Case{"square", 7, 0.5, 0.06}, Case{"chain", 30, 0.5, 0.08},
                                           Case{"honeycomb", 6, 0.5, 0.05}),
                         [](const auto& info) {
                           const Case& c = info.param;
                           return c.prototype + std::to_string(c.repeat) + (c.nn_eV != 0 ? "_nn" : "");
                         });

}  // namespace
