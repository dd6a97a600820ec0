#include "inputs/PotentialFileReader.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <system_error>
#include <utility>

#include "inputs/NearestName.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudySchema.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs {
namespace {

// The typed getters, positions and diagnostics shared with the study and job-file readers.
using namespace toml_reading;

// ---- the keys each potential type takes (neb/PotentialRegistry.hpp builds them) ----------------
// A key whose default is "required" must be given; every key that is not `type`, `charges_e`,
// `pairs`, `terms`, `species` or `model` (a file name) is a finite number. Value ranges are
// checked by neb's registry.

constexpr std::string_view kRequired = "required";

/// A required number of one species pair.
constexpr KeySchema coefficient(std::string_view name, std::string_view unit, std::string_view meaning) {
  return {name, "float", unit, kRequired, meaning};
}

/// A number of the whole potential; `default_value` is kRequired, "—" or the default neb uses.
constexpr KeySchema setting(std::string_view name, std::string_view unit, std::string_view default_value,
                            std::string_view meaning) {
  return {name, "float", unit, default_value, meaning};
}

constexpr KeySchema kType{"type", "string", "", kRequired, "The potential type (a registry name)."};
constexpr KeySchema kCharges{"charges_e", "table species = float", "e", "—", "Charge per species (neb requires them)."};
constexpr KeySchema kSpecies{"species", "array of 2 strings", "", kRequired,
                             "The two species of the pair, e.g. [\"Li\", \"O\"]."};

constexpr std::array<KeySchema, 4> kPairPotentialKeys{
    kType, setting("cutoff_A", "Å", kRequired, "Pair cutoff, > 0; the energy is shifted to zero there."),
    setting("switch_on_A", "Å", "—", "Start of the smooth switch-off, in [0, cutoff_A)."),
    KeySchema{"pairs", "array of tables", "", "—", "Coefficients per unordered species pair (neb requires one at least)."}};

constexpr std::array<KeySchema, 3> kLennardJonesPair{kSpecies, coefficient("epsilon_eV", "eV", "Well depth."),
                                                     coefficient("sigma_A", "Å", "Zero crossing, > 0.")};

constexpr std::array<KeySchema, 4> kMorsePair{kSpecies, coefficient("D_eV", "eV", "Well depth."),
                                              coefficient("alpha_per_A", "1/Å", "Stiffness, > 0."),
                                              coefficient("r0_A", "Å", "Equilibrium distance.")};

constexpr std::array<KeySchema, 4> kBuckinghamPair{kSpecies, coefficient("A_eV", "eV", "Repulsion prefactor."),
                                                   coefficient("rho_A", "Å", "Repulsion length, > 0."),
                                                   coefficient("C_eV_A6", "eV Å^6", "Dispersion coefficient.")};

constexpr std::array<KeySchema, 2> kRepulsionR12Pair{kSpecies, coefficient("B_eV_A12", "eV Å^12", "Coefficient of 1/r^12.")};

constexpr std::array<KeySchema, 6> kEwaldKeys{
    kType, kCharges, setting("real_cutoff_A", "Å", "10", "Real-space cutoff."),
    setting("accuracy", "", "1e-6", "Relative RMS force accuracy."),
    setting("alpha_per_A", "1/Å", "—", "Splitting parameter (default: from the accuracy)."),
    setting("kspace_cutoff_per_A", "1/Å", "—", "Reciprocal-space cutoff (default: from the accuracy).")};

constexpr std::array<KeySchema, 4> kDsfKeys{kType, kCharges,
                                            setting("cutoff_A", "Å", "10", "Cutoff of the damped shifted force."),
                                            setting("alpha_per_A", "1/Å", "0.2", "Damping parameter.")};

constexpr std::array<KeySchema, 2> kMlipKeys{
    kType, KeySchema{"model", "string", "", kRequired,
                     "Model file of a machine-learned potential (HDF5, written by `ionhop mlip train` or `learn`), "
                     "relative to the file that names it; it must exist."}};

constexpr std::array<KeySchema, 2> kSumKeys{
    kType, KeySchema{"terms", "array of potential tables", "", "—", "The summed potentials (neb requires one at least)."}};

/// One potential type: the keys of its table and, for pair potentials, of each `pairs` element.
struct PotentialTypeSchema {
  SectionSchema table;  ///< name = the type
  SectionSchema pair;   ///< no keys: the type takes no pairs
};

constexpr PotentialTypeSchema pair_type(std::string_view name, std::span<const KeySchema> pair) {
  return {{name, false, false, "", kPairPotentialKeys}, {name, false, false, "", pair}};
}

constexpr PotentialTypeSchema other_type(std::string_view name, std::span<const KeySchema> keys) {
  return {{name, false, false, "", keys}, {name, false, false, "", {}}};
}

constexpr std::array<PotentialTypeSchema, 8> kPotentialTypes{{
    pair_type("lennard_jones", kLennardJonesPair),
    pair_type("morse", kMorsePair),
    pair_type("buckingham", kBuckinghamPair),
    pair_type("repulsion_r12", kRepulsionR12Pair),
    other_type("coulomb_ewald", kEwaldKeys),
    other_type("coulomb_dsf", kDsfKeys),
    other_type("sum", kSumKeys),
    other_type("mlip", kMlipKeys),
}};

constexpr std::array<Choice<std::size_t>, kPotentialTypes.size()> type_choices() {
  std::array<Choice<std::size_t>, kPotentialTypes.size()> choices{};
  for (std::size_t i = 0; i < kPotentialTypes.size(); ++i) choices[i] = {kPotentialTypes[i].table.name, i};
  return choices;
}

constexpr auto kTypeChoices = type_choices();

/// What a potential table is read with before its type is known: `type` only, keys unchecked.
constexpr std::array<KeySchema, 1> kTypeOnlyKeys{{kType}};
constexpr SectionSchema kTypeOnly{"potential", false, true, "", kTypeOnlyKeys};

/// The `[potential]` table of a parameter file, for its "missing required section" message.
constexpr SectionSchema kPotentialSection{"potential", false, true, "", {}};

constexpr std::array<std::string_view, 3> kTopLevelKeys{"name", "citation", "potential"};

// ---- reading -------------------------------------------------------------------------------------

/// Reports every key of `table` that `keys` does not list, with the nearest known one.
void report_unknown_keys(TomlReader& reader, const toml::table& table, const std::string& path,
                         const SectionSchema& keys, const std::string& where) {
  const std::vector<std::string_view> known = keys.key_names();
  for (auto&& [key, node] : table) {
    if (keys.find_key(key.str()) == nullptr) reader.unknown(key, node, path, "key", where, known);
  }
}

/// A finite number; an integer is taken as the float it names. `what` says what it is.
std::optional<double> read_number(TomlReader& reader, const toml::node& node,
                                  const std::string& path, std::string_view what) {
  if (!node.is_number()) {
    reader.error(node, path, "expected a number (" + std::string(what) + "), got " + describe_node(node));
    return std::nullopt;
  }
  return read_real(reader, node, path, kAnyReal);
}

Need need_of(const KeySchema& key) { return key.default_value == kRequired ? Need::required : Need::optional; }

void read_charges(TableReader& s, Need need, neb::PotentialSpec& spec) {
  const toml::node* node = s.node("charges_e");
  if (node == nullptr) {
    if (need == Need::required) s.missing("charges_e");
    return;
  }
  const toml::table* charges = node->as_table();
  if (charges == nullptr) {
    s.error("charges_e", "expected a table of species = charge [e], got " + describe_node(*node));
    return;
  }
  if (charges->empty()) s.error("charges_e", "needs the charge of at least one species");
  for (auto&& [species, value] : *charges) {
    const std::string path = child_path(s.key_path("charges_e"), species.str());
    if (auto charge = read_number(s.reader(), value, path, "a charge in e")) {
      spec.charges_e[std::string(species.str())] = *charge;
    }
  }
}

neb::PairCoefficients read_pair(TomlReader& reader, const toml::table& table, const std::string& path,
                                const SectionSchema& keys) {
  neb::PairCoefficients pair;
  TableReader s(reader, table, path, keys, KeyCheck::none);
  report_unknown_keys(reader, table, path, keys, "in a \"" + std::string(keys.name) + "\" pair");
  for (const KeySchema& key : keys.keys) {
    if (key.name == kSpecies.name) {
      const auto species = s.get(key.name, need_of(key), [&](const toml::node& n, const std::string& p) {
        return read_elements<std::string>(reader, n, p, "two species names, e.g. [\"Li\", \"O\"]", ArraySize{2, 2},
                                          [&](const toml::node& e, const std::string& ep) {
                                            return read_string(reader, e, ep, Emptiness::forbidden);
                                          });
      });
      if (species) {
        pair.species_a = (*species)[0];
        pair.species_b = (*species)[1];
      }
    } else if (auto value = s.get(key.name, need_of(key), [&](const toml::node& n, const std::string& p) {
                 return read_number(reader, n, p, "a coefficient with its unit in the name");
               })) {
      pair.values[std::string(key.name)] = *value;
    }
  }
  return pair;
}

/// Passes each table of the array `key` to `read_one(table, key path)`; the array must not be
/// empty, and an element that is not a table is reported as not being `element`.
template <typename ReadOne>
void read_each_table(TableReader& s, std::string_view key, Need need, std::string_view array,
                     const std::string& element, ReadOne read_one) {
  const toml::node* node = s.node(key);
  if (node == nullptr) {
    if (need == Need::required) s.missing(key);
    return;
  }
  TomlReader& reader = s.reader();
  const std::string path = s.key_path(key);
  const toml::array* tables = read_array(reader, *node, path, array, kNonEmpty);
  if (tables == nullptr) return;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const toml::node& item = (*tables)[i];
    if (const toml::table* table = item.as_table()) {
      read_one(*table, element_path(path, i));
    } else {
      reader.error(item, element_path(path, i), "expected " + element + ", got " + describe_node(item));
    }
  }
}

