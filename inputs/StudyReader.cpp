#include "inputs/StudyReader.hpp"

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
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <type_traits>
#include <vector>

#include "inputs/LatticePrototypes.hpp"
#include "inputs/NearestName.hpp"
#include "inputs/SourceLocations.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudyResolution.hpp"
#include "inputs/StudySchema.hpp"

namespace ionhop::inputs {

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

std::string format_real(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

std::string quoted_list(std::span<const std::string_view> names) {
  std::string text;
  for (std::string_view name : names) {
    text += (text.empty() ? "'" : ", '") + std::string(name) + "'";
  }
  return text;
}

/// "a string (\"300\")", "a float (2.5)": what the file has, for type-mismatch messages.
std::string describe_node(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: {
      std::string text = *node.value<std::string>();
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      return "a string (\"" + text + "\")";
    }
    case toml::node_type::integer:
      return "an integer (" + std::to_string(*node.value<std::int64_t>()) + ")";
    case toml::node_type::floating_point: {
      std::string number = format_real(*node.value<double>());
      if (number.find_first_of(".en") == std::string::npos) number += ".0";  // as TOML writes it
      return "a float (" + number + ")";
    }
    case toml::node_type::boolean: return *node.value<bool>() ? "a boolean (true)" : "a boolean (false)";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

/// Closed or open interval of allowed real values (always finite).
struct RealRange {
  double min = -kInfinity;
  bool min_inclusive = true;
  double max = kInfinity;
  bool max_inclusive = true;

  bool contains(double value) const {
    if (!std::isfinite(value)) return false;
    const bool above = min_inclusive ? value >= min : value > min;
    const bool below = max_inclusive ? value <= max : value < max;
    return above && below;
  }

  std::string describe() const {
    if (max == kInfinity) {
      if (min == -kInfinity) return "a finite number";
      return std::string(min_inclusive ? ">= " : "> ") + format_real(min);
    }
    return std::string("in ") + (min_inclusive ? "[" : "(") + format_real(min) + ", " +
           format_real(max) + (max_inclusive ? "]" : ")");
  }
};

constexpr RealRange kAnyReal{};
constexpr RealRange kPositive{0.0, false, kInfinity, true};
constexpr RealRange kNonNegative{0.0, true, kInfinity, true};
constexpr RealRange kOpenUnit{0.0, false, 1.0, false};
constexpr RealRange kUnitFrom{0.0, true, 1.0, false};  // [0, 1)
constexpr RealRange kUnitTo{0.0, false, 1.0, true};    // (0, 1]

struct IntegerRange {
  long long min = LLONG_MIN;
  long long max = LLONG_MAX;

  bool contains(long long value) const { return value >= min && value <= max; }

  std::string describe() const {
    if (max == LLONG_MAX) return ">= " + std::to_string(min);
    return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  }
};

constexpr IntegerRange kAnyInt{INT_MIN, INT_MAX};
constexpr IntegerRange kPositiveInt{1, INT_MAX};
constexpr IntegerRange kPositiveLong{1, LLONG_MAX};
constexpr IntegerRange kNonNegativeLong{0, LLONG_MAX};

/// How many elements an array must have.
struct ArraySize {
  std::size_t min = 0;
  std::size_t max = std::numeric_limits<std::size_t>::max();

  bool contains(std::size_t size) const { return size >= min && size <= max; }
  std::string describe() const {
    if (min == max) return "exactly " + std::to_string(min) + " elements";
    return "at least " + std::to_string(min) + " element" + (min == 1 ? "" : "s");
  }
};

constexpr ArraySize kNonEmpty{1};
constexpr ArraySize kThree{3, 3};

enum class Need { required, optional };
enum class Emptiness { forbidden, allowed };
enum class Repeats { forbidden, allowed };

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string element_path(const std::string& array_path, std::size_t index) {
  return array_path + "[" + std::to_string(index) + "]";
}

/// Collects diagnostics and source positions while the document is read.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void error(const toml::source_position& at, std::string key_path, std::string message) {
    diagnostics_.push_back({file_, static_cast<int>(at.line), static_cast<int>(at.column),
                            std::move(key_path), std::move(message)});
  }
  void error(const InputLocation& at, std::string key_path, std::string message) {
    diagnostics_.push_back({file_, at.line, at.column, std::move(key_path), std::move(message)});
  }
  void error(const toml::node& at, std::string key_path, std::string message) {
    error(at.source().begin, std::move(key_path), std::move(message));
  }

  /// Remembers where `node` (and, for arrays, each element) was written.
  void record(const std::string& key_path, const toml::node& node) {
    const toml::source_position begin = node.source().begin;
    locations_.add(key_path, {file_, static_cast<int>(begin.line), static_cast<int>(begin.column)});
    if (const toml::array* array = node.as_array()) {
      for (std::size_t i = 0; i < array->size(); ++i) record(element_path(key_path, i), (*array)[i]);
    }
  }

  /// Reports an unknown key (or section); `known` are the names allowed where it was written,
  /// `where` says where that is ("in [run]").
  /// When a near name is suggested, its later "missing required key" is not reported too:
  /// the one typo gets one diagnostic.
  void unknown(const toml::key& key, const toml::node& node, const std::string& parent_path,
               std::string_view what, std::string_view where,
               std::span<const std::string_view> known) {
    const std::string name(key.str());
    std::string message = "unknown " + std::string(what) + " '" + name + "'";
    if (auto suggestion = nearest_name(name, known)) {
      message += "; did you mean '" + *suggestion + "'?";
      suggested_.insert(child_path(parent_path, *suggestion));
    } else if (const std::string home = sections_with_key(name); !home.empty()) {
      message += " " + std::string(where) + "; '" + name + "' is a key of " + home;
    } else {
      message += " " + std::string(where) + "; known: " + quoted_list(known);
    }
    const toml::source_position at = key.source().begin.line > 0 ? key.source().begin
                                                                  : node.source().begin;
    error(at, child_path(parent_path, name), std::move(message));
  }

  /// Whether an unknown-key diagnostic already suggested `key_path`.
  bool was_suggested(const std::string& key_path) const { return suggested_.contains(key_path); }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  const SourceLocations& locations() const { return locations_; }

 private:
  /// "[run]" or "[study], [[species]]": the sections that do have a key called `name`.
  static std::string sections_with_key(const std::string& name) {
    std::string sections;
    for (const SectionSchema& section : study_schema()) {
      if (section.find_key(name) != nullptr) {
        sections += (sections.empty() ? "" : ", ") + section.header();
      }
    }
    return sections;
  }

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
  SourceLocations locations_;
  std::set<std::string> suggested_;
};

// ---- single values -------------------------------------------------------------------------

std::optional<std::string> read_string(Reader& reader, const toml::node& node,
                                       const std::string& path, Emptiness emptiness) {
  const auto value = node.value_exact<std::string>();
  if (!value) {
    reader.error(node, path, "expected a string, got " + describe_node(node));
    return std::nullopt;
  }
  if (value->empty() && emptiness == Emptiness::forbidden) {
    reader.error(node, path, "must not be empty");
    return std::nullopt;
  }
  return value;
}

std::optional<long long> read_integer(Reader& reader, const toml::node& node,
                                      const std::string& path, IntegerRange range) {
  const auto value = node.value_exact<std::int64_t>();
  if (!value) {
    std::string message = "expected an integer, got " + describe_node(node);
    // 1e5 or 4.0 are floats in TOML; say how to write the integer that was probably meant.
    if (const auto real = node.value_exact<double>();
        real && std::isfinite(*real) && std::trunc(*real) == *real && std::abs(*real) < 1e15) {
      message += "; write it as " + std::to_string(static_cast<long long>(*real));
    }
    reader.error(node, path, std::move(message));
    return std::nullopt;
  }
  if (!range.contains(*value)) {
    reader.error(node, path, "must be " + range.describe() + ", got " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<long long>(*value);
}

std::optional<double> read_real(Reader& reader, const toml::node& node, const std::string& path,
                                RealRange range) {
  std::optional<double> value;
  if (node.is_floating_point()) value = *node.value_exact<double>();
  if (node.is_integer()) value = static_cast<double>(*node.value_exact<std::int64_t>());
  if (!value) {
    reader.error(node, path, "expected a float, got " + describe_node(node));
    return std::nullopt;
  }
  if (!std::isfinite(*value)) {
    reader.error(node, path, "must be a finite number, got " + format_real(*value));
    return std::nullopt;
  }
  if (!range.contains(*value)) {
    reader.error(node, path, "must be " + range.describe() + ", got " + format_real(*value));
    return std::nullopt;
  }
  return value;
}

const toml::array* read_array(Reader& reader, const toml::node& node, const std::string& path,
                              std::string_view what, ArraySize size) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    reader.error(node, path, "expected " + std::string(what) + ", got " + describe_node(node));
    return nullptr;
  }
  if (!size.contains(array->size())) {
    reader.error(node, path, "expected " + std::string(what) + " with " + size.describe() +
                                 ", got " + std::to_string(array->size()));
    return nullptr;
  }
  return array;
}

/// Reads every element with `read_element`; nullopt if the array or any element is bad (each
/// bad element gets its own diagnostic).
template <typename T, typename ReadElement>
std::optional<std::vector<T>> read_elements(Reader& reader, const toml::node& node,
                                            const std::string& path, std::string_view what,
                                            ArraySize size, ReadElement read_element) {
  const toml::array* array = read_array(reader, node, path, what, size);
  if (array == nullptr) return std::nullopt;
  std::vector<T> values;
  bool all_good = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::optional<T> value = read_element((*array)[i], element_path(path, i));
    if (value) {
      values.push_back(std::move(*value));
    } else {
      all_good = false;
    }
  }
  if (!all_good) return std::nullopt;
  return values;
}

