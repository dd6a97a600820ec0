#pragma once
/// Runs a model over temperatures × replicas in parallel (OpenMP). Each (temperature, replica)
/// task draws its own RNG stream from (seed, task id), so results do not depend on the number
/// of threads or on scheduling.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "kmc/Model.hpp"
#include "kmc/MsdObserver.hpp"
#include "kmc/SuperbasinOptions.hpp"

namespace ionhop::kmc {

struct SweepSettings {
  std::vector<double> temperatures_K;
  long long production_events = -1;   ///< per replica; −1 if production is by time
  double production_time_s = -1.0;    ///< per replica; −1 if production is by events
  long long equilibration_events = 0;
  double sample_interval_s = 0.0;     ///< ≤ 0: chosen per temperature by a pilot run
  int samples = 200;                  ///< target samples per replica (sets the automatic interval)
  int max_lag_samples = 50;
  int replicas = 8;
  std::uint64_t seed = 1;
  SuperbasinOptions superbasin;
};

struct ReplicaResult {
  MsdCurves msd;
  std::vector<long long> events_per_class;
  long long clamped_events = 0;
  long long events = 0;               ///< production events
  double simulated_time_s = 0.0;      ///< production time
  std::vector<double> occupancy_per_type;
  long long samples = 0;
  double wall_s = 0.0;
  SuperbasinStats superbasin;         ///< empty unless superbasin acceleration is on
};

struct TemperatureResult {
  double temperature_K = 0.0;
  double sample_interval_s = 0.0;
  std::vector<ReplicaResult> replicas;
  /// With superbasin acceleration: simulated time per second of one thread's wall time of a
  /// plain-KMC run of SuperbasinOptions::plain_pilot_events events (0 if not measured) [s/s].
  double plain_time_per_wall_s = 0.0;
};

/// Stream id of replica r at temperature index t (the sampling pilot uses replica = −1, the
/// plain-KMC timing pilot replica = −2).
std::uint64_t stream_id(std::size_t temperature_index, long long replica);

/// Called after each finished task with (tasks done, tasks total, events so far); serialised.
using SweepProgress = std::function<void(int, int, long long)>;

std::vector<TemperatureResult> run_sweep(std::shared_ptr<const Model> model, const SweepSettings& settings,
                                         const SweepProgress& progress = {});

/// Runs one replica: equilibration, clock reset, production with MSD and occupancy sampling.
ReplicaResult run_replica(std::shared_ptr<const Model> model, double temperature_K,
                          const SweepSettings& settings, double sample_interval_s, std::uint64_t stream);

/// The sampling interval for a temperature: production_time / samples, or, for runs by events,
/// production_events / samples times the mean waiting time measured in a pilot replica after
/// equilibration.
double choose_sample_interval(std::shared_ptr<const Model> model, double temperature_K,
                              const SweepSettings& settings, std::uint64_t pilot_stream);

}  // namespace ionhop::kmc
