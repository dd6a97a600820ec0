#include "inputs/RelaxNebReader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <type_traits>
#include <utility>
#include <vector>

#include "inputs/NearestName.hpp"
#include "inputs/PotentialFileReader.hpp"
#include "inputs/RelaxNebSchema.hpp"
#include "inputs/StudyError.hpp"

namespace ionhop::inputs {

namespace {

std::string format_real(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string quoted_list(std::span<const std::string_view> names) {
  std::string text;
  for (std::string_view name : names) text += (text.empty() ? "'" : ", '") + std::string(name) + "'";
  return text;
}

std::string describe_node(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string (\"" + *node.value<std::string>() + "\")";
    case toml::node_type::integer: return "an integer (" + std::to_string(*node.value<std::int64_t>()) + ")";
    case toml::node_type::floating_point: return "a float (" + format_real(*node.value<double>()) + ")";
    case toml::node_type::boolean: return *node.value<bool>() ? "a boolean (true)" : "a boolean (false)";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

/// A choice among named values, e.g. method = "lbfgs" | "fire".
template <typename Enum>
struct Choice {
  std::string_view name;
  Enum value;
};

constexpr std::array<Choice<JobOptimizer>, 2> kOptimizers{{{"lbfgs", JobOptimizer::lbfgs},
                                                           {"fire", JobOptimizer::fire}}};
constexpr std::array<Choice<JobCellRelax>, 3> kCellModes{{{"none", JobCellRelax::none},
                                                          {"isotropic", JobCellRelax::isotropic},
                                                          {"orthorhombic", JobCellRelax::orthorhombic}}};
constexpr std::array<Choice<JobSprings>, 2> kSpringModes{{{"constant", JobSprings::constant},
                                                          {"energy_weighted", JobSprings::energy_weighted}}};
constexpr std::array<Choice<JobInitialPath>, 2> kPaths{{{"linear", JobInitialPath::linear},
                                                        {"idpp", JobInitialPath::idpp}}};
constexpr std::array<Choice<JobHopMechanism>, 3> kMechanisms{{{"vacancy", JobHopMechanism::vacancy},
                                                              {"interstitial", JobHopMechanism::interstitial},
                                                              {"band", JobHopMechanism::band}}};

template <typename Enum, std::size_t N>
std::string choice_name(const std::array<Choice<Enum>, N>& choices, Enum value) {
  for (const auto& c : choices)
    if (c.value == value) return std::string(c.name);
  return "?";
}

/// Collects diagnostics and key positions while one job file is read.
class JobReader {
 public:
  JobReader(std::string file, std::filesystem::path base) : file_(std::move(file)), base_(std::move(base)) {}

  void error(const toml::node& at, std::string key_path, std::string message) {
    const auto p = at.source().begin;
    diagnostics_.push_back({file_, static_cast<int>(p.line), static_cast<int>(p.column), std::move(key_path),
                            std::move(message)});
  }

  /// Records the position of `node` and, recursively, of everything inside it.
  void record(const std::string& key_path, const toml::node& node) {
    const auto p = node.source().begin;
    locations_.add(key_path, {file_, static_cast<int>(p.line), static_cast<int>(p.column)});
    if (const toml::array* a = node.as_array()) {
      for (std::size_t i = 0; i < a->size(); ++i) record(key_path + "[" + std::to_string(i) + "]", (*a)[i]);
    } else if (const toml::table* t = node.as_table()) {
      for (auto&& [k, v] : *t) record(child_path(key_path, k.str()), v);
    }
  }

  /// Unknown key in a section: nearest-name suggestion, else the known keys.
  void unknown_key(const toml::key& key, const toml::node& node, const SectionSchema& section) {
    const std::string name(key.str());
    const std::vector<std::string_view> known = section.key_names();
    std::string message = "unknown key '" + name + "'";
    if (auto s = nearest_name(name, known)) {
      message += "; did you mean '" + *s + "'?";
      suggested_.insert(child_path(std::string(section.name), *s));
    } else {
      message += " in " + section.header() + "; known: " + quoted_list(known);
    }
    error_at_key(key, node, child_path(std::string(section.name), name), std::move(message));
  }

  void error_at_key(const toml::key& key, const toml::node& node, std::string key_path, std::string message) {
    const auto p = key.source().begin.line > 0 ? key.source().begin : node.source().begin;
    diagnostics_.push_back({file_, static_cast<int>(p.line), static_cast<int>(p.column), std::move(key_path),
                            std::move(message)});
  }

  bool was_suggested(const std::string& key_path) const { return suggested_.contains(key_path); }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  SourceLocations& locations() { return locations_; }
  const std::string& file() const { return file_; }
  std::filesystem::path resolve(const std::string& relative) const {
    const std::filesystem::path p(relative);
    return p.is_absolute() ? p : base_ / p;
  }

 private:
  std::string file_;
  std::filesystem::path base_;
  std::vector<Diagnostic> diagnostics_;
  SourceLocations locations_;
  std::set<std::string> suggested_;
};

/// One table of a known section: typed, range-checked getters; unknown keys reported on entry.
class Section {
 public:
  Section(JobReader& reader, const toml::table& table, const SectionSchema& schema, bool check_keys = true)
      : r_(reader), table_(table), schema_(schema), path_(schema.name) {
    if (!check_keys) return;
    for (auto&& [key, node] : table_) {
      if (schema_.find_key(key.str()) == nullptr) r_.unknown_key(key, node, schema_);
    }
  }

  bool has(std::string_view key) const { return table_.contains(key); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }
  std::string key_path(std::string_view key) const { return child_path(path_, key); }
  const toml::table& table() const { return table_; }
  JobReader& reader() { return r_; }

  void error(std::string_view key, std::string message) { r_.error(*node(key), key_path(key), std::move(message)); }
  void missing(std::string_view key, std::string why = "") {
    if (r_.was_suggested(key_path(key))) return;
    r_.error(table_, key_path(key), "missing required key '" + std::string(key) + "'" + why);
  }
  /// Reports a key that is not allowed in this context (e.g. `vacancy_site` with an interstitial).
  void forbid(std::string_view key, const std::string& why) {
    if (has(key)) error(key, "'" + std::string(key) + "' " + why);
  }

  std::optional<std::string> string(std::string_view key, bool required) {
    const toml::node* n = present(key, required);
    if (n == nullptr) return std::nullopt;
    auto v = n->value_exact<std::string>();
    if (!v) return fail<std::string>(key, "expected a string, got " + describe_node(*n));
    if (v->empty()) return fail<std::string>(key, "must not be empty");
    return v;
  }

  std::optional<long long> integer(std::string_view key, bool required, long long min) {
    const toml::node* n = present(key, required);
    if (n == nullptr) return std::nullopt;
    auto v = n->value_exact<std::int64_t>();
    if (!v) {
      std::string message = "expected an integer, got " + describe_node(*n);
      if (auto real = n->value_exact<double>(); real && std::trunc(*real) == *real && std::abs(*real) < 1e15)
        message += "; write it as " + std::to_string(static_cast<long long>(*real));
      return fail<long long>(key, std::move(message));
    }
    if (*v < min || *v > INT_MAX) {
      return fail<long long>(key, "must be in [" + std::to_string(min) + ", " + std::to_string(INT_MAX) + "], got " +
                                      std::to_string(*v));
    }
    return static_cast<long long>(*v);
  }

  /// A float > 0 (`positive`) or any finite float.
  std::optional<double> real(std::string_view key, bool required, bool positive) {
    const toml::node* n = present(key, required);
    if (n == nullptr) return std::nullopt;
    return real_value(*n, key_path(key), positive);
  }

  std::optional<bool> boolean(std::string_view key) {
    const toml::node* n = present(key, false);
    if (n == nullptr) return std::nullopt;
    auto v = n->value_exact<bool>();
    if (!v) return fail<bool>(key, "expected a boolean (true or false), got " + describe_node(*n));
    return v;
  }

  template <typename Enum, std::size_t N>
  std::optional<Enum> choice(std::string_view key, bool required, const std::array<Choice<Enum>, N>& choices) {
    auto name = string(key, required);
    if (!name) return std::nullopt;
    std::vector<std::string_view> names;
    for (const auto& c : choices) {
      if (c.name == *name) return c.value;
      names.push_back(c.name);
    }
    std::string message = "unknown value \"" + *name + "\"";
    if (auto s = nearest_name(*name, names)) message += "; did you mean \"" + *s + "\"?";
    std::string list;
    for (std::string_view n : names) list += (list.empty() ? "\"" : ", \"") + std::string(n) + "\"";
    message += " (expected one of " + list + ")";
    return fail<Enum>(key, std::move(message));
  }

  /// An array of exactly 3 floats, or of 3 integers ≥ 1 (`positive_integers`).
  template <typename T>
  std::optional<std::array<T, 3>> triple(std::string_view key, bool required) {
    const toml::node* n = present(key, required);
    if (n == nullptr) return std::nullopt;
    constexpr bool integers = std::is_integral_v<T>;
    const std::string what = integers ? "an array of 3 integers" : "an array of 3 floats";
    const toml::array* a = n->as_array();
    if (a == nullptr) return fail<std::array<T, 3>>(key, "expected " + what + ", got " + describe_node(*n));
    if (a->size() != 3)
      return fail<std::array<T, 3>>(key, "expected " + what + " with exactly 3 elements, got " + std::to_string(a->size()));
    std::array<T, 3> out{};
    bool good = true;
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string p = key_path(key) + "[" + std::to_string(i) + "]";
      const toml::node& e = (*a)[i];
      if constexpr (integers) {
        auto v = e.value_exact<std::int64_t>();
        if (!v) {
          r_.error(e, p, "expected an integer, got " + describe_node(e));
          good = false;
        } else if (*v < 1 || *v > 1000) {
          r_.error(e, p, "must be in [1, 1000], got " + std::to_string(*v));
          good = false;
        } else {
          out[i] = static_cast<T>(*v);
        }
      } else {
        auto v = real_value(e, p, false);
        if (v) out[i] = *v;
        good = good && v.has_value();
      }
    }
    if (!good) return std::nullopt;
    return out;
  }

 private:
  const toml::node* present(std::string_view key, bool required) {
    const toml::node* n = node(key);
    if (n == nullptr && required) missing(key);
    return n;
  }

  template <typename T>
  std::optional<T> fail(std::string_view key, std::string message) {
    error(key, std::move(message));
    return std::nullopt;
  }

  std::optional<double> real_value(const toml::node& n, const std::string& path, bool positive) {
    std::optional<double> v;
    if (n.is_floating_point()) v = *n.value_exact<double>();
    if (n.is_integer()) v = static_cast<double>(*n.value_exact<std::int64_t>());
    if (!v) {
      r_.error(n, path, "expected a float, got " + describe_node(n));
      return std::nullopt;
    }
    if (!std::isfinite(*v)) {
      r_.error(n, path, "must be a finite number, got " + format_real(*v));
      return std::nullopt;
    }
    if (positive && !(*v > 0.0)) {
      r_.error(n, path, "must be > 0, got " + format_real(*v));
      return std::nullopt;
    }
    return v;
  }

  JobReader& r_;
  const toml::table& table_;
  const SectionSchema& schema_;
  std::string path_;
};

bool is_file_name_safe(const std::string& name) {
  return name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("_-.+", c) != nullptr;
         });
}

template <typename T>
void assign(T& target, std::optional<T> value) {
  if (value) target = std::move(*value);
}

template <typename T, typename U>
void assign_as(std::optional<T>& target, std::optional<U> value) {
  if (value) target = static_cast<T>(*value);
}

void read_job(Section& s, AtomisticJob& job) {
  if (auto name = s.string("name", true)) {
    if (is_file_name_safe(*name)) job.name = *name;
    else s.error("name", "'" + *name + "' is not a valid job name: use letters, digits and _ - . + only (it names the output files)");
  }
  if (const toml::node* d = s.node("description")) {
    if (auto text = d->value_exact<std::string>()) job.description = *text;
    else s.error("description", "expected a string, got " + describe_node(*d));
  }
}

void read_structure(Section& s, JobStructure& structure) {
  if (auto file = s.string("file", true)) structure.file = s.reader().resolve(*file);
  if (auto supercell = s.triple<int>("supercell", false)) structure.supercell = *supercell;
}

/// Sets each spec's origin ("file:line") from where its table was written in the job file.
void set_origins(neb::PotentialSpec& spec, const std::string& key_path, const SourceLocations& locations) {
  const InputLocation at = locations.find(key_path);
  spec.origin = at.file + ":" + std::to_string(at.line);
  for (std::size_t k = 0; k < spec.terms.size(); ++k)
    set_origins(spec.terms[k], key_path + ".terms[" + std::to_string(k) + "]", locations);
}

void read_potential(Section& s, JobPotential& potential) {
  JobReader& r = s.reader();
  if (s.has("file")) {
    for (auto&& [key, node] : s.table()) {
      if (key.str() != "file")
        r.error_at_key(key, node, s.key_path(key.str()),
                       "'" + std::string(key.str()) + "' cannot be combined with 'file': give a potential file or an inline potential, not both");
    }
    auto file = s.string("file", true);
    if (!file) return;
    potential.file = r.resolve(*file);
    try {
      PotentialFile parsed = read_potential_file(potential.file.string());
      potential.name = parsed.name;
      potential.citation = parsed.citation;
      potential.spec = std::move(parsed.potential);
    } catch (const StudyError& e) {
      // Problems inside the parameter file are reported where they are; an unreadable file at
      // the `file` key of the job.
      for (Diagnostic d : e.diagnostics()) {
        if (d.line == 0) {
          const InputLocation at = r.locations().find(s.key_path("file"));
          d = {r.file(), at.line, at.column, s.key_path("file"),
               "cannot read the potential file '" + potential.file.string() + "': " + d.message};
        }
        r.diagnostics().push_back(std::move(d));
      }
    }
    return;
  }
  if (!s.has("type")) {
    if (!r.was_suggested(s.key_path("file")) && !r.was_suggested(s.key_path("type")))
      r.error(s.table(), "potential", "missing required key: give 'file' (a potential parameter file) or an inline potential with 'type'");
    return;
  }
  // The inline table has the parameter-file schema: hand it to the parameter-file reader (one
  // reader, one set of rules) as the document {potential = <table>}, and map its diagnostics
  // back to the job file by key path.
  toml::table wrapper;
  wrapper.insert("potential", s.table());
  std::ostringstream text;
  text << wrapper;
  try {
    PotentialFile parsed = parse_potential_file(text.str(), r.file());
    potential.spec = std::move(parsed.potential);
    set_origins(potential.spec, "potential", r.locations());
  } catch (const StudyError& e) {
    for (Diagnostic d : e.diagnostics()) {
      const InputLocation at = r.locations().find(d.key_path);
      d.line = at.line;
      d.column = at.column;
      r.diagnostics().push_back(std::move(d));
    }
  }
}

void read_relax(Section& s, JobRelax& relax) {
  relax.method = s.choice("method", false, kOptimizers);
  relax.fmax_eV_A = s.real("fmax_eV_A", false, true);
  assign_as(relax.max_steps, s.integer("max_steps", false, 1));
  relax.max_step_A = s.real("max_step_A", false, true);
  const auto cell = s.choice("cell", false, kCellModes);
  assign(relax.cell, cell);
  relax.stress_tol_eV_A3 = s.real("stress_tol_eV_A3", false, true);
  if (s.has("stress_tol_eV_A3") && (!s.has("cell") || (cell && *cell == JobCellRelax::none)))
    s.error("stress_tol_eV_A3", "'stress_tol_eV_A3' applies only with a cell relaxation (cell = \"isotropic\" or \"orthorhombic\")");
}

void read_neb(Section& s, JobNeb& neb) {
  assign_as(neb.images, s.integer("images", false, 1));
  neb.springs = s.choice("springs", false, kSpringModes);
  neb.spring_eV_A2 = s.real("spring_eV_A2", false, true);
  neb.spring_min_eV_A2 = s.real("spring_min_eV_A2", false, true);
  if (s.has("spring_min_eV_A2") && neb.springs != JobSprings::energy_weighted)
    s.error("spring_min_eV_A2", "'spring_min_eV_A2' applies only with springs = \"energy_weighted\"");
  if (neb.spring_min_eV_A2 && neb.spring_eV_A2 && *neb.spring_min_eV_A2 > *neb.spring_eV_A2)
    s.error("spring_min_eV_A2", "must not exceed spring_eV_A2 (" + format_real(*neb.spring_eV_A2) + ")");
  neb.climb = s.boolean("climb");
  assign_as(neb.climb_after_iterations, s.integer("climb_after_iterations", false, 0));
  neb.method = s.choice("method", false, kOptimizers);
  neb.fmax_eV_A = s.real("fmax_eV_A", false, true);
  assign_as(neb.max_iterations, s.integer("max_iterations", false, 1));
  neb.max_step_A = s.real("max_step_A", false, true);
  neb.path = s.choice("path", false, kPaths);
  neb.end_state_fmax_eV_A = s.real("end_state_fmax_eV_A", false, true);
  neb.site_tolerance_A = s.real("site_tolerance_A", false, true);
}

void read_hop(Section& s, JobHop& hop) {
  const auto mechanism = s.choice("mechanism", true, kMechanisms);
  if (!mechanism) return;
  hop.mechanism = *mechanism;
  const std::string with = "does not apply to mechanism = \"" + choice_name(kMechanisms, *mechanism) + "\"";
  if (*mechanism != JobHopMechanism::vacancy) {
    s.forbid("moving_atom", with);
    s.forbid("vacancy_site", with);
  }
  if (*mechanism != JobHopMechanism::interstitial) {
    s.forbid("species", with);
    s.forbid("from_fractional", with);
    s.forbid("to_fractional", with);
  }
  if (*mechanism != JobHopMechanism::band) {
    s.forbid("initial", with);
    s.forbid("final", with);
  }
  switch (*mechanism) {
    case JobHopMechanism::vacancy: {
      const auto moving = s.integer("moving_atom", true, 0);
      const auto vacancy = s.integer("vacancy_site", true, 0);
      if (moving) hop.moving_atom = static_cast<std::size_t>(*moving);
      if (vacancy) hop.vacancy_site = static_cast<std::size_t>(*vacancy);
      if (moving && vacancy && *moving == *vacancy)
        s.error("vacancy_site", "must differ from moving_atom (" + std::to_string(*moving) + ")");
      break;
    }
    case JobHopMechanism::interstitial: {
      assign(hop.species, s.string("species", true));
      const auto from = s.triple<double>("from_fractional", true);
      const auto to = s.triple<double>("to_fractional", true);
      if (from) hop.from_fractional = *from;
      if (to) hop.to_fractional = *to;
      if (from && to && *from == *to) s.error("to_fractional", "must differ from from_fractional");
      break;
    }
    case JobHopMechanism::band: {
      if (auto f = s.string("initial", true)) hop.initial_file = s.reader().resolve(*f);
      if (auto f = s.string("final", true)) hop.final_file = s.reader().resolve(*f);
      break;
    }
  }
}

void read_document(JobReader& reader, const toml::table& root, AtomisticJob& job) {
  reader.record("", root);
  const std::vector<std::string_view> allowed = allowed_section_names(job.kind);
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string message = "unknown section '" + name + "'";
    if (job.kind == AtomisticJobKind::relax && (name == "neb" || name == "hop")) {
      message = "section [" + name + "] belongs to an NEB job file (run it with 'ionhop neb')";
    } else if (auto s = nearest_name(name, allowed)) {
      message += "; did you mean '" + *s + "'?";
    } else {
      message += "; known: " + quoted_list(allowed);
    }
    reader.error_at_key(key, node, name, std::move(message));
  }

