// Acceleration of local superbasins against the rate ratio of fast in-cage hops to cage exits,
// from 10² to 10⁸ (issue 5): simulated time per second of wall time with local superbasins and
// with plain KMC, on the same cage lattice (tests/support/SuperbasinLattices.hpp: 4×4×4 cages
// joined through bridge sites, 8 ions, 300 K). In-cage hops keep 0.10 eV; the ratio is set by
// the bridge energy E_B: the barrier from a bridge back into a cage stays 0.15 eV (a shallow
// intermediate site, as on the inter-cage paths of argyrodites), the exit barrier is
// 0.15 eV + E_B, so exp((0.15 + E_B − 0.10)/k_BT) = ratio.
//
// Each timed iteration runs kBatch events of each engine, after a warm-up in which the basins
// are solved once (the solution cache is then warm, as in a long run). Counters:
//   accelerated_s_per_s, plain_s_per_s  simulated time per wall second,
//   acceleration                        their ratio (measured in the same iteration),
//   escapes_per_event                   share of the accelerated events that are escapes.
//
//   build/bench/kmc_superbasin_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>

#include "kmc/Engine.hpp"
#include "kmc/LocalSuperbasins.hpp"
#include "tests/support/SuperbasinLattices.hpp"

using namespace ionhop;

namespace {

constexpr long long kBatch = 20000;
constexpr double kT = 300.0;

void BM_CageAcceleration(benchmark::State& state) {
  const double ratio = std::pow(10.0, static_cast<double>(state.range(0)));
  ionhop::testing::CageLatticeSpec spec;
  spec.cells = 4;
  spec.ions = 8;
  const double back_eV = 0.15;
  spec.bridge_energy_eV = ionhop::testing::barrier_for_factor(1.0 / ratio, kT) + spec.intra_barrier_eV - back_eV;
  spec.exit_kra_eV = back_eV + spec.bridge_energy_eV / 2;
  auto model = ionhop::testing::make_cage_lattice(spec);
  kmc::SuperbasinOptions o;
  o.method = kmc::SuperbasinMethod::kLocal;
  o.detection = kmc::BasinDetection::kBarrier;
  o.barrier_gap_eV = 0.05;
  kmc::Engine plain(model, kT, kmc::Rng(1, 1));
  kmc::Engine fast(model, kT, kmc::Rng(1, 2));
  kmc::LocalSuperbasins acc(model, o);
  acc.start(fast);
  fast.run({kBatch, -1.0}, 0.0, {}, &acc);  // warm-up: basins solved, cache filled
  plain.run({kBatch, -1.0}, 0.0, {});
  double wall_plain = 0, wall_fast = 0, sim_plain = 0, sim_fast = 0;
  long long escapes0 = acc.stats().escapes, events = 0;
  for (auto _ : state) {
    const double t0p = plain.time_s(), t0f = fast.time_s();
    auto a = std::chrono::steady_clock::now();
    plain.run({kBatch, -1.0}, 0.0, {});
    auto b = std::chrono::steady_clock::now();
    fast.run({kBatch, -1.0}, 0.0, {}, &acc);
    auto c = std::chrono::steady_clock::now();
    wall_plain += std::chrono::duration<double>(b - a).count();
    wall_fast += std::chrono::duration<double>(c - b).count();
    sim_plain += plain.time_s() - t0p;
    sim_fast += fast.time_s() - t0f;
    events += kBatch;
  }
  state.counters["rate_ratio"] = ratio;
  state.counters["plain_s_per_s"] = sim_plain / wall_plain;
  state.counters["accelerated_s_per_s"] = sim_fast / wall_fast;
  state.counters["acceleration"] = (sim_fast / wall_fast) / (sim_plain / wall_plain);
  state.counters["escapes_per_event"] = static_cast<double>(acc.stats().escapes - escapes0) / events;
}

BENCHMARK(BM_CageAcceleration)->ArgName("log10_ratio")->DenseRange(2, 8, 1)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