// ---- one table of a known section ----------------------------------------------------------

/// Reads the keys of one table and reports its unknown keys against the schema.
class TableReader {
 public:
  TableReader(Reader& reader, const toml::table& table, std::string path,
              const SectionSchema& section)
      : reader_(reader), table_(table), path_(std::move(path)), section_(section) {
    reader_.record(path_, table_);
    const std::vector<std::string_view> known = section_.key_names();
    for (auto&& [key, node] : table_) {
      const std::string key_path = child_path(path_, key.str());
      reader_.record(key_path, node);
      if (section_.find_key(key.str()) == nullptr) {
        reader_.unknown(key, node, path_, "key", "in " + section_.header(), known);
      }
    }
  }

  Reader& reader() { return reader_; }
  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const { return child_path(path_, key); }
  bool has(std::string_view key) const { return table_.contains(key); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }

  /// Error at the value of `key` (which must be present).
  void error(std::string_view key, std::string message) {
    reader_.error(*node(key), key_path(key), std::move(message));
  }
  /// Error at this table's header (for keys that are missing or conflict).
  void error_here(std::string key_path, std::string message) {
    reader_.error(table_, std::move(key_path), std::move(message));
  }
  void missing(std::string_view key) {
    if (reader_.was_suggested(key_path(key))) return;
    error_here(key_path(key), "missing required key '" + std::string(key) + "'");
  }

