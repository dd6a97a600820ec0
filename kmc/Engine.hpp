#pragma once
/// The rejection-free (residence-time) KMC engine for one replica at one temperature.
///
/// Events are hops of a mobile ion into a vacant neighbouring site. The selector holds one
/// rate per site (the sum of the rates of the hops leaving it) in a RateTree; an event picks a
/// site in O(log N), then one of its hops. After an event only the sites whose hop rates the
/// event could change are recomputed: the sites next to the two sites that changed, and with
/// pair interactions those next to every site whose interaction energy changed.
#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "kmc/Model.hpp"
#include "kmc/RateTree.hpp"
#include "kmc/Rng.hpp"

namespace ionhop::kmc {

class Engine;

/// Observers see the engine read-only at fixed simulated-time intervals.
class Observer {
 public:
  virtual ~Observer() = default;
  /// Called with the state that holds at simulated time `time_s` (since the last reset).
  virtual void sample(const Engine& engine, double time_s) = 0;
};

struct Event {
  lattice::SiteIndex from = 0;
  lattice::SiteIndex to = 0;
  int hop_template = 0;
  double dt_s = 0.0;
  bool clamped = false;
  /// ≥ 0: not a hop but the escape process of this (detached) ion, whose rate was set with
  /// Engine::set_escape_rate(); carried out by the EventHook, not by apply().
  int escape_ion = -1;
};

/// What an acceleration scheme (kmc/LocalSuperbasins) does around the engine's events.
/// Engine::run() calls it; the engine itself knows nothing of basins.
class EventHook {
 public:
  virtual ~EventHook() = default;
  /// After a hop was applied.
  virtual void after_hop(Engine& engine, const Event& e) = 0;
  /// Carries out the escape of a detached ion (the clock has already advanced).
  virtual void escape(Engine& engine, int ion) = 0;
  /// Before observers sample: gives detached ions a position to be seen at.
  virtual void before_sample(Engine& engine) = 0;
};

struct RunLimits {
  long long max_events = -1;   ///< −1: no limit
  double max_time_s = -1.0;    ///< −1: no limit (time since the last reset_clock())
};

enum class RunStop { events_reached, time_reached, frozen };

/// One replica. Not safe for concurrent use, not even of const members (they share a memo).
class Engine {
 public:
  static constexpr std::uint8_t kVacant = 0;
  static constexpr int kMaxDegree = 64;  ///< most hops leaving one site

  /// Places ions and immobile species at random (from `rng`), draws site-energy disorder, and
  /// computes all rates. Throws std::invalid_argument if the supercell is too small for the
  /// hops or interaction shells (a site would see itself or one neighbour twice).
  Engine(std::shared_ptr<const Model> model, double temperature_K, Rng rng);

  /// Draws the next event and its waiting time; nothing if no hop is possible.
  std::optional<Event> select();
  /// Carries out an event from select().
  void apply(const Event& e);
  /// Runs events, sampling the observers every `sample_interval_s` of simulated time
  /// (≤ 0: no sampling), until a limit is reached or no event is possible.
  RunStop run(const RunLimits& limits, double sample_interval_s, std::span<Observer* const> observers,
              EventHook* hook = nullptr);
  /// Zeroes the clock, the displacements and the event statistics (end of equilibration).
  void reset_clock();

  const Model& model() const { return *model_; }
  double temperature_K() const { return temperature_K_; }
  double time_s() const { return time_s_; }
  long long events() const { return events_; }
  double total_rate() const { return tree_.total(); }
  /// The selector's stored rate of a site (sum of its hop rates) [1/s].
  double stored_site_rate(lattice::SiteIndex s) const { return tree_.rate(s); }