/// `model` of an "mlip" potential: a file name, resolved against `base` (the folder of the file
/// that names it) and required to exist, so a wrong path is reported at the key and not when the
/// potential is built. Whether the file is a model is checked where it is read (app/).
void read_model(TableReader& s, Need need, const std::filesystem::path& base, neb::PotentialSpec& spec) {
  const std::optional<std::string> name = s.string("model", need);
  if (!name) return;
  const std::filesystem::path given(*name);
  const std::filesystem::path resolved = given.is_absolute() || base.empty() ? given : base / given;
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(resolved, ec);
  std::string quoted(1, '\'');  // built by appending: GCC 12 warns (-Wrestrict) on "'" + string
  quoted += resolved.string();
  quoted += '\'';
  if (!std::filesystem::exists(status)) {
    std::string message = "the model file " + quoted + " does not exist";
    if (!given.is_absolute()) message += " (relative names are taken from the folder of this file)";
    s.error("model", std::move(message));
    return;
  }
  if (std::filesystem::is_directory(status)) {
    s.error("model", quoted + " is a directory, not a model file");
    return;
  }
  spec.text_settings["model"] = resolved.string();
}

/// One potential table: its `type` first, then the keys that type takes; file names are
/// resolved against `base`.
neb::PotentialSpec read_potential_table(TomlReader& reader, const toml::table& table, const std::string& path,
                                        const std::filesystem::path& base) {
  neb::PotentialSpec spec;
  spec.origin = reader.file() + ":" + std::to_string(table.source().begin.line);
  TableReader s(reader, table, path, kTypeOnly, KeyCheck::none);
  if (!s.has("type")) {
    // Without a type the other keys cannot be checked; only a misspelt `type` can be named.
    const std::vector<std::string_view> type_key = kTypeOnly.key_names();
    for (auto&& [key, node] : table) {
      if (nearest_name(key.str(), type_key)) reader.unknown(key, node, path, "key", "in a potential table", type_key);
    }
  }
  const std::optional<std::size_t> type = s.choice("type", Need::required, kTypeChoices);
  if (!type) return spec;
  const PotentialTypeSchema& schema = kPotentialTypes[*type];
  spec.type = std::string(schema.table.name);
  report_unknown_keys(reader, table, path, schema.table, "in a \"" + spec.type + "\" potential");
  for (const KeySchema& key : schema.table.keys) {
    const Need need = need_of(key);
    if (key.name == "type") continue;
    if (key.name == "charges_e") {
      read_charges(s, need, spec);
    } else if (key.name == "pairs") {
      read_each_table(s, key.name, need, "an array of tables",
                      "a table with species = [\"A\", \"B\"] and coefficients",
                      [&](const toml::table& pair, const std::string& pair_path) {
                        spec.pairs.push_back(read_pair(reader, pair, pair_path, schema.pair));
                      });
    } else if (key.name == "terms") {
      read_each_table(s, key.name, need, "an array of potential tables", "a potential table",
                      [&](const toml::table& term, const std::string& term_path) {
                        spec.terms.push_back(read_potential_table(reader, term, term_path, base));
                      });
    } else if (key.name == "model") {
      read_model(s, need, base, spec);
    } else if (auto value = s.get(key.name, need, [&](const toml::node& n, const std::string& p) {
                 return read_number(reader, n, p, "a setting with its unit in the name");
               })) {
      spec.settings[std::string(key.name)] = *value;
    }
  }
  return spec;
}