  /// Present-and-needed dispatch shared by the typed getters below.
  template <typename ReadValue>
  auto get(std::string_view key, Need need, ReadValue read_value)
      -> decltype(read_value(std::declval<const toml::node&>(), std::string{})) {
    const toml::node* value = node(key);
    if (value == nullptr) {
      if (need == Need::required) missing(key);
      return std::nullopt;
    }
    return read_value(*value, key_path(key));
  }

  std::optional<std::string> string(std::string_view key, Need need,
                                    Emptiness emptiness = Emptiness::forbidden) {
    return get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_string(reader_, n, p, emptiness);
    });
  }
  std::optional<long long> integer(std::string_view key, Need need, IntegerRange range) {
    return get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_integer(reader_, n, p, range);
    });
  }
  std::optional<double> real(std::string_view key, Need need, RealRange range) {
    return get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_real(reader_, n, p, range);
    });
  }
  std::optional<std::vector<double>> reals(std::string_view key, Need need, ArraySize size,
                                           RealRange range) {
    return get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_elements<double>(reader_, n, p, "an array of floats", size,
                                   [&](const toml::node& e, const std::string& ep) {
                                     return read_real(reader_, e, ep, range);
                                   });
    });
  }
  std::optional<std::vector<long long>> integers(std::string_view key, Need need, ArraySize size,
                                                 IntegerRange range) {
    return get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_elements<long long>(reader_, n, p, "an array of integers", size,
                                      [&](const toml::node& e, const std::string& ep) {
                                        return read_integer(reader_, e, ep, range);
                                      });
    });
  }
  /// Array of non-empty strings, by default all different.
  std::optional<std::vector<std::string>> strings(std::string_view key, Need need, ArraySize size,
                                                  Repeats repeats = Repeats::forbidden) {
    auto values = get(key, need, [&](const toml::node& n, const std::string& p) {
      return read_elements<std::string>(reader_, n, p, "an array of strings", size,
                                        [&](const toml::node& e, const std::string& ep) {
                                          return read_string(reader_, e, ep, Emptiness::forbidden);
                                        });
    });
    if (!values || repeats == Repeats::allowed) return values;
    for (std::size_t i = 1; i < values->size(); ++i) {
      const auto first = std::find(values->begin(), values->begin() + static_cast<long>(i), (*values)[i]);
      if (first != values->begin() + static_cast<long>(i)) {
        const std::string element = element_path(key_path(key), i);
        reader_.error((*node(key)->as_array())[i], element,
                      "'" + (*values)[i] + "' is listed twice");
        return std::nullopt;
      }
    }
    return values;
  }

  /// Exactly one of `a`, `b` must be present; reports both-present at the later key.
  void exactly_one_of(std::string_view a, std::string_view b) {
    const bool has_a = has(a);
    const bool has_b = has(b);
    if (has_a && has_b) {
      const auto pa = node(a)->source().begin;
      const auto pb = node(b)->source().begin;
      const bool b_later = std::pair(pb.line, pb.column) > std::pair(pa.line, pa.column);
      error(b_later ? b : a, "give either '" + std::string(a) + "' or '" + std::string(b) +
                                 "', not both");
    } else if (!has_a && !has_b && !reader_.was_suggested(key_path(a)) &&
               !reader_.was_suggested(key_path(b))) {
      error_here(path_, "missing required key: give one of '" + std::string(a) + "' or '" +
                            std::string(b) + "'");
    }
  }

 private:
  Reader& reader_;
  const toml::table& table_;
  std::string path_;
  const SectionSchema& section_;
};

