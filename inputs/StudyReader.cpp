#include "inputs/StudyReader.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "inputs/LatticePrototypes.hpp"
#include "inputs/NearestName.hpp"
#include "inputs/SourceLocations.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudyResolution.hpp"
#include "inputs/StudySchema.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs {

namespace {

// The typed getters, ranges and diagnostics shared with the job-file reader.
using namespace toml_reading;

void read_study_section(TableReader& t, Study& study) {
  if (auto name = t.string("name", Need::required)) {
    if (is_file_name_safe(*name)) {
      study.name = *name;
    } else {
      t.error("name", "'" + *name + "' is not a valid study name: use letters, digits and _ - . + "
                      "only (it names the results file)");
    }
  }
  assign(study.description, t.string("description", Need::optional, Emptiness::allowed));
}

std::optional<std::array<std::array<double, 3>, 3>> read_cell(TableReader& t) {
  const toml::node* node = t.node("cell_A");
  if (node == nullptr) {
    t.missing("cell_A");
    return std::nullopt;
  }
  TomlReader& reader = t.reader();
  const std::string path = t.key_path("cell_A");
  auto rows = read_elements<std::array<double, 3>>(
      reader, *node, path, "an array of 3 arrays of 3 floats", kThree,
      [&](const toml::node& row, const std::string& row_path) -> std::optional<std::array<double, 3>> {
        auto values = read_elements<double>(reader, row, row_path, "an array of 3 floats", kThree,
                                            [&](const toml::node& e, const std::string& ep) {
                                              return read_real(reader, e, ep, kAnyReal);
                                            });
        if (!values) return std::nullopt;
        return std::array<double, 3>{(*values)[0], (*values)[1], (*values)[2]};
      });
  if (!rows) return std::nullopt;
  const std::array<std::array<double, 3>, 3> cell{(*rows)[0], (*rows)[1], (*rows)[2]};
  const auto& [a, b, c] = cell;
  const double volume = a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
                        a[2] * (b[0] * c[1] - b[1] * c[0]);
  double norms = 1.0;
  for (const auto& row : cell) norms *= std::sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
  // Relative to the box of the same edge lengths, so the test does not depend on the scale.
  if (!(std::abs(volume) > 1e-8 * norms)) {
    t.error("cell_A", "the cell vectors are linearly dependent (volume " + format_real(volume) +
                          " Å³); give three independent lattice vectors");
    return std::nullopt;
  }
  return cell;
}

BasisSiteSpec read_basis_site(TableReader& t) {
  BasisSiteSpec site;
  assign(site.type, t.string("type", Need::required));
  if (auto fractional = t.reals("fractional", Need::required, kThree, kUnitFrom)) {
    site.fractional = {(*fractional)[0], (*fractional)[1], (*fractional)[2]};
  }
  return site;
}

/// Two basis sites at the same place (modulo the cell) would make one site of two.
void check_distinct_basis_sites(TableReader& t, const std::vector<BasisSiteSpec>& basis) {
  constexpr double kTolerance = 1e-6;  // fractional; far below any physical site separation
  for (std::size_t j = 1; j < basis.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      bool same = true;
      for (std::size_t k = 0; k < 3; ++k) {
        const double delta = basis[j].fractional[k] - basis[i].fractional[k];
        same = same && std::abs(delta - std::round(delta)) < kTolerance;
      }
      if (same) {
        const std::string path = element_path(t.key_path("basis"), j) + ".fractional";
        t.reader().error(t.reader().locations().find(path), path,
                         "basis site " + std::to_string(j) + " is at the same position as basis "
                         "site " + std::to_string(i));
        break;
      }
    }
  }
}