  /// 0 for a vacant site, else 1 + global species index.
  std::uint8_t occupant(lattice::SiteIndex s) const { return site_[s].occ; }
  int n_ions() const { return static_cast<int>(ion_site_.size()); }
  /// Index of the mobile ion on site s, or −1.
  int ion_at(lattice::SiteIndex s) const { return site_[s].ion; }
  int ion_species(int ion) const { return ion_species_[ion]; }
  lattice::SiteIndex ion_site(int ion) const { return ion_site_[ion]; }
  /// Unwrapped displacement of a mobile ion since the last reset_clock() [Å].
  Eigen::Vector3d displacement_A(int ion) const {
    return Eigen::Vector3d(disp_[3 * ion], disp_[3 * ion + 1], disp_[3 * ion + 2]);
  }
  const std::vector<long long>& events_per_class() const { return class_events_; }
  long long clamped_events() const { return clamped_events_; }
  /// Rates of the hops leaving a site, in the order of the hop network's templates_from().
  std::vector<double> hop_rates(lattice::SiteIndex s) const;
  /// Energy of a mobile ion at site s without pair interactions: site type, region shift and
  /// disorder [eV].
  double site_energy_eV(lattice::SiteIndex s) const {
    return basis_energy_eV_[cell_.basis_of(s)] + (site_shift_eV_.empty() ? 0.0 : site_shift_eV_[s]);
  }
  /// Configuration energy (site energies plus pair interactions) [eV].
  double configuration_energy_eV() const;
  /// Bytes held per lattice site by the engine's state.
  double bytes_per_site() const;
  const Rng& rng() const { return rng_; }
  Rng& rng() { return rng_; }

  // ---- Mechanics for acceleration schemes (see EventHook) -----------------------------------
  /// Takes a mobile ion off the lattice: its site becomes vacant for every rate. The ion keeps
  /// its index, displacement and recorded site (ion_site()) until attach_ion().
  void detach_ion(int ion);
  /// Puts a detached ion on the vacant site s, adding displacement_A [Å] to its unwrapped
  /// displacement. Throws std::logic_error if the ion is attached or s is occupied.
  void attach_ion(int ion, lattice::SiteIndex s, const Eigen::Vector3d& displacement_A);
  bool is_detached(int ion) const { return !detached_.empty() && detached_[ion] != 0; }
  /// Sets the site and displacement at which a detached ion is seen by observers.
  void set_detached_view(int ion, lattice::SiteIndex s, const Eigen::Vector3d& displacement_A);
  /// Rate [1/s] of the escape process of a detached ion (0: none); an escape is selected like
  /// a hop and returned as an Event with escape_ion set.
  void set_escape_rate(int ion, double rate_per_s);
  /// Multiplies the attempt frequency of every hop template h by scale[h] (> 0), relative to
  /// the barrier source's ν, and recomputes every rate (O(N)). Rate scaling of fast hops
  /// (kmc/RateScaling). Scaling a template and its reverse alike keeps detailed balance.
  void set_template_rate_scale(const std::vector<double>& scale);
  /// Advances the clock without an event (the time of an escape).
  void advance_time(double dt_s) { time_s_ += dt_s; }

 private:
  /// A step from a site of a known basis to the basis site `to_basis` in the cell `offset`
  /// away; `delta` is the change of site index when the step does not wrap.
  struct Step {
    int to_basis = 0;
    std::array<int, 3> offset{0, 0, 0};
    lattice::SiteIndex delta = 0;
  };
  /// The cells c with lo ≤ c < hi (per axis), from which no step of a list wraps around the
  /// supercell: there a neighbour is the site index plus the step's delta.
  struct Box {
    std::array<int, 3> lo{0, 0, 0};
    std::array<int, 3> hi{0, 0, 0};
    bool contains(const lattice::SiteAddress& a) const {
      bool in = true;
      for (int k = 0; k < 3; ++k) in &= a.cell[k] >= lo[k] && a.cell[k] < hi[k];
      return in;
    }
  };
  /// A hop leaving a basis site: its step and its template index.
  struct Hop {
    Step step;
    int tmpl = 0;
    int reverse = -1;  ///< position of the reverse hop among the hops of the target's basis
  };
  /// A pair-interaction neighbour of a basis site: its step and its shell (0-based).
  struct ShellStep {
    Step step;
    int shell = 0;
  };
  struct MemoEntry {
    std::uint64_t bits = 0;  // of +0.0, whose factor is 1: valid from the start
    double factor = 1.0;
  };
  static constexpr int kMemoBits = 10;

