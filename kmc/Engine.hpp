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
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "kmc/HugePageVector.hpp"
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
      // Bitwise, not short-circuit: no branch per comparison.
      bool in = true;
      for (int k = 0; k < 3; ++k) in &= (a.cell[k] >= lo[k]) & (a.cell[k] < hi[k]);
      return in;
    }
  };
  /// affected_ for apply_local(), compact: the index step, the positions of the entry's offset
  /// in corr_ and plain_ (k·kWidth + o_k + kReach), its basis, and its watch bits.
  struct AffectedEntry {
    lattice::SiteIndex delta = 0;
    std::array<std::uint8_t, 3> idx{0, 0, 0};
    std::uint8_t basis = 0;
    std::uint32_t watch = 0;
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

  /// Supercell::shifted() and neighbor(), without branches when every step of the engine is
  /// shorter than the supercell along each axis (a single conditional add or subtract per
  /// axis, as selects); the same addresses and indices.
  lattice::SiteAddress shift(const lattice::SiteAddress& from, int to_basis, const std::array<int, 3>& offset) const {
    if (!short_steps_) return cell_.shifted(from, to_basis, offset);
    lattice::SiteAddress t;
    t.basis = to_basis;
    for (int k = 0; k < 3; ++k) {
      const int n = reps_[k];
      int c = from.cell[k] + offset[k];
      c += c < 0 ? n : 0;
      c -= c >= n ? n : 0;
      t.cell[k] = c;
    }
    return t;
  }
  lattice::SiteIndex neighbor(const lattice::SiteAddress& from, int to_basis, const std::array<int, 3>& offset) const {
    return cell_.index(shift(from, to_basis, offset));
  }
  /// apply()'s updates of open masks, counts and rates when masks_ and (fast_ or count_mode_),
  /// for an origin in affected_deep_box_ (kTable false: no neighbour wraps) or anywhere with
  /// corr_ filled (kTable true).
  template <bool kTable>
  void apply_local(const Event& e);
  /// apply_local() in histogram mode (see open_hist_); kDim, kPairs as for hist_site_rate().
  template <bool kTable, int kDim, bool kPairs>
  void apply_local_hist(const Event& e);
  template <bool kTable>
  void apply_local_hist_dispatch(const Event& e);
  /// Fills hist_changes_ and hist_updates_ (histogram mode).
  void build_hist_updates();
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
  /// their sum: the site's stored rate. The same bits either way, except in histogram mode,
  /// where the stored rate is hist_site_rate() (the same rates, summed by target count).
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
  void update_counts(lattice::SiteIndex s, const lattice::SiteAddress& a, int species, int delta);
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
  /// The rate of the occupied site s (address a) in count mode: the sum, in ascending hop
  /// order, of the tabulated rates of its open hops (the same additions as site_rates()).
  double count_site_rate(lattice::SiteIndex s, const lattice::SiteAddress& a) const {
    const std::uint8_t* counts = counts_.data();
    const CountHop* ch = count_hops_.data() + hops_begin_[a.basis];
    const double* table = count_rate_.data() + static_cast<std::size_t>(counts[s]) * count_dim_;
    const unsigned open = site_[s].open & allowed_open_[a.basis];
    double total = 0.0;
    if (hops_box_[a.basis].contains(a)) {
      return count_site_rate_interior(s, a.basis);
    } else {
      const Hop* hops = hops_.data() + hops_begin_[a.basis];
      for (unsigned m = open; m != 0; m &= m - 1) {
        const int k = std::countr_zero(m);
        const lattice::SiteIndex j = neighbor(a, hops[k].step.to_basis, hops[k].step.offset);
        total += table[ch[k].row + counts[j]];
      }
    }
    return total;
  }
  /// count_site_rate() for a site whose hop targets do not wrap around the supercell.
  double count_site_rate_interior(lattice::SiteIndex s, int basis) const {
    const std::uint8_t* counts = counts_.data();
    const CountHop* ch = count_hops_.data() + hops_begin_[basis];
    const double* table = count_rate_.data() + static_cast<std::size_t>(counts[s]) * count_dim_;
    const unsigned open = site_[s].open & allowed_open_[basis];
    const int degree = hops_begin_[basis + 1] - hops_begin_[basis];
    // Every hop, closed ones adding +0.0 (which leaves a sum ≥ 0 unchanged, bit for bit): a
    // fixed trip count instead of one data-dependent branch per open hop.
    double total = 0.0;
    for (int k = 0; k < degree; ++k) {
      const double r = table[ch[k].row + counts[s + ch[k].delta]];
      const std::uint64_t keep = std::uint64_t{0} - ((open >> k) & 1u);
      total += std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) & keep);
    }
    return total;
  }
  /// The rate of the occupied site s (of basis site `basis`) in histogram mode: the sum over
  /// target counts c of n_c(s)·T[c_s][c], where n_c(s) is the number of vacant hop targets
  /// of s with c occupied neighbours (open_hist_) and T the basis' rate table. A pure function
  /// of the occupancy: no neighbour is read, so no wrap either. The products are looked up,
  /// not multiplied: with hist_pairs_ by pairs of counts, one byte of the histogram at a
  /// time, n_2p·T_2p + n_2p+1·T_2p+1 (hist_rate_, ascending p), else one count at a time,
  /// n_c·T_c (ascending c). kDim: count_dim_ if known at compile time (the loop is then
  /// unrolled), else 0; kPairs: hist_pairs_. hist_site_rate_any() picks them.
  static constexpr int kPairDim = 9;
  template <int kDim, bool kPairs>
  double hist_site_rate(lattice::SiteIndex s, int basis) const {
    const int dim = kDim > 0 ? kDim : count_dim_;
    constexpr bool pairs = kPairs;
    const std::uint64_t hist = open_hist_[s];
    double total = 0.0;
    if (pairs) {
      const int n_pairs = (dim + 1) / 2;
      const double* row = hist_rate_.data() + hist_rate_begin_[basis] + static_cast<std::size_t>(counts_[s]) * n_pairs * 256;
      for (int p = 0; p < n_pairs; ++p) total += row[256 * p + ((hist >> (8 * p)) & 255u)];
    } else {
      const double* row = hist_rate_.data() + hist_rate_begin_[basis] + static_cast<std::size_t>(counts_[s]) * dim * 16;
      for (int c = 0; c < dim; ++c) total += row[16 * c + ((hist >> (4 * c)) & 15u)];
    }
    return total;
  }
  /// hist_site_rate() for the engine's counts, outside the hot path (the same sum).
  double hist_site_rate_any(lattice::SiteIndex s, int basis) const;
  /// The histogram step (see open_hist_) of a target whose count goes from c to c + 1.
  static std::uint64_t hist_up(int c) { return (std::uint64_t{1} << (4 * c + 4)) - (std::uint64_t{1} << (4 * c)); }
  /// Rebuilds open_hist_ from the occupancy and the counts.
  void build_open_hist();
  /// Fills corr_, and plain_ if kPlain, for an event at `origin` (see corr_).
  template <bool kPlain>
  void build_corrections(const lattice::SiteAddress& origin) {
    for (int k = 0; k < 3; ++k) {
      const int n = reps_[k];
      const lattice::SiteIndex wrap = static_cast<lattice::SiteIndex>(n) * stride_[k];
      for (int o = -reach_[k]; o <= reach_[k]; ++o) {
        const int c = origin.cell[k] + o;
        corr_[k * kWidth + o + kReach] = c < 0 ? wrap : (c >= n ? -wrap : 0);
        if constexpr (kPlain) plain_[k * kWidth + o + kReach] = (c + hop_lo_[k] >= 0) & (c + hop_hi_[k] < n);
      }
    }
  }
  /// Index correction for a site `o` cells away from the origin of the event (see corr_).
  lattice::SiteIndex correction(const std::array<int, 3>& o) const {
    return corr_[o[0] + kReach] + corr_[kWidth + o[1] + kReach] + corr_[2 * kWidth + o[2] + kReach];
  }
  /// count_site_rate() for the occupied site s of affected entry `a`, whose unwrapped index is
  /// `base` (s = base + its correction); hop targets through corr_.
  double count_site_rate_corrected(lattice::SiteIndex s, lattice::SiteIndex base, const AffectedEntry& a) const {
    const std::uint8_t* counts = counts_.data();
    const int b = a.basis;
    const CountHop* ch = count_hops_.data() + hops_begin_[b];
    const Hop* hops = hops_.data() + hops_begin_[b];
    const double* table = count_rate_.data() + static_cast<std::size_t>(counts[s]) * count_dim_;
    double total = 0.0;
    for (unsigned m = site_[s].open & allowed_open_[b]; m != 0; m &= m - 1) {
      const int k = std::countr_zero(m);
      const std::array<int, 3>& q = hops[k].step.offset;
      const lattice::SiteIndex j =
          base + ch[k].delta + corr_[a.idx[0] + q[0]] + corr_[a.idx[1] + q[1]] + corr_[a.idx[2] + q[2]];
      total += table[ch[k].row + counts[j]];
    }
    return total;
  }
  /// update_counts() for one species and one shell at an address a whose shell neighbours do
  /// not wrap; false (nothing done) otherwise.
  bool update_counts_fast(lattice::SiteIndex s, const lattice::SiteAddress& a, int delta) {
    if (!count_mode_ || hist_mode_ || !shell_box_[a.basis].contains(a)) return false;
    // Bounds and steps in locals: the byte stores could alias them otherwise.
    std::uint8_t* counts = counts_.data();
    const auto d = static_cast<std::uint8_t>(delta);
    const ShellStep* first = shell_steps_.data() + shell_steps_begin_[a.basis];
    const ShellStep* last = shell_steps_.data() + shell_steps_begin_[a.basis + 1];
    for (const ShellStep* nb = first; nb != last; ++nb) counts[s + nb->step.delta] += d;
    return true;
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

  std::array<int, 3> reps_{1, 1, 1};  // supercell repetitions
  // Wrapping by table: for an event at origin cell c, corr_[k][o + kReach] is the change of
  // site index that wraps the cell coordinate c_k + o back into the supercell, so that the site
  // o cells from the origin (affected sites and their hop targets, |o_k| ≤ kReach) is the
  // plain index step plus three table entries, instead of a re-encoded address. Exact, as
  // the index is linear in the cell coordinates. Used when corr_ok_: every such offset is
  // within kReach and shorter than the supercell (one wrap at most).
  // corr_[k·kWidth + o + kReach] holds the entry for axis k. plain_ likewise: 1 if the cell
  // c_k + o and every hop target from it (hop offsets hop_lo_..hop_hi_ along k, any basis)
  // lie inside the supercell along k, so that a site plain along all three axes and its hop
  // targets need no correction.
  static constexpr int kReach = 8;
  static constexpr int kWidth = 2 * kReach + 1;
  bool corr_ok_ = false;
  std::array<int, 3> reach_{0, 0, 0};  // largest |offset| per axis that corr_ must cover
  std::array<int, 3> hop_lo_{0, 0, 0}, hop_hi_{0, 0, 0};
  std::array<lattice::SiteIndex, 3> stride_{0, 0, 0};  // index change per cell along each axis
  std::array<lattice::SiteIndex, 3 * kWidth> corr_{};
  std::array<std::uint8_t, 3 * kWidth> plain_{};
  std::vector<AffectedEntry> affected_entries_;  // parallel to affected_
  bool short_steps_ = false;          // see shift()
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
  HugePageVector<SiteState> site_;
  std::vector<char> detached_;  // per ion; empty until an ion is detached
  HugePageVector<lattice::SiteIndex> ion_site_;
  HugePageVector<std::uint8_t> ion_species_;
  HugePageVector<double> disp_;
  std::vector<double> site_shift_eV_;    // region energy shift + disorder (empty if none)
  std::vector<double> barrier_shift_eV_; // region barrier shift (empty if none)

  // Pair interactions: counts_[site][species][shell-1] of occupied neighbours.
  int n_shells_ = 0;
  std::vector<double> pair_eV_;          // [(a·S + b)·n_shells + k]
  HugePageVector<std::uint8_t> counts_;
  // One species, one shell, no per-site energies: hop rates by (template, count at the origin,
  // count at the target), [(h·count_dim_ + c_from)·count_dim_ + c_to]; empty otherwise. A rate
  // is then one load instead of two energies, a barrier and a memo probe.
  std::vector<double> count_rate_;
  std::vector<char> count_clamped_;  // same layout: was the barrier clamped
  int count_dim_ = 0;
  // Count mode: count_rate_ is filled and its one species is mobile. Then an occupied site's
  // rate is count_site_rate(), a tight loop over its open hops: per hop, the index step and
  // the offset (template·count_dim_²) of its template's rows in count_rate_.
  struct CountHop {
    lattice::SiteIndex delta = 0;
    std::uint32_t row = 0;
  };
  bool count_mode_ = false;
  // Histogram mode (count mode where every hop of a basis site has the same row of
  // count_rate_, every target is allowed, ≤ 15 hops per site and ≤ 16 counts): per site,
  // 4 bits per count c holding how many of its hop targets are vacant with count c; the
  // stored rate of an occupied site is hist_site_rate(). An event changes a histogram by one
  // integer addition per affected neighbour (exact, nothing to drift), and a rate is then a
  // dot product over the counts instead of a loop over hops that reads every neighbour.
  bool hist_mode_ = false;
  HugePageVector<std::uint64_t> open_hist_;
  // n·T[c_s][c] for n = 0..15, [hist_rate_begin_[basis] + ((c_s·count_dim_ + c)·16 + n)], where
  // T[c_s][c] is the rate of every hop of the basis site from count c_s to a target of count c;
  // with hist_pairs_ (at most kPairDim counts and a table of at most 256 KiB), by pairs:
  // [hist_rate_begin_[basis] + (c_s·P + p)·256 + n_2p + 16·n_2p+1] = n_2p·T[c_s][2p] +
  // n_2p+1·T[c_s][2p + 1] (P = ⌈count_dim_/2⌉; T = 0 past the end).
  bool hist_pairs_ = false;
  std::vector<double> hist_rate_;
  std::vector<std::size_t> hist_rate_begin_;
  // Per template h, what an event along h does to the histograms, as positions in its
  // affected list (affected_[affected_begin_[h] + position]; every site below is an affected
  // site): hist_changes_[hist_changes_begin_[h] ..) are the sites whose entry in their
  // neighbours' histograms changes, in order — the origin (vacated), the target (filled), then
  // the shell neighbours of the origin (count − 1) and of the target (count + 1);
  // hist_updates_[hist_updates_begin_[h] ..) are the hop targets of each of them (first those
  // of the origin and the target, in hop order); one more change entry ends the last one's.
  struct HistChange {
    std::uint8_t site = 0;       // position in the affected list
    std::uint16_t updates = 0;   // its first hop target in the template's hist_updates_
  };
  std::vector<HistChange> hist_changes_;
  std::vector<std::uint8_t> hist_updates_;
  std::array<std::uint64_t, 16> hist_step_{};  // hist_up(c)
  std::vector<int> hist_changes_begin_, hist_updates_begin_;
  std::vector<CountHop> count_hops_;  // parallel to hops_
  std::vector<OpenMask> allowed_open_;  // per basis: hops into sites the species may enter

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
  // Per template: the origins from which neither an affected site nor any hop target of one
  // wraps around the supercell (a sub-box of affected_box_).
  std::vector<Box> affected_deep_box_;
  std::vector<Step> tmpl_step_;      // per template: from its origin to its target
  std::vector<char> mobile_;             // per species
  std::vector<char> allowed_basis_;      // [species·n_basis + basis]: may the species sit there
  std::vector<double> basis_energy_eV_;  // site-type energy of each basis site
  // exp(−E_a/k_BT) by the exact bits of E_a (direct-mapped; empty when energies are
  // continuous, i.e. with disorder). Pair energies take few distinct values, so the
  // exponential is mostly looked up; as a pure function of E_a it changes no rate.
  mutable std::vector<MemoEntry> memo_;
};

}  // namespace ionhop::kmc