/// Reads [lattice]; returns whether its site types are known (a recognised prototype, or an
/// explicit basis whose every site read without error), so that references to them can be
/// checked.
bool read_lattice(TableReader& t, LatticeSpec& lattice) {
  bool site_types_known = false;
  const LatticePrototypeInfo* prototype = nullptr;
  if (t.has("prototype")) {
    if (auto name = t.string("prototype", Need::required)) {
      prototype = find_lattice_prototype(*name);
      if (prototype != nullptr) {
        lattice.prototype = *name;
      } else {
        std::vector<std::string_view> names;
        for (const LatticePrototypeInfo& p : lattice_prototypes()) names.push_back(p.name);
        std::string message = "unknown prototype '" + *name + "'";
        if (auto suggestion = nearest_name(*name, names)) {
          message += "; did you mean '" + *suggestion + "'?";
        } else {
          message += "; known prototypes: " + quoted_list(names);
        }
        t.error("prototype", std::move(message));
      }
    }
    site_types_known = prototype != nullptr;
    assign(lattice.a_A, t.real("a_A", Need::required, kPositive));
    for (std::string_view key : {"cell_A", "basis"}) {
      if (t.has(key)) {
        t.error(key, "'" + std::string(key) + "' cannot be combined with 'prototype': give a "
                     "prototype or an explicit cell_A with [[lattice.basis]], not both");
      }
    }
    if (t.has("c_over_a") && prototype != nullptr && !prototype->uses_c_over_a) {
      t.error("c_over_a", "'c_over_a' applies only to hexagonal prototypes (hcp_anion_TO), not '" +
                              lattice.prototype + "'");
    } else if (t.has("c_over_a")) {
      assign(lattice.c_over_a, t.real("c_over_a", Need::required, kPositive));
    } else if (prototype != nullptr && prototype->uses_c_over_a) {
      lattice.c_over_a = kIdealHcpCOverA;
    }
  } else if (!t.has("cell_A") && !t.has("basis")) {
    t.error_here(t.path(), "missing required key: give 'prototype' (with 'a_A'), or 'cell_A' "
                           "with [[lattice.basis]]");
  } else {
    assign(lattice.cell_A, read_cell(t));
    if (!t.has("basis")) t.missing("basis");
    const std::size_t errors_before_basis = t.reader().diagnostics().size();
    read_tables(t.reader(), t.table(), t.path(), section_schema("lattice.basis"), "basis",
                lattice.basis, read_basis_site);
    if (t.has("basis") && t.node("basis")->is_array() && lattice.basis.empty()) {
      t.error("basis", "an explicit cell needs at least one [[lattice.basis]] site");
    }
    site_types_known = !lattice.basis.empty() &&
                       t.reader().diagnostics().size() == errors_before_basis;
    check_distinct_basis_sites(t, lattice.basis);
    for (std::string_view key : {"a_A", "c_over_a"}) {
      if (t.has(key)) {
        t.error(key, "'" + std::string(key) + "' applies only with 'prototype'; an explicit "
                     "cell_A is given in Å directly");
      }
    }
  }
  if (auto supercell = t.integers("supercell", Need::optional, kThree, kPositiveInt)) {
    for (std::size_t i = 0; i < 3; ++i) lattice.supercell[i] = static_cast<int>((*supercell)[i]);
  }
  return site_types_known;
}

SiteTypeSpec read_site_type(TableReader& t) {
  SiteTypeSpec type;
  assign(type.name, t.string("name", Need::required));
  assign(type.energy_eV, t.real("energy_eV", Need::optional, kAnyReal));
  assign(type.disorder_sigma_eV, t.real("disorder_sigma_eV", Need::optional, kNonNegative));
  return type;
}

/// Species and dopants share their keys; only the charge rule differs.
template <typename Occupant>
Occupant read_occupant(TableReader& t) {
  constexpr bool mobile = std::is_same_v<Occupant, MobileSpeciesSpec>;
  Occupant occupant;
  assign(occupant.name, t.string("name", Need::required));
  if (auto charge = t.integer("charge", mobile ? Need::required : Need::optional, kAnyInt)) {
    if (mobile && *charge == 0) {
      t.error("charge", "a mobile species needs a non-zero charge (σ scales with z²); use "
                        "[[dopants]] for neutral blockers");
    } else {
      occupant.charge = static_cast<int>(*charge);
    }
  }
  assign(occupant.site_types, t.strings("site_types", Need::optional, kNonEmpty));
  t.exactly_one_of("count", "concentration");
  if (auto count = t.integer("count", Need::optional, kPositiveLong)) occupant.count = *count;
  if (auto fraction = t.real("concentration", Need::optional, kOpenUnit)) {
    occupant.concentration = *fraction;
  }
  return occupant;
}

PairInteractionSpec read_interaction(TableReader& t) {
  PairInteractionSpec interaction;
  // Two equal names are a valid self-interaction ("Li", "Li"), not a repeated entry.
  if (auto pair = t.strings("species", Need::required, {2, 2}, Repeats::allowed)) {
    interaction.species = {(*pair)[0], (*pair)[1]};
  }
  assign(interaction.shell_energies_eV,
         t.reals("shell_energies_eV", Need::required, kNonEmpty, kAnyReal));
  return interaction;
}