  void place_species();
  void build_steps();
  /// Recomputes the stored rate of every site whose rate can change when the occupancy of s
  /// changes (the affected sites of a hop leaving s), then flushes the tree.
  void recompute_around(lattice::SiteIndex s);
  Step make_step(int from_basis, int to_basis, const std::array<int, 3>& offset) const;
  template <class StepList>
  Box box_of(const StepList& steps) const;
  /// Calls f(k, j) for the k-th hop leaving site s (address a), whose target is site j.
  template <class F>
  void for_each_hop_target(lattice::SiteIndex s, const lattice::SiteAddress& a, F&& f) const;
  void build_interaction_counts();
  /// Fills the rates of the hops leaving s (address a), unless `rates` is null, and returns
  /// their sum (the same bits either way).
  double site_rates(lattice::SiteIndex s, const lattice::SiteAddress& a, double* rates) const;
  /// What the rate of a hop of one species depends on, as plain pointers: the inner loop over
  /// hops then does a few loads per hop (members would be reloaded after every store).
  struct SpeciesEnergetics {
    const double* basis_energy_eV;
    const double* site_shift_eV;     // null if none
    const double* barrier_shift_eV;  // null if none
    const std::uint8_t* counts;      // null without interactions
    const double* pair_eV;           // this species' row of pair energies
    std::size_t stride;              // species × shells
    const double* kra_eV;
    const double* nu_Hz;
    const double* self_pair_eV;  // per template: pair energy of this species across the hop
    MemoEntry* memo;             // null: no memo
    double kT_eV;

    /// Energy of an ion of this species at site s (of basis site `basis`) [eV].
    double energy_eV(lattice::SiteIndex s, int basis) const {
      double e = basis_energy_eV[basis];
      if (site_shift_eV) e += site_shift_eV[s];
      if (counts) {
        // One species and one shell (the common case) without the loop: the compiler
        // vectorises the loop over bytes, whose set-up dominates for so few terms.
        const std::uint8_t* c = counts + static_cast<std::size_t>(s) * stride;
        if (stride == 1) return e + pair_eV[0] * c[0];
        for (std::size_t k = 0; k < stride; ++k) e += pair_eV[k] * c[k];
      }
      return e;
    }
    /// Rate of the hop along template h from `from` (energy e_from) to the vacant site `to`.
    double rate(lattice::SiteIndex from, double e_from, lattice::SiteIndex to, int to_basis, int h,
                bool* clamped) const;
  };
  SpeciesEnergetics energetics(int species) const;
  void update_counts(lattice::SiteIndex s, int species, int delta);
  void build_open_masks();
  /// Sets (vacated) or clears the bit of the hop into s in the open masks of s's neighbours.
  void update_open_masks(lattice::SiteIndex s, const lattice::SiteAddress& a, bool vacated);
  /// The rate of an occupied site from its open mask (fast path with masks only). Inline: it
  /// is one table load per affected site in the common case.
  double masked_site_rate(lattice::SiteIndex s, int basis) const {
    const SiteState site = site_[s];
    if (!mask_rate_.empty())
      return mask_rate_[mask_rate_begin_[static_cast<std::size_t>(site.occ - 1) * n_basis_ + basis] + site.open];
    return open_hops_rate(site.occ - 1, basis, site.open);
  }
  /// Sum of the fast-path rates of the hops in `open` (bit k: k-th hop of the basis site).
  double open_hops_rate(int species, int basis, unsigned open) const;
  /// Tabulates hop rates by (template, count at the origin, count at the target) when there
  /// is one species and one interaction shell.
  void build_count_rate_table();
  /// Tabulates masked_site_rate() by (species, basis, open mask) when the tables are small.
  void build_mask_rate_table();
  /// Fills fast_rate_ and fast_clamped_ from kra_ and nu_ (fast path only).
  void build_fast_rate_table();

  std::shared_ptr<const Model> model_;
  const lattice::Supercell& cell_;
  const lattice::HopNetwork& net_;
  double temperature_K_;
  double kT_;
  Rng rng_;

