#include "kmc/Sweep.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "kmc/LocalSuperbasins.hpp"
#include "kmc/RateScaling.hpp"

namespace ionhop::kmc {

std::uint64_t stream_id(std::size_t t, long long replica) {
  return (static_cast<std::uint64_t>(t) << 32) ^ static_cast<std::uint64_t>(replica + 1);
}

namespace {

/// Sets the acceleration a study asks for up on the engine: rate scaling is applied to it
/// directly; local superbasins return the hook that runs them (null otherwise).
std::unique_ptr<LocalSuperbasins> make_accelerator(const std::shared_ptr<const Model>& model,
                                                   const SuperbasinOptions& o, Engine& engine) {
  if (o.method == SuperbasinMethod::kRateScaling)
    engine.set_template_rate_scale(plan_rate_scaling(*model, engine.temperature_K(), o).template_scale);
  if (o.method != SuperbasinMethod::kMcamc && o.method != SuperbasinMethod::kLocal) return nullptr;
  auto acc = std::make_unique<LocalSuperbasins>(model, o);
  acc->start(engine);
  return acc;
}

/// Simulated time per wall second of plain KMC at T, from a short run [s/s].
double plain_time_per_wall(std::shared_ptr<const Model> model, double T, const SweepSettings& s,
                           std::uint64_t stream) {
  Engine plain(model, T, Rng(s.seed, stream));
  const auto start = std::chrono::steady_clock::now();
  plain.run({s.superbasin.plain_pilot_events, -1.0}, 0.0, {});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return wall > 0 ? plain.time_s() / wall : 0.0;
}

}  // namespace

double choose_sample_interval(std::shared_ptr<const Model> model, double T, const SweepSettings& s,
                              std::uint64_t pilot_stream) {
  if (s.sample_interval_s > 0) return s.sample_interval_s;
  if (s.production_time_s > 0) return s.production_time_s / std::max(1, s.samples);
  Engine pilot(model, T, Rng(s.seed, pilot_stream));
  const auto acc = make_accelerator(model, s.superbasin, pilot);
  pilot.run({s.equilibration_events, -1.0}, 0.0, {}, acc.get());
  pilot.reset_clock();
  if (acc) acc->reset_clock();
  const long long probe = std::clamp<long long>(s.production_events / 10, 1, 20000);
  pilot.run({probe, -1.0}, 0.0, {}, acc.get());
  if (!(pilot.time_s() > 0))
    throw std::runtime_error("no hop is possible at T = " + std::to_string(T) + " K: check barriers and occupancy");
  // Per event of the run's own counting: hops plus escapes.
  const double mean_wait = pilot.time_s() / static_cast<double>(probe);
  return s.production_events * mean_wait / std::max(1, s.samples);
}

ReplicaResult run_replica(std::shared_ptr<const Model> model, double T, const SweepSettings& s,
                          double interval, std::uint64_t stream) {
  const auto start = std::chrono::steady_clock::now();
  Engine engine(model, T, Rng(s.seed, stream));
  const auto acc = make_accelerator(model, s.superbasin, engine);
  engine.run({s.equilibration_events, -1.0}, 0.0, {}, acc.get());
  engine.reset_clock();
  if (acc) acc->reset_clock();
  MsdObserver msd(engine, s.max_lag_samples);
  OccupancyObserver occupancy(engine);
  Observer* observers[] = {&msd, &occupancy};
  engine.run({s.production_events, s.production_time_s}, interval, observers, acc.get());
  ReplicaResult r;
  if (acc) r.superbasin = acc->stats();
  if (s.superbasin.method == SuperbasinMethod::kRateScaling)
    r.superbasin.class_rate_scale = plan_rate_scaling(*model, T, s.superbasin).class_scale;
  r.msd = msd.curves();
  r.events_per_class = engine.events_per_class();
  r.clamped_events = engine.clamped_events();
  r.events = engine.events();
  r.simulated_time_s = engine.time_s();
  r.occupancy_per_type = occupancy.mean_fraction();
  r.samples = msd.samples();
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

std::vector<TemperatureResult> run_sweep(std::shared_ptr<const Model> model, const SweepSettings& s,
                                         const SweepProgress& progress) {
  if ((s.production_events < 0) == (s.production_time_s < 0))
    throw std::invalid_argument("give exactly one of production events or production time");
  const int nT = static_cast<int>(s.temperatures_K.size());
  std::vector<TemperatureResult> out(nT);
  std::vector<std::exception_ptr> errors(nT * (s.replicas + 1));

#pragma omp parallel for schedule(dynamic, 1)
  for (int t = 0; t < nT; ++t) {
    try {
      out[t].temperature_K = s.temperatures_K[t];
      out[t].sample_interval_s = choose_sample_interval(model, s.temperatures_K[t], s, stream_id(t, -1));
      out[t].replicas.resize(s.replicas);
      if (s.superbasin.method != SuperbasinMethod::kNone && s.superbasin.plain_pilot_events > 0)
        out[t].plain_time_per_wall_s = plain_time_per_wall(model, s.temperatures_K[t], s, stream_id(t, -2));
    } catch (...) {
      errors[t] = std::current_exception();
    }
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);

  const int tasks = nT * s.replicas;
  int done = 0;
  long long events = 0;
#pragma omp parallel for schedule(dynamic, 1)
  for (int task = 0; task < tasks; ++task) {
    const int t = task / s.replicas;
    const int r = task % s.replicas;
    try {
      out[t].replicas[r] = run_replica(model, s.temperatures_K[t], s, out[t].sample_interval_s, stream_id(t, r));
    } catch (...) {
      errors[task] = std::current_exception();
    }
#pragma omp critical(ionhop_sweep_progress)
    {
      ++done;
      events += out[t].replicas[r].events;
      if (progress) progress(done, tasks, events);
    }
  }
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

}  // namespace ionhop::kmc