RegionSpec read_region(TableReader& t) {
  RegionSpec region;
  assign(region.name, t.string("name", Need::required));
  if (auto axis = t.string("axis", Need::required)) {
    constexpr std::array<std::string_view, 3> kAxes{"a", "b", "c"};
    const auto it = std::find(kAxes.begin(), kAxes.end(), *axis);
    if (it != kAxes.end()) {
      region.axis = static_cast<int>(it - kAxes.begin());
    } else {
      t.error("axis", "expected \"a\", \"b\" or \"c\", got \"" + *axis + "\"");
    }
  }
  const auto from = t.real("from", Need::required, kUnitFrom);
  const auto to = t.real("to", Need::required, kUnitTo);
  assign(region.from_fraction, from);
  assign(region.to_fraction, to);
  if (from && to && !(*from < *to)) {
    t.error("to", "must be greater than 'from' (" + format_real(*from) + "), got " +
                      format_real(*to));
  }
  assign(region.energy_shift_eV, t.real("energy_shift_eV", Need::optional, kAnyReal));
  assign(region.barrier_shift_eV, t.real("barrier_shift_eV", Need::optional, kAnyReal));
  return region;
}

HopRuleSpec read_hop_rule(TableReader& t) {
  HopRuleSpec hop;
  assign(hop.from_type, t.string("from", Need::required));
  assign(hop.to_type, t.string("to", Need::required));
  if (t.has("shell") && t.has("max_distance_A")) {
    const auto ps = t.node("shell")->source().begin;
    const auto pd = t.node("max_distance_A")->source().begin;
    const bool distance_later = std::pair(pd.line, pd.column) > std::pair(ps.line, ps.column);
    t.error(distance_later ? "max_distance_A" : "shell",
            "give either 'shell' or 'max_distance_A', not both");
  } else {
    if (auto shell = t.integer("shell", Need::optional, kPositiveInt)) {
      hop.shell = static_cast<int>(*shell);
    }
    if (auto distance = t.real("max_distance_A", Need::optional, kPositive)) {
      hop.max_distance_A = *distance;
    }
  }
  assign(hop.barrier_eV, t.real("barrier_eV", Need::required, kNonNegative));
  assign(hop.attempt_frequency_Hz, t.real("attempt_frequency_Hz", Need::optional, kPositive));
  return hop;
}

void read_run(TableReader& t, RunSpec& run) {
  if (auto temperatures = t.reals("temperatures_K", Need::required, kNonEmpty, kPositive)) {
    bool distinct = true;
    for (std::size_t i = 1; i < temperatures->size() && distinct; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if ((*temperatures)[i] == (*temperatures)[j]) {
          const std::string path = element_path(t.key_path("temperatures_K"), i);
          t.reader().error(t.reader().locations().find(path), path,
                           "temperature " + format_real((*temperatures)[i]) + " K is listed twice");
          distinct = false;
          break;
        }
      }
    }
    if (distinct) run.temperatures_K = std::move(*temperatures);
  }
  t.exactly_one_of("events", "time_s");
  if (auto events = t.integer("events", Need::optional, kPositiveLong)) run.events = *events;
  if (auto time = t.real("time_s", Need::optional, kPositive)) run.time_s = *time;
  assign(run.equilibration_events, t.integer("equilibration_events", Need::optional, kNonNegativeLong));
  if (auto interval = t.real("sample_interval_s", Need::optional, kPositive)) {
    run.sample_interval_s = *interval;
  }
  const auto samples = t.integer("samples", Need::optional, {2, INT_MAX});
  const auto max_lag = t.integer("max_lag_samples", Need::optional, kPositiveInt);
  if (samples) run.samples = static_cast<int>(*samples);
  if (max_lag) run.max_lag_samples = static_cast<int>(*max_lag);
  if ((samples || max_lag) && run.max_lag_samples >= run.samples) {
    const std::string_view key = max_lag ? "max_lag_samples" : "samples";
    t.error(key, "max_lag_samples (" + std::to_string(run.max_lag_samples) +
                     ") must be less than samples (" + std::to_string(run.samples) + ")");
  }
  assign(run.fit_from_lag_fraction, t.real("fit_from_lag_fraction", Need::optional, kUnitFrom));
  if (auto replicas = t.integer("replicas", Need::optional, kPositiveInt)) {
    run.replicas = static_cast<int>(*replicas);
  }
  if (auto seed = t.integer("seed", Need::optional, kNonNegativeLong)) {
    run.seed = static_cast<std::uint64_t>(*seed);
  }
}

