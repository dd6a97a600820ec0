#pragma once
/// Local superbasins: exact escapes (MCAMC / mean-rate method) of the ions inside a basin of
/// sites, run alongside the engine's plain hops. See docs/superbasin.md.
///
/// When ions sit in a basin (kmc/BasinCatalog) and no other ion is within its reach, the
/// basin's ions and sites form a small absorbing Markov chain: its states are the arrangements
/// of those ions on the basin's sites, its transitions their in-basin hops, its exits every hop
/// leaving the basin. It is solved exactly (kmc/AbsorbingMarkovChain) and the ions are taken
/// off the lattice (detached); one escape process with rate 1/E[T] stands for them in the
/// engine's selector (exponential exit-time law with the exact mean). An escape puts every ion
/// at its place in the exit's origin state and the leaving ion at the exit's target, so
/// displacements stay exact. The chain is exact only while it is isolated: when an ion comes
/// within reach, the basin is dissolved (its ions placed at an arrangement drawn from the
/// expected occupation times) and plain KMC goes on until it is isolated again.
#include <Eigen/Core>
#include <list>
#include <map>
#include <memory>
#include <vector>

#include "kmc/BasinCatalog.hpp"
#include "kmc/Engine.hpp"
#include "kmc/SuperbasinOptions.hpp"

namespace ionhop::kmc {

class LocalSuperbasins final : public EventHook {
 public:
  LocalSuperbasins(std::shared_ptr<const Model> model, const SuperbasinOptions& options);

  /// Tries every ion once (call before the first run()).
  void start(Engine& engine);
  void after_hop(Engine& engine, const Event& e) override;
  void escape(Engine& engine, int ion) override;
  void before_sample(Engine& engine) override;
  /// Call after Engine::reset_clock(): detached ions count their displacement from here on,
  /// and the counters restart (the catalog's basin counts are kept).
  void reset_clock();
  /// Puts every detached ion back on the lattice.
  void dissolve_all(Engine& engine);
  /// Counters so far, including the catalog's.
  SuperbasinStats stats() const;
  const BasinCatalog& catalog() const { return catalog_; }
  int active_basins() const { return n_active_; }

 private:
  /// An exit, relative to the basin (so that a translate of the basin can share it).
  struct Exit {
    int from_state = 0;
    int slot = 0;      // which of the basin's ions leaves
    int local = 0;     // from which basin site (local index)
    int tmpl = 0;      // along which hop template (its target lies outside the basin)
  };
  /// One basin solved from one entry arrangement (state 0).
  struct Solved {
    int n_slots = 0;
    std::vector<std::uint8_t> state_sites;  // [state·n_slots + slot]: local site index
    std::vector<Exit> exits;
    std::vector<double> exit_cumulative;    // Σ_{c' ≤ c} p_c'
    std::vector<double> time_cumulative_s;  // Σ_{i' ≤ i} τ_i' (expected time in each state)
    double mean_exit_time_s = 0.0;
    double internal_jumps = 0.0;            // expected in-basin hops before the exit
  };
  struct Instance {
    int basin = -1;
    std::vector<int> ions;                      // by slot
    std::vector<int> entry_local;               // local site index of each slot at entry
    std::vector<Eigen::Vector3d> entry_disp_A;  // displacement of each slot at entry
    std::shared_ptr<const Solved> solved;
    bool active = false;
  };

  void try_enter(Engine& engine, int basin);
  /// Builds and solves the chain of the (detached) ions `ions` at local sites `local` of
  /// `basin`; null if it has too many states or no exit. Leaves the ions detached.
  std::shared_ptr<const Solved> solve(Engine& engine, int basin, const std::vector<int>& ions,
                                      const std::vector<int>& local);
  /// Ends an instance: ions attached at the local sites `final_local`; the leaving slot, if
  /// any, goes on along the exit's hop to `exit_to`.
  void leave(Engine& engine, int inst, const std::vector<int>& final_local, const Exit* exit,
             lattice::SiteIndex exit_to);
  void dissolve(Engine& engine, int inst);
  /// Dissolves the active basins whose reach holds site s (an ion just arrived there).
  void dissolve_reaching(Engine& engine, lattice::SiteIndex s);
  int sample_index(const std::vector<double>& cumulative, Engine& engine) const;

  std::shared_ptr<const Model> model_;
  SuperbasinOptions options_;
  BasinCatalog catalog_;
  SuperbasinStats stats_;
  std::vector<std::uint16_t> guard_;       // per site: active basins whose reach holds it
  std::vector<std::int32_t> core_owner_;   // per site: active instance whose basin holds it
  std::vector<std::int32_t> instance_of_ion_;
  std::vector<std::int32_t> instance_of_basin_;
  std::vector<Instance> instances_;
  // Rates depend on the site only through its basis site (no disorder, regions or immobile
  // species): translated basins share their solutions.
  bool translation_invariant_ = false;
  std::vector<int> free_instances_;
  int n_active_ = 0;
  // Solved basins by (basin, version, arrangement), least recently used last.
  using Key = std::vector<std::int64_t>;
  std::list<std::pair<Key, std::shared_ptr<const Solved>>> lru_;
  std::map<Key, decltype(lru_)::iterator> cache_;
};

}  // namespace ionhop::kmc