  auto with = [&](std::string_view name, bool required, auto read) {
    const SectionSchema& schema = relax_neb_section(name);
    const toml::node* node = root.get(name);
    if (node == nullptr) {
      if (required && !reader.was_suggested(std::string(name)))
        reader.error(root, std::string(name), "missing required section " + schema.header());
      return;
    }
    const toml::table* table = node->as_table();
    if (table == nullptr) {
      reader.error(*node, std::string(name), "expected a table " + schema.header() + ", got " + describe_node(*node));
      return;
    }
    // [potential] keys are open-ended (each type has its own settings): checked by the reader
    // of the parameter-file schema and the potential registry, not against the key table.
    Section section(reader, *table, schema, name != "potential");
    read(section);
  };

  const bool is_neb = job.kind == AtomisticJobKind::neb;
  with("job", true, [&](Section& s) { read_job(s, job); });
  if (is_neb) with("hop", true, [&](Section& s) { read_hop(s, job.hop); });
  const bool band = is_neb && job.hop.mechanism == JobHopMechanism::band && root.contains("hop");
  if (band && root.contains("structure")) {
    reader.error(*root.get("structure"), "structure",
                 "[structure] does not apply to mechanism = \"band\": the end states come from hop.initial and hop.final");
  } else {
    with("structure", !band, [&](Section& s) {
      JobStructure structure;
      read_structure(s, structure);
      job.structure = structure;
    });
  }
  with("potential", true, [&](Section& s) { read_potential(s, job.potential); });
  with("relax", false, [&](Section& s) { read_relax(s, job.relax); });
  if (is_neb) with("neb", false, [&](Section& s) { read_neb(s, job.neb); });
  if (band && job.relax.cell != JobCellRelax::none) {
    const std::string p = "relax.cell";
    const InputLocation at = reader.locations().find(p);
    reader.diagnostics().push_back({reader.file(), at.line, at.column, p,
                                    "a cell relaxation needs a host structure; it does not apply to mechanism = \"band\""});
  }
}

}  // namespace

