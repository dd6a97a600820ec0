// Throughput of the KMC engine (events per second) and its memory (bytes per site) from 10³ to
// 10⁷ sites, for the cases of issue 2: one vacancy in fcc, and a half-filled lattice gas on
// simple cubic without and with shell interactions.
//
// Only event batches are timed. The engine is built (placement, initial rates) once per
// benchmark outside the timed loop, and warmed up so that caches, the affected-site buffers and
// (with interactions) the configuration are past their initial transient. Google Benchmark
// calls each benchmark function several times while it picks an iteration count, so the engine
// is kept in a one-slot cache keyed by the benchmark's name and arguments: building a 10⁷-site
// engine once per call would dominate the run.
//
//   build-bench/bench/kmc_engine_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "kmc/Engine.hpp"
#include "tests/support/ModelBuilders.hpp"

using namespace ionhop;

namespace {

// Hops per timed iteration: large enough that Google Benchmark's per-iteration overhead is
// negligible, small enough that the 10³-site cases still run many iterations.
constexpr long long kBatch = 10000;

// Physical parameters: barrier and temperature give a rate of order 10⁸–10¹⁰ /s per hop, so the
// simulated clock stays far from overflow; the interacting cases use repulsions of a few k_BT
// so that the Boltzmann factors really differ from hop to hop.
constexpr double kTemperature_K = 600.0;
constexpr double kBarrier_eV = 0.3;
constexpr double kNu_Hz = 1e13;

struct Case {
  std::string prototype;
  int repeat;
  bool one_vacancy;  // else half filled
  std::vector<double> shells_eV;
};

struct CachedEngine {
  std::string key;
  std::unique_ptr<kmc::Engine> engine;
};

kmc::Engine& engine_for(const benchmark::State& state, const std::string& name, const Case& c) {
  static CachedEngine cache;
  const std::string key = name + "/" + std::to_string(state.range(0));
  if (cache.key != key) {
    cache.engine.reset();  // free the previous engine before allocating the next
    auto model = testing::make_lattice_gas({c.prototype, 1.0, c.repeat, 0, kBarrier_eV, kNu_Hz, c.shells_eV});
    const long long n = model->supercell->n_sites();
    model->species[0].count = c.one_vacancy ? n - 1 : n / 2;
    cache.engine = std::make_unique<kmc::Engine>(model, kTemperature_K, kmc::Rng(2024, 0));
    // Warm-up: one hop per site, capped so the 10⁷-site cases stay affordable.
    const long long warmup = std::clamp<long long>(n, 100000, 1000000);
    cache.engine->run({warmup, -1.0}, 0.0, {});
    cache.key = key;
  }
  return *cache.engine;
}

// Conventional-cell repetitions giving about the requested number of sites.
int repeat_for(long long sites, int sites_per_cell) {
  return std::max(1, static_cast<int>(std::lround(std::cbrt(static_cast<double>(sites) / sites_per_cell))));
}

void run_case(benchmark::State& state, const std::string& name, const Case& c) {
  kmc::Engine& e = engine_for(state, name, c);
  for (auto _ : state) {
    const auto stop = e.run({kBatch, -1.0}, 0.0, {});
    if (stop != kmc::RunStop::events_reached) state.SkipWithError("the lattice froze");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
  state.counters["n_sites"] = static_cast<double>(e.model().supercell->n_sites());
  state.counters["bytes_per_site"] = e.bytes_per_site();
  state.counters["ns_per_event"] = benchmark::Counter(static_cast<double>(state.iterations() * kBatch) * 1e-9,
                                                      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_FccOneVacancy(benchmark::State& state) {
  run_case(state, "fcc_vacancy", {"fcc", repeat_for(state.range(0), 4), true, {}});
}

void BM_ScHalfFilled(benchmark::State& state) {
  run_case(state, "sc_half", {"sc", repeat_for(state.range(0), 1), false, {}});
}

// Nearest-neighbour repulsion of 0.05 eV ≈ 1 k_BT at 600 K.
void BM_ScHalfFilledNnInteraction(benchmark::State& state) {
  run_case(state, "sc_half_nn", {"sc", repeat_for(state.range(0), 1), false, {0.05}});
}

// Three shells (6 + 12 + 8 neighbours), decaying repulsion.
void BM_ScHalfFilledThreeShells(benchmark::State& state) {
  run_case(state, "sc_half_3shells", {"sc", repeat_for(state.range(0), 1), false, {0.05, 0.02, 0.01}});
}

void sizes(benchmark::internal::Benchmark* b) {
  for (long long n : {1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL}) b->Arg(n);
  b->ArgName("sites")->Unit(benchmark::kMillisecond);
}

}  // namespace

BENCHMARK(BM_FccOneVacancy)->Apply(sizes);
BENCHMARK(BM_ScHalfFilled)->Apply(sizes);
BENCHMARK(BM_ScHalfFilledNnInteraction)->Apply(sizes);
BENCHMARK(BM_ScHalfFilledThreeShells)->Arg(10000)->Arg(1000000)->ArgName("sites")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