PotentialFile read_document(TomlReader& reader, const toml::table& root, const std::filesystem::path& base) {
  PotentialFile file;
  for (auto&& [key, node] : root) {
    if (std::find(kTopLevelKeys.begin(), kTopLevelKeys.end(), key.str()) == kTopLevelKeys.end()) {
      reader.unknown(key, node, "", "key", "at the top level of a potential file", kTopLevelKeys);
    }
  }
  if (const toml::node* name = root.get("name")) assign(file.name, read_string(reader, *name, "name", Emptiness::forbidden));
  if (const toml::node* citation = root.get("citation")) {
    assign(file.citation, read_string(reader, *citation, "citation", Emptiness::forbidden));
  }
  if (const toml::table* potential = section_table(reader, root, "", kPotentialSection, "potential", Need::required)) {
    file.potential = read_potential_table(reader, *potential, "potential", base);
  }
  return file;
}

}  // namespace

PotentialFile parse_potential_file(std::string_view text, const std::string& source_name,
                                   const std::filesystem::path& base_directory) {
  const toml::table root = parse_document(text, source_name);
  TomlReader reader(source_name);
  PotentialFile file = read_document(reader, root, base_directory);
  throw_if_any(std::move(reader.diagnostics()), source_name);
  return file;
}

PotentialFile read_potential_file(const std::string& path) {
  return parse_potential_file(read_text_file(path, "potential file"), path, std::filesystem::path(path).parent_path());
}

}  // namespace ionhop::inputs