std::string to_string(JobOptimizer v) { return choice_name(kOptimizers, v); }
std::string to_string(JobCellRelax v) { return choice_name(kCellModes, v); }
std::string to_string(JobSprings v) { return choice_name(kSpringModes, v); }
std::string to_string(JobInitialPath v) { return choice_name(kPaths, v); }
std::string to_string(JobHopMechanism v) { return choice_name(kMechanisms, v); }

AtomisticJob read_atomistic_job_string(std::string_view text, std::string source_name, AtomisticJobKind kind,
                                       const std::filesystem::path& base_directory) {
  AtomisticJob job;
  job.kind = kind;
  job.source_path = source_name;
  job.source_text = std::string(text);
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    const auto at = e.source().begin;
    throw StudyError({Diagnostic{source_name, static_cast<int>(at.line), static_cast<int>(at.column), "",
                                 "TOML syntax: " + std::string(e.description())}});
  }
  JobReader reader(source_name, base_directory);
  read_document(reader, root, job);
  if (!reader.diagnostics().empty()) {
    std::vector<Diagnostic> diagnostics = std::move(reader.diagnostics());
    // Job-file problems in file order; problems inside a potential file after them.
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& a, const Diagnostic& b) {
      const bool a_here = a.file == source_name, b_here = b.file == source_name;
      if (a_here != b_here) return a_here;
      return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    throw StudyError(std::move(diagnostics));
  }
  job.locations = std::move(reader.locations());
  return job;
}

AtomisticJob read_atomistic_job_file(const std::filesystem::path& path, AtomisticJobKind kind) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StudyError({Diagnostic{path.string(), 0, 0, "", "cannot open the job file: " + std::string(std::strerror(errno))}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw StudyError({Diagnostic{path.string(), 0, 0, "", "cannot read the job file"}});
  return read_atomistic_job_string(text.str(), path.string(), kind, path.parent_path());
}

}  // namespace ionhop::inputs
