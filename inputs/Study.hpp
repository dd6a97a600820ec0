#pragma once
/// The typed form of a study file. `inputs/` fills it from TOML (and is the only code that sees
/// TOML); `app/` wires it into the science modules. Units are in the field names.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ionhop::inputs {

/// Where a value came from in the study file (for error messages and the resolved printout).
struct InputLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool operator==(const InputLocation&) const = default;
};

struct BasisSiteSpec {
  std::string type;                      ///< site-type name, e.g. "T", "O", "A"
  std::array<double, 3> fractional{};    ///< position in fractional coordinates of the cell

  bool operator==(const BasisSiteSpec&) const = default;
};

struct LatticeSpec {
  /// Prototype name ("chain", "square", "triangular", "honeycomb", "sc", "bcc", "fcc", "diamond",
  /// "bcc_anion_T", "fcc_anion_TO", "hcp_anion_TO"), or empty when `cell`/`basis` are explicit.
  std::string prototype;
  double a_A = 1.0;                      ///< lattice parameter [Å]
  double c_over_a = 0.0;                 ///< hcp prototypes only (the reader fills ideal √(8/3)
                                         ///< when omitted); 0 for every other lattice
  std::array<std::array<double, 3>, 3> cell_A{};  ///< explicit cell: rows are lattice vectors [Å]
  std::vector<BasisSiteSpec> basis;      ///< explicit basis (ignored with a prototype)
  std::array<int, 3> supercell{1, 1, 1}; ///< repetitions of the cell along a, b, c

  bool operator==(const LatticeSpec&) const = default;
};

struct SiteTypeSpec {
  std::string name;
  double energy_eV = 0.0;                ///< site energy of a mobile ion on this type [eV]
  double disorder_sigma_eV = 0.0;        ///< std. dev. of Gaussian per-site energy disorder [eV]

  bool operator==(const SiteTypeSpec&) const = default;
};

struct MobileSpeciesSpec {
  std::string name;                      ///< e.g. "Li"
  int charge = 1;                        ///< z, in units of e
  std::vector<std::string> site_types;   ///< site types it may occupy (the reader fills all
                                         ///< site types when the key is omitted)
  std::optional<long long> count;        ///< number of ions, or
  std::optional<double> concentration;   ///< fraction of its allowed sites occupied (0, 1)

  bool operator==(const MobileSpeciesSpec&) const = default;
};

/// Immobile species (dopants) or blocked sites (charge 0). Placed at random on allowed sites.
struct DopantSpec {
  std::string name;
  int charge = 0;
  std::vector<std::string> site_types;
  std::optional<long long> count;
  std::optional<double> concentration;

  bool operator==(const DopantSpec&) const = default;
};

/// Pair interaction between two species by neighbour shell: shell k (1-based) is the k-th
/// distinct site–site distance of the lattice. Positive is repulsive.
struct PairInteractionSpec {
  std::array<std::string, 2> species;
  std::vector<double> shell_energies_eV; ///< [0] is shell 1

  bool operator==(const PairInteractionSpec&) const = default;
};

/// A slab region of the supercell, e.g. a grain boundary, with its own energetics.
struct RegionSpec {
  std::string name;
  int axis = 0;                          ///< 0, 1, 2 for a, b, c
  double from_fraction = 0.0;            ///< slab start, fraction of the supercell along axis
  double to_fraction = 0.0;              ///< slab end (exclusive)
  double energy_shift_eV = 0.0;          ///< added to the site energy of sites in the region
  double barrier_shift_eV = 0.0;         ///< added to E_KRA of hops touching the region

  bool operator==(const RegionSpec&) const = default;
};

/// A rule that creates hops: between sites of two types at the `shell`-th distinct distance
/// between those types (or all distances up to `max_distance_A`). Symmetry then splits the
/// created hops into classes; all classes of one rule share its barrier.
struct HopRuleSpec {
  std::string from_type;
  std::string to_type;
  int shell = 1;                         ///< 1 = nearest distance between the two types
  std::optional<double> max_distance_A;  ///< alternative to `shell`
  double barrier_eV = 0.0;               ///< E_KRA [eV]
  double attempt_frequency_Hz = 1e13;    ///< ν [1/s]

  bool operator==(const HopRuleSpec&) const = default;
};

struct RunSpec {
  std::vector<double> temperatures_K;
  std::optional<long long> events;       ///< production length in events per replica, or
  std::optional<double> time_s;          ///< production length in simulated seconds
  long long equilibration_events = 0;    ///< discarded events before production
  std::optional<double> sample_interval_s;  ///< default: production / samples
  int samples = 200;                     ///< target number of samples in production
  int max_lag_samples = 50;              ///< MSD computed for lags 1..max_lag (in samples)
  double fit_from_lag_fraction = 0.2;    ///< MSD fit window start, fraction of max lag
  int replicas = 8;
  std::uint64_t seed = 1;

  bool operator==(const RunSpec&) const = default;
};

/// `[superbasin]`: which superbasin acceleration to use and its bounds (docs/superbasin.md).
/// Mirrors kmc::SuperbasinOptions; app/ maps one onto the other.
enum class SuperbasinMethodSpec { none, mcamc, local, rate_scaling };
/// How basins are found: the temperature-independent barrier criterion, transition counting,
/// or both.
enum class BasinDetectionSpec { both, barrier, counting };

struct SuperbasinSpec {
  SuperbasinMethodSpec method = SuperbasinMethodSpec::none;
  BasinDetectionSpec detection = BasinDetectionSpec::both;
  double barrier_gap_eV = 0.2;           ///< barrier criterion: width of the gap below the slow hops [eV]
  int transition_count = 8;              ///< counting criterion: hops each way before two sites join
  int max_basin_sites = 32;              ///< largest basin in sites, 2..64
  int max_basin_states = 720;            ///< largest local superbasin in states (arrangements)
  int cache_size = 4096;                 ///< solved basins kept
  double min_rate_ratio = 100.0;         ///< rate scaling: smallest fast/slow ratio kept, > 1
  long long plain_pilot_events = 100000;    ///< plain-KMC events timed per temperature (0: none)

  bool operator==(const SuperbasinSpec&) const = default;
};

struct OutputSpec {
  std::string path;                      ///< results file (.h5), relative to the working
                                         ///< directory; the reader fills "<study name>.h5"

  bool operator==(const OutputSpec&) const = default;
};

struct Study {
  std::string name;
  std::string description;
  std::string source_path;               ///< the study file as given
  std::string source_text;               ///< the study file's full text (stored in results)
  LatticeSpec lattice;
  std::vector<SiteTypeSpec> site_types;  ///< every site type of the lattice (declared first)
  std::vector<MobileSpeciesSpec> species;
  std::vector<DopantSpec> dopants;
  std::vector<PairInteractionSpec> interactions;
  std::vector<RegionSpec> regions;
  std::vector<HopRuleSpec> hops;
  RunSpec run;
  SuperbasinSpec superbasin;             ///< method none unless `[superbasin]` says otherwise
  OutputSpec output;

  bool operator==(const Study&) const = default;
};

}  // namespace ionhop::inputs
