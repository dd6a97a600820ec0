// The engine samples the Boltzmann distribution of an interacting lattice gas: the
// time-averaged number of nearest-neighbour pairs equals the canonical average from an exact
// enumeration of every configuration. Small supercells with nearest-neighbour interactions run
// the count-rate path with per-site histograms (kmc/Engine open_hist_), in the interior, near
// the boundary and (sc 4³) through the general updates; a wrong rate anywhere (a histogram or a
// count off by one, a missed affected site) breaks detailed balance and shifts the average.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "kmc/Engine.hpp"
#include "lattice/Units.hpp"
#include "tests/support/ModelBuilders.hpp"

using namespace ionhop;
using ionhop::testing::make_lattice_gas;

namespace {

struct Case {
  std::string prototype;
  int repeat;
  int ions;
  double nn_eV;
  double temperature_K;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.prototype << c.repeat << "_" << c.ions << "_" << c.nn_eV; }

class Boltzmann : public ::testing::TestWithParam<Case> {};

TEST_P(Boltzmann, TimeAveragedPairCountEqualsTheExactCanonicalAverage) {
  const Case& c = GetParam();
  auto model = make_lattice_gas({c.prototype, 1.0, c.repeat, c.ions, 0.2, 1e12, {c.nn_eV}});
  const auto& cell = *model->supercell;
  const int n = static_cast<int>(cell.n_sites());

  // Nearest-neighbour bonds from distances (minimum image), independent of the engine.
  const Eigen::Matrix3d L = cell.cell_A();
  const Eigen::Matrix3d Linv = L.inverse();
  auto distance = [&](int a, int b) {
    Eigen::Vector3d f = Linv * (cell.position_A(b) - cell.position_A(a));
    f -= f.array().round().matrix();
    return (L * f).norm();
  };
  double d_nn = 1e300;
  for (int s = 1; s < n; ++s) d_nn = std::min(d_nn, distance(0, s));
  std::vector<std::vector<char>> bonded(n, std::vector<char>(n, 0));
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) bonded[a][b] = a != b && std::abs(distance(a, b) - d_nn) < 1e-9;

  // Exact canonical averages of the pair count over all C(n, ions) configurations.
  const double kT = units::kBoltzmann_eV_per_K * c.temperature_K;
  double z = 0, z_pairs = 0, plain_pairs = 0, configs = 0;
  std::vector<int> pick(c.ions);
  for (int i = 0; i < c.ions; ++i) pick[i] = i;
  while (true) {
    int pairs = 0;
    for (int i = 0; i < c.ions; ++i)
      for (int j = i + 1; j < c.ions; ++j) pairs += bonded[pick[i]][pick[j]];
    const double w = std::exp(-c.nn_eV * pairs / kT);
    z += w;
    z_pairs += w * pairs;
    plain_pairs += pairs;
    configs += 1;
    int i = c.ions - 1;
    while (i >= 0 && pick[i] == n - c.ions + i) --i;
    if (i < 0) break;
    ++pick[i];
    for (int j = i + 1; j < c.ions; ++j) pick[j] = pick[j - 1] + 1;
  }
  const double exact = z_pairs / z;
  const double random = plain_pairs / configs;  // without the interaction

  // Time average of the engine's pair count (configuration energy / pair energy), in batches.
  kmc::Engine engine(model, c.temperature_K, kmc::Rng(23, 7));
  engine.run({20000, -1}, 0, {});
  constexpr int kBatches = 40;
  constexpr int kEventsPerBatch = 5000;
  std::vector<double> batch_mean;
  for (int b = 0; b < kBatches; ++b) {
    double t = 0, tp = 0;
    for (int k = 0; k < kEventsPerBatch; ++k) {
      const auto e = engine.select();
      ASSERT_TRUE(e);
      const double pairs = engine.configuration_energy_eV() / c.nn_eV;
      t += e->dt_s;
      tp += e->dt_s * pairs;
      engine.apply(*e);
    }
    batch_mean.push_back(tp / t);
  }
  double mean = 0;
  for (double m : batch_mean) mean += m / kBatches;
  double var = 0;
  for (double m : batch_mean) var += (m - mean) * (m - mean) / (kBatches - 1);
  const double se = std::sqrt(var / kBatches);
  // Batches of 5000 events on ≤ 64 sites are far longer than the pair count's correlation
  // time, so the batch means are independent; 4 standard errors.
  EXPECT_NEAR(mean, exact, 4 * se) << "random placement: " << random;
  // The test sees the interaction: the exact average is many standard errors from the
  // average without it.
  EXPECT_GT(std::abs(exact - random), 10 * se) << "exact " << exact << ", random " << random;
}

INSTANTIATE_TEST_SUITE_P(Engine, Boltzmann,
                         ::testing::Values(Case{"square", 4, 8, 0.05, 300.0}, Case{"square", 4, 6, -0.04, 300.0},
                                           Case{"sc", 4, 3, -0.06, 400.0}, Case{"chain", 12, 5, 0.05, 300.0}),
                         [](const auto& info) {
                           const Case& c = info.param;
                           return c.prototype + std::to_string(c.repeat) + "_" + std::to_string(c.ions) +
                                  (c.nn_eV > 0 ? "_repulsive" : "_attractive");
                         });

}  // namespace
