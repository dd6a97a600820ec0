#include "inputs/StudySchema.hpp"

#include <array>
#include <stdexcept>

#include "inputs/LatticePrototypes.hpp"

namespace ionhop::inputs {

namespace {

constexpr std::array<KeySchema, 2> kStudyKeys{{
    {"name", "string", "", "required",
     "Name of the study; also the default results file name. Letters, digits and `_ - . +` only."},
    {"description", "string", "", "\"\"", "Free text, stored with the results."},
}};

constexpr std::array<KeySchema, 6> kLatticeKeys{{
    {"prototype", "string", "", "—",
     "Prototype lattice (see the prototype table). Give either `prototype` or `cell_A` with "
     "`[[lattice.basis]]`, not both."},
    {"a_A", "float", "Å", "required with `prototype`",
     "Lattice parameter of the prototype, > 0. Not allowed with an explicit cell."},
    {"c_over_a", "float", "", "√(8/3) = 1.632993… for `hcp_anion_TO`",
     "Axial ratio c/a, > 0; only for prototypes with a c axis (`hcp_anion_TO`)."},
    {"supercell", "array of 3 integers", "", "[1, 1, 1]",
     "Repetitions of the cell along a, b, c; each ≥ 1."},
    {"cell_A", "array of 3 arrays of 3 floats", "Å", "required without `prototype`",
     "Explicit cell: the rows are the lattice vectors a, b, c; the volume must be non-zero."},
    {"basis", "array of tables `[[lattice.basis]]`", "", "required without `prototype`",
     "Sites of the explicit cell, one table per site (keys below)."},
}};

constexpr std::array<KeySchema, 2> kBasisKeys{{
    {"type", "string", "", "required", "Site-type name of this site."},
    {"fractional", "array of 3 floats", "", "required",
     "Position in fractional coordinates of the cell, each in [0, 1); no two sites may coincide."},
}};

constexpr std::array<KeySchema, 3> kSiteTypeKeys{{
    {"name", "string", "", "required",
     "Site-type name: one of the lattice's site types (a prototype's, or a basis `type`)."},
    {"energy_eV", "float", "eV", "0.0", "Site energy of a mobile ion on this site type."},
    {"disorder_sigma_eV", "float", "eV", "0.0",
     "Standard deviation of a Gaussian random energy added per site, ≥ 0."},
}};

constexpr std::array<KeySchema, 5> kSpeciesKeys{{
    {"name", "string", "", "required",
     "Species name, e.g. \"Li\"; unique among species and dopants."},
    {"charge", "integer", "e", "required", "Charge number z, non-zero (σ scales with z²)."},
    {"site_types", "array of strings", "", "all site types",
     "Site types this species may occupy; non-empty, each a site type of the lattice."},
    {"count", "integer", "", "one of `count`, `concentration`",
     "Number of ions in the supercell, ≥ 1."},
    {"concentration", "float", "", "one of `count`, `concentration`",
     "Fraction of the allowed sites occupied, in (0, 1)."},
}};

constexpr std::array<KeySchema, 5> kDopantKeys{{
    {"name", "string", "", "required",
     "Name of the immobile species; unique among species and dopants."},
    {"charge", "integer", "e", "0", "Charge number; 0 makes the dopant a blocked site."},
    {"site_types", "array of strings", "", "all site types",
     "Site types the dopants are placed on at random; non-empty."},
    {"count", "integer", "", "one of `count`, `concentration`",
     "Number of dopants in the supercell, ≥ 1."},
    {"concentration", "float", "", "one of `count`, `concentration`",
     "Fraction of the allowed sites taken, in (0, 1)."},
}};

constexpr std::array<KeySchema, 2> kInteractionKeys{{
    {"species", "array of 2 strings", "", "required",
     "The interacting pair: names of species or dopants (order does not matter; each pair once)."},
    {"shell_energies_eV", "array of floats", "eV", "required",
     "Pair energy at neighbour shell 1, 2, … (the k-th distinct site–site distance); "
     "positive is repulsive; non-empty."},
}};

constexpr std::array<KeySchema, 6> kRegionKeys{{
    {"name", "string", "", "required", "Region name, unique, e.g. \"gb\"."},
    {"axis", "string", "", "required",
     "Slab normal: \"a\", \"b\" or \"c\" (stored as 0, 1, 2)."},
    {"from", "float", "", "required",
     "Slab start as a fraction of the supercell along `axis`, in [0, 1)."},
    {"to", "float", "", "required", "Slab end (exclusive), in (0, 1] and > `from`."},
    {"energy_shift_eV", "float", "eV", "0.0", "Added to the site energy of sites in the slab."},
    {"barrier_shift_eV", "float", "eV", "0.0",
     "Added to E_KRA of hops touching the slab (either end in it)."},
}};

constexpr std::array<KeySchema, 6> kHopKeys{{
    {"from", "string", "", "required", "Site type the hop starts from."},
    {"to", "string", "", "required", "Site type the hop ends on."},
    {"shell", "integer", "", "1",
     "Hop to the `shell`-th distinct distance between sites of the two types, ≥ 1. "
     "Not with `max_distance_A`."},
    {"max_distance_A", "float", "Å", "—",
     "Alternative to `shell`: hop to every site of type `to` within this distance, > 0."},
    {"barrier_eV", "float", "eV", "required",
     "Kinetically resolved barrier E_KRA of every hop the rule creates, ≥ 0."},
    {"attempt_frequency_Hz", "float", "Hz", "1e13", "Attempt frequency ν, > 0."},
}};

constexpr std::array<KeySchema, 10> kRunKeys{{
    {"temperatures_K", "array of floats", "K", "required",
     "Temperatures to simulate; non-empty, each > 0, no repeats."},
    {"events", "integer", "", "one of `events`, `time_s`",
     "Production length per replica in KMC events, ≥ 1."},
    {"time_s", "float", "s", "one of `events`, `time_s`",
     "Production length per replica in simulated time, > 0."},
    {"equilibration_events", "integer", "", "0",
     "Events run and discarded before production, ≥ 0."},
    {"sample_interval_s", "float", "s", "production time / `samples`",
     "Simulated time between samples, > 0."},
    {"samples", "integer", "", "200", "Target number of samples in production, ≥ 2."},
    {"max_lag_samples", "integer", "", "50",
     "MSD is computed for lags 1 … `max_lag_samples` (in samples); ≥ 1 and < `samples`."},
    {"fit_from_lag_fraction", "float", "", "0.2",
     "The MSD fit starts at this fraction of the maximum lag, in [0, 1)."},
    {"replicas", "integer", "", "8", "Independent replicas per temperature, ≥ 1."},
    {"seed", "integer", "", "1",
     "Master seed, ≥ 0; every replica and temperature draws its own stream from it."},
}};

constexpr std::array<KeySchema, 9> kSuperbasinKeys{{
    {"method", "string", "", "\"none\"",
     "Superbasin acceleration (docs/superbasin.md): \"none\" (plain KMC); \"mcamc\" (exact "
     "escapes from basins of the whole state; only with exactly one mobile ion in the study); "
     "\"local\" (exact escapes from per-ion local superbasins, valid while no other ion is "
     "within reach, plain KMC otherwise); \"rate-scaling\" (AS-KMC scaling of quasi-equilibrated "
     "fast hops; biased, the bias is measured)."},
    {"detection", "string", "", "\"both\"",
     "How basins are found: \"barrier\" (up front, from the hop barriers), \"counting\" (on the "
     "fly, from repeated back-and-forth hops) or \"both\"."},
    {"barrier_gap_eV", "float", "eV", "0.2",
     "Barrier criterion: hops whose barriers lie below a gap of at least this width in the sorted "
     "bond barriers (from site-type energies, so independent of T) are fast; > 0."},
    {"transition_count", "integer", "", "8",
     "Counting criterion: hops over one site pair in each direction before the two sites are "
     "joined into a basin; ≥ 1."},
    {"max_basin_sites", "integer", "", "32",
     "Largest basin in sites, in [2, 64]; larger or percolating clusters are not basins."},
    {"max_basin_states", "integer", "", "720",
     "Largest local superbasin in states (arrangements of its ions on its sites), ≥ 1; a larger "
     "one runs as plain KMC."},
    {"cache_size", "integer", "", "4096",
     "Solved basins kept for reuse (least recently used dropped first), ≥ 1."},
    {"min_rate_ratio", "float", "", "100.0",
     "Rate scaling: smallest ratio kept between the slower direction of a scaled fast hop class "
     "and the fastest escape (a slow hop out of a basin site), > 1."},
    {"plain_pilot_events", "integer", "", "100000",
     "Plain-KMC events run per temperature to measure the simulated time per wall second "
     "without acceleration (the acceleration in the results), ≥ 0; 0 skips the measurement."},
}};

constexpr std::array<KeySchema, 1> kOutputKeys{{
    {"path", "string", "", "\"<study name>.h5\"",
     "Results file, relative to the working directory; non-empty."},
}};

constexpr std::array<SectionSchema, 12> kSections{{
    {"study", false, true, "What the study is called.", kStudyKeys},
    {"lattice", false, true, "The crystal: a prototype, or an explicit cell and basis.",
     kLatticeKeys},
    {"lattice.basis", true, false,
     "One site of an explicit cell; at least one is needed when `prototype` is not given.",
     kBasisKeys},
    {"site_types", true, false,
     "Energetics per site type. A lattice site type without an entry gets energy 0 and no "
     "disorder.",
     kSiteTypeKeys},
    {"species", true, true, "Mobile ions.", kSpeciesKeys},
    {"dopants", true, false, "Immobile species and blocked sites, placed at random.", kDopantKeys},
    {"interactions", true, false, "Pair interactions by neighbour shell.", kInteractionKeys},
    {"regions", true, false,
     "Slabs of the supercell (grain boundaries, interfaces) with shifted energetics.",
     kRegionKeys},
    {"hops", true, true, "Hop rules; see \"From hop rules to hop classes\".", kHopKeys},
    {"run", false, true, "How long and how often to simulate, and how to fit.", kRunKeys},
    {"superbasin", false, false,
     "Superbasin acceleration: exact or scaled escapes from groups of sites joined by fast hops.",
     kSuperbasinKeys},
    {"output", false, false, "Where results go.", kOutputKeys},
}};

}  // namespace

std::vector<std::string_view> SectionSchema::key_names() const {
  std::vector<std::string_view> names;
  names.reserve(keys.size());
  for (const KeySchema& key : keys) names.push_back(key.name);
  return names;
}

const KeySchema* SectionSchema::find_key(std::string_view key_name) const {
  for (const KeySchema& key : keys) {
    if (key.name == key_name) return &key;
  }
  return nullptr;
}

std::string SectionSchema::header() const {
  const std::string_view open = array_of_tables ? "[[" : "[";
  const std::string_view close = array_of_tables ? "]]" : "]";
  std::string text(open);
  text.append(name).append(close);
  return text;
}

std::span<const SectionSchema> study_schema() { return kSections; }

const SectionSchema& section_schema(std::string_view name) {
  for (const SectionSchema& section : kSections) {
    if (section.name == name) return section;
  }
  throw std::out_of_range("no study-file section named '" + std::string(name) + "'");
}

std::vector<std::string_view> top_level_section_names() {
  std::vector<std::string_view> names;
  for (const SectionSchema& section : kSections) {
    if (section.name.find('.') == std::string_view::npos) names.push_back(section.name);
  }
  return names;
}

std::string format_section_reference(const SectionSchema& section, std::string_view optional_mark) {
  std::string text = "### `" + section.header() + "`";
  text += section.required ? std::string(" (required)") : std::string(optional_mark);
  text += "\n\n" + std::string(section.meaning) + "\n\n";
  text += "| key | type | unit | default | meaning |\n";
  text += "|---|---|---|---|---|\n";
  for (const KeySchema& key : section.keys) {
    text += "| `" + std::string(key.name) + "` | " + std::string(key.type) + " | " +
            (key.unit.empty() ? std::string("—") : std::string(key.unit)) + " | " +
            std::string(key.default_value) + " | " + std::string(key.meaning) + " |\n";
  }
  return text + "\n";
}

std::string format_schema_reference() {
  std::string text;
  for (const SectionSchema& section : kSections) text += format_section_reference(section, " (optional)");
  text += "### Prototypes\n\n";
  text += "| prototype | site types | dimension | description |\n";
  text += "|---|---|---|---|\n";
  for (const LatticePrototypeInfo& prototype : lattice_prototypes()) {
    std::string types;
    for (std::string_view type : prototype.site_types) {
      if (!types.empty()) types += ", ";
      types.append("`").append(type).append("`");
    }
    text += "| `" + std::string(prototype.name) + "` | " + types + " | " +
            std::to_string(prototype.dimensionality) + "D | " +
            std::string(prototype.description) + " |\n";
  }
  return text;
}

}  // namespace ionhop::inputs