  int n_species_ = 0;
  int n_basis_ = 0;
  int max_degree_ = 0;
  // Per template: E_KRA, ν, class, pair shell between its ends (0: beyond the shells).
  std::vector<double> kra_, nu_, nu_unscaled_;
  std::vector<double> self_pair_eV_;  // [species·n_templates + h]: pair energy across the hop
  std::vector<int> tmpl_class_, tmpl_shell_;
  // Fast path (no interactions, no per-site energies): rates per (species, template), zero
  // for an immobile species and where the species may not enter the hop's target.
  bool fast_ = true;
  bool prefetch_ = false;  // see the constructor
  std::vector<double> fast_rate_;
  std::vector<char> fast_clamped_;
  // With at most 16 hops per site (masks_): bit k of site_[s].open is set when the target of
  // hop k of site s is vacant. apply() keeps the bits of the neighbours of the two changed
  // sites current, so a site's rate is a sum over its set bits, without reading the
  // occupancy of its neighbours (fewer cache lines per event).
  using OpenMask = std::uint16_t;
  bool masks_ = false;
  // Fast path with masks and few hops per site: the rate of an occupied site for every open
  // mask, mask_rate_[mask_rate_begin_[species·n_basis + basis] + open], filled by
  // open_hops_rate(), the loop it replaces (so the same bits); empty if it would be large.
  // One load per affected site instead of a loop over its open hops.
  std::vector<double> mask_rate_;
  std::vector<std::size_t> mask_rate_begin_;
  // What an event reads and writes about a site, together on one cache line.
  struct SiteState {
    std::int32_t ion = -1;         // index of the mobile ion here, or −1
    OpenMask open = 0;             // see masks_
    std::uint8_t occ = kVacant;    // 0 for a vacant site, else 1 + global species index
  };
  std::vector<SiteState> site_;
  std::vector<char> detached_;  // per ion; empty until an ion is detached
  std::vector<lattice::SiteIndex> ion_site_;
  std::vector<std::uint8_t> ion_species_;
  std::vector<double> disp_;
  std::vector<double> site_shift_eV_;    // region energy shift + disorder (empty if none)
  std::vector<double> barrier_shift_eV_; // region barrier shift (empty if none)

  // Pair interactions: counts_[site][species][shell-1] of occupied neighbours.
  int n_shells_ = 0;
  std::vector<double> pair_eV_;          // [(a·S + b)·n_shells + k]
  std::vector<std::uint8_t> counts_;
  // One species, one shell, no per-site energies: hop rates by (template, count at the origin,
  // count at the target), [(h·count_dim_ + c_from)·count_dim_ + c_to]; empty otherwise. A rate
  // is then one load instead of two energies, a barrier and a memo probe.
  std::vector<double> count_rate_;
  int count_dim_ = 0;

  RateTree tree_;
  double time_s_ = 0.0;
  long long events_ = 0;
  std::vector<long long> class_events_;
  long long clamped_events_ = 0;

  // Hot-path copies of the network, flattened so that an event touches a few small arrays:
  // hops_[hops_begin_[b] .. hops_begin_[b+1]) leave basis site b (in templates_from order);
  // shell_steps_ likewise lists the interaction neighbours of each basis site.
  std::vector<Hop> hops_;
  std::vector<int> hops_begin_;
  std::vector<Box> hops_box_;  // per basis
  std::vector<ShellStep> shell_steps_;
  std::vector<int> shell_steps_begin_;
  std::vector<Box> shell_box_;  // per basis
  // Per template h, affected_[affected_begin_[h] .. affected_begin_[h+1]): every site whose rate
  // a hop along h can change, as steps from the origin's cell, without duplicates and in
  // memory order. Worked out once here instead of collecting and sorting sites per event.
  std::vector<Step> affected_;
  std::vector<int> affected_begin_;
  // Per affected entry: kAlways, or the hops of that site whose open bits decide whether its
  // rate can have changed (see build_steps); used only with open masks.
  static constexpr std::uint32_t kAlways = 1u << 31;
  std::vector<std::uint32_t> affected_watch_;
  std::vector<Box> affected_box_;  // per template
  std::vector<char> mobile_;             // per species
  std::vector<char> allowed_basis_;      // [species·n_basis + basis]: may the species sit there
  std::vector<double> basis_energy_eV_;  // site-type energy of each basis site
  // exp(−E_a/k_BT) by the exact bits of E_a (direct-mapped; empty when energies are
  // continuous, i.e. with disorder). Pair energies take few distinct values, so the
  // exponential is mostly looked up; as a pure function of E_a it changes no rate.
  mutable std::vector<MemoEntry> memo_;
};

}  // namespace ionhop::kmc
