#pragma once
/// What the superbasin acceleration is asked to do, and what it reports. See docs/superbasin.md.
#include <cstdint>
#include <vector>

namespace ionhop::kmc {

enum class SuperbasinMethod {
  kNone,         ///< plain KMC
  kMcamc,        ///< exact basins; requires a single mobile ion (the basin is the whole state)
  kLocal,        ///< local superbasins of the ions inside a basin, exact while isolated
  kRateScaling,  ///< scaling of quasi-equilibrated fast hop classes (AS-KMC), biased, measured
};

/// How basins are found. Both criteria feed one catalog of basins (sets of sites).
enum class BasinDetection {
  kBarrier,   ///< up front: connected sites joined by hops whose barriers lie a gap below the rest
  kCounting,  ///< on the fly: a site pair hopped over N times in both directions
  kBoth,
};

struct SuperbasinOptions {
  SuperbasinMethod method = SuperbasinMethod::kNone;
  BasinDetection detection = BasinDetection::kBoth;
  /// Barrier criterion: the hops below the lowest gap of at least this width in the sorted
  /// list of bond barriers max(E_a→, E_a←) (site-type energies only, so independent of T) are
  /// fast [eV].
  double barrier_gap_eV = 0.2;
  /// Counting criterion: hops over one site pair in each direction before the pair is joined.
  int transition_count = 8;
  /// Largest basin in sites; larger or periodic (percolating) clusters are not basins.
  int max_basin_sites = 32;
  /// Largest local superbasin in states (arrangements of its ions); above it: plain KMC.
  int max_basin_states = 720;
  /// Solved basins kept (least recently used dropped first).
  int cache_size = 4096;
  /// Site pairs whose hop counts are kept for the counting criterion before the counts are
  /// cleared (a window of recent transitions, so memory stays bounded).
  int count_window_pairs = 1 << 16;
  /// Rate scaling: smallest ratio kept between a scaled fast class and the slow hops [–].
  double min_rate_ratio = 100.0;
  /// Plain-KMC events per temperature timed to measure the acceleration (0: not measured).
  long long plain_pilot_events = 100000;
};

/// Counters of one replica's superbasin acceleration (summed over replicas by the caller).
struct SuperbasinStats {
  long long basins_by_barrier = 0;      ///< basins found by the barrier criterion
  long long basins_by_counting = 0;     ///< basins created or grown by transition counting
  long long activations = 0;            ///< local superbasins entered (ions detached)
  long long escapes = 0;                ///< exits sampled from solved basins
  long long dissolutions = 0;           ///< active basins dissolved because an ion came near
  long long isolation_failures = 0;     ///< entries refused: another ion within reach
  long long too_many_states = 0;        ///< entries refused: more states than the bound
  long long cache_hits = 0;
  long long cache_misses = 0;           ///< basin solves
  double internal_jumps_avoided = 0.0;  ///< expected in-basin hops replaced by the escapes
  double time_in_basins_s = 0.0;        ///< mean exit times summed over escapes [s]
  double max_relative_residual = 0.0;   ///< worst solve residual
  double min_reciprocal_condition = 1.0;  ///< worst conditioning of a solved basin
  std::vector<long long> basin_sites_histogram;   ///< [n]: activations of basins with n sites
  std::vector<long long> basin_states_histogram;  ///< [n]: solves with n states
  /// Rate scaling: the factor applied to each hop class at the end [–] (empty otherwise).
  std::vector<double> class_rate_scale;

  void merge(const SuperbasinStats& o);
};

}  // namespace ionhop::kmc