template <typename T>
void assign(T& target, std::optional<T> value) {
  if (value) target = std::move(*value);
}

// ---- section lookup --------------------------------------------------------------------------

/// The `[key]` table of `parent`, reporting a wrong type or a missing required section.
const toml::table* section_table(Reader& reader, const toml::table& parent,
                                 const std::string& parent_path, const SectionSchema& section,
                                 std::string_view key) {
  const std::string path = child_path(parent_path, key);
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (section.required && !reader.was_suggested(path)) {
      reader.error(parent, path, "missing required section " + section.header());
    }
    return nullptr;
  }
  if (!node->is_table()) {
    reader.error(*node, path, "expected a table " + section.header() + ", got " + describe_node(*node));
    return nullptr;
  }
  return node->as_table();
}

/// Appends `read_one(TableReader&)` to `out` for each table of the `[[key]]` array of
/// `parent`. An element that is not a table is reported and appended default-constructed, so
/// indices stay aligned with the key paths that later checks use.
template <typename Spec, typename ReadOne>
void read_tables(Reader& reader, const toml::table& parent, const std::string& parent_path,
                 const SectionSchema& section, std::string_view key, std::vector<Spec>& out,
                 ReadOne read_one) {
  const std::string path = child_path(parent_path, key);
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (section.required && !reader.was_suggested(path)) {
      reader.error(parent, path, "missing required section " + section.header() +
                                     " (give at least one)");
    }
    return;
  }
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    reader.error(*node, path, "expected an array of tables " + section.header() + ", got " +
                                  describe_node(*node));
    return;
  }
  if (array->empty() && section.required) {
    reader.error(*node, path, "needs at least one table " + section.header());
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    if (const toml::table* table = element.as_table()) {
      TableReader table_reader(reader, *table, element_path(path, i), section);
      out.push_back(read_one(table_reader));
    } else {
      reader.error(element, element_path(path, i),
                   "expected a table " + section.header() + ", got " + describe_node(element));
      out.emplace_back();
    }
  }
}

// ---- sections --------------------------------------------------------------------------------

bool is_file_name_safe(const std::string& name) {
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("_-.+", c) != nullptr;
  });
}

void read_study_section(TableReader& t, Study& study) {
  if (auto name = t.string("name", Need::required)) {
    if (is_file_name_safe(*name) && *name != "." && *name != "..") {
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
  Reader& reader = t.reader();
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

void read_output(TableReader& t, OutputSpec& output) {
  assign(output.path, t.string("path", Need::optional));
}

/// Reads every section of the document into `study`, then runs the cross-section checks.
void read_document(Reader& reader, const toml::table& root, Study& study) {
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
    if (const toml::table* table = section_table(reader, root, "", section, name)) {
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
  with_table("output", [&](TableReader& t) { read_output(t, study.output); });

  resolve_study_references(study, reader.locations(), lattice_is_valid, reader.diagnostics());
}

}  // namespace

Study read_study_string(std::string_view text, std::string source_name) {
  Study study;
  study.source_path = source_name;
  study.source_text = std::string(text);

  toml::table root;
  try {
    root = toml::parse(text, std::string_view(source_name));
  } catch (const toml::parse_error& error) {
    const toml::source_position at = error.source().begin;
    throw StudyError({Diagnostic{source_name, static_cast<int>(at.line),
                                 static_cast<int>(at.column), "",
                                 "TOML syntax: " + std::string(error.description())}});
  }

  Reader reader(source_name);
  read_document(reader, root, study);
  if (!reader.diagnostics().empty()) {
    std::vector<Diagnostic> diagnostics = std::move(reader.diagnostics());
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                     });
    throw StudyError(std::move(diagnostics));
  }
  return study;
}

Study read_study_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StudyError({Diagnostic{path.string(), 0, 0, "",
                                 "cannot open the study file: " + std::string(std::strerror(errno))}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw StudyError({Diagnostic{path.string(), 0, 0, "", "cannot read the study file"}});
  }
  return read_study_string(text.str(), path.string());
}

}  // namespace ionhop::inputs