constexpr std::array<Choice<SuperbasinMethodSpec>, 4> kSuperbasinMethods{{
    {"none", SuperbasinMethodSpec::none},
    {"mcamc", SuperbasinMethodSpec::mcamc},
    {"local", SuperbasinMethodSpec::local},
    {"rate-scaling", SuperbasinMethodSpec::rate_scaling},
}};
constexpr std::array<Choice<BasinDetectionSpec>, 3> kBasinDetections{{
    {"both", BasinDetectionSpec::both},
    {"barrier", BasinDetectionSpec::barrier},
    {"counting", BasinDetectionSpec::counting},
}};

void read_superbasin(TableReader& t, SuperbasinSpec& superbasin) {
  assign(superbasin.method, t.choice("method", Need::optional, kSuperbasinMethods));
  assign(superbasin.detection, t.choice("detection", Need::optional, kBasinDetections));
  assign(superbasin.barrier_gap_eV, t.real("barrier_gap_eV", Need::optional, kPositive));
  auto set_int = [&](int& target, std::string_view key, IntegerRange range) {
    if (auto value = t.integer(key, Need::optional, range)) target = static_cast<int>(*value);
  };
  set_int(superbasin.transition_count, "transition_count", kPositiveInt);
  set_int(superbasin.max_basin_sites, "max_basin_sites", {2, 64});
  set_int(superbasin.max_basin_states, "max_basin_states", kPositiveInt);
  set_int(superbasin.cache_size, "cache_size", kPositiveInt);
  assign(superbasin.min_rate_ratio,
         t.real("min_rate_ratio", Need::optional, {1.0, false, kInfinity, true}));
  assign(superbasin.plain_pilot_events,
         t.integer("plain_pilot_events", Need::optional, kNonNegativeLong));
}

void read_output(TableReader& t, OutputSpec& output) {
  assign(output.path, t.string("path", Need::optional));
}

/// Reads every section of the document into `study`, then runs the cross-section checks.
void read_document(TomlReader& reader, const toml::table& root, Study& study) {
  reader.record("", root);
  const std::vector<std::string_view> sections = top_level_section_names();
  for (auto&& [key, node] : root) {
    reader.record(std::string(key.str()), node);
    if (std::find(sections.begin(), sections.end(), key.str()) != sections.end()) continue;
    reader.unknown(key, node, "", node.is_table() || node.is_array() ? "section" : "key",
                   "at the top level", sections);
  }

  auto with_table = [&](std::string_view name, auto read_section) {
    const SectionSchema& section = section_schema(name);
    const Need need = section.required ? Need::required : Need::optional;
    if (const toml::table* table = section_table(reader, root, "", section, name, need)) {
      TableReader table_reader(reader, *table, std::string(name), section);
      read_section(table_reader);
    }
  };
  auto with_tables = [&](std::string_view name, auto& out, auto read_one) {
    read_tables(reader, root, "", section_schema(name), name, out, read_one);
  };

  bool lattice_is_valid = false;
  with_table("study", [&](TableReader& t) { read_study_section(t, study); });
  with_table("lattice", [&](TableReader& t) { lattice_is_valid = read_lattice(t, study.lattice); });
  with_tables("site_types", study.site_types, read_site_type);
  with_tables("species", study.species, read_occupant<MobileSpeciesSpec>);
  with_tables("dopants", study.dopants, read_occupant<DopantSpec>);
  with_tables("interactions", study.interactions, read_interaction);
  with_tables("regions", study.regions, read_region);
  with_tables("hops", study.hops, read_hop_rule);
  with_table("run", [&](TableReader& t) { read_run(t, study.run); });
  with_table("superbasin", [&](TableReader& t) { read_superbasin(t, study.superbasin); });
  with_table("output", [&](TableReader& t) { read_output(t, study.output); });

  resolve_study_references(study, reader.locations(), lattice_is_valid, reader.diagnostics());
}

}  // namespace

Study read_study_string(std::string_view text, std::string source_name) {
  Study study;
  study.source_path = source_name;
  study.source_text = std::string(text);
  const toml::table root = parse_document(text, source_name);
  TomlReader reader(source_name, study_schema());
  read_document(reader, root, study);
  throw_if_any(std::move(reader.diagnostics()), source_name);
  return study;
}

std::string to_string(SuperbasinMethodSpec method) {
  return choice_name(kSuperbasinMethods, method);
}

std::string to_string(BasinDetectionSpec detection) {
  return choice_name(kBasinDetections, detection);
}

Study read_study_file(const std::filesystem::path& path) {
  return read_study_string(read_text_file(path, "study file"), path.string());
}

}  // namespace ionhop::inputs
