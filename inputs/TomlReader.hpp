#pragma once
/// Strict, typed reading of one TOML document with file:line:column diagnostics, shared by the
/// study-file reader and the relax/NEB job-file reader. Private to inputs/*.cpp: it includes
/// TOML++, which no public header and no code outside inputs/ may see.
///
/// The reader collects every problem (it does not stop at the first) as a Diagnostic with the
/// key path ("run.temperatures_K[2]") and the position where the value, or for a missing key
/// the enclosing table, was written.
#include <toml++/toml.h>

#include <array>
#include <climits>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inputs/SourceLocations.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudySchema.hpp"

namespace ionhop::inputs::toml_reading {

/// Shortest round-trip decimal form of `value` ("0.5", "300", "1e-09").
std::string format_real(double value);

/// "'a', 'b', 'c'".
std::string quoted_list(std::span<const std::string_view> names);

/// "a string (\"300\")", "a float (2.5)": what the file has, for type-mismatch messages.
std::string describe_node(const toml::node& node);

/// "parent.key", or "key" at the top level (empty parent).
std::string child_path(const std::string& parent, std::string_view key);

/// "array[index]".
std::string element_path(const std::string& array_path, std::size_t index);

constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// Closed or open interval of allowed real values (always finite).
struct RealRange {
  double min = -kInfinity;
  bool min_inclusive = true;
  double max = kInfinity;
  bool max_inclusive = true;

  bool contains(double value) const;
  /// "a finite number", "> 0", "in [0, 1)".
  std::string describe() const;
};

constexpr RealRange kAnyReal{};
constexpr RealRange kPositive{0.0, false, kInfinity, true};
constexpr RealRange kNonNegative{0.0, true, kInfinity, true};
constexpr RealRange kOpenUnit{0.0, false, 1.0, false};
constexpr RealRange kUnitFrom{0.0, true, 1.0, false};  // [0, 1)
constexpr RealRange kUnitTo{0.0, false, 1.0, true};    // (0, 1]

/// Closed interval of allowed integer values.
struct IntegerRange {
  long long min = LLONG_MIN;
  long long max = LLONG_MAX;

  bool contains(long long value) const { return value >= min && value <= max; }
  /// ">= 1", "in [1, 1000]".
  std::string describe() const;
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
  /// "exactly 3 elements", "at least 1 element".
  std::string describe() const;
};

constexpr ArraySize kNonEmpty{1};
constexpr ArraySize kThree{3, 3};

enum class Need { required, optional };
enum class Emptiness { forbidden, allowed };
enum class Repeats { forbidden, allowed };
/// Whether a table's keys are checked against its section schema (unknown keys reported).
enum class KeyCheck { schema, none };

/// A choice among named values, e.g. method = "lbfgs" | "fire".
template <typename Enum>
struct Choice {
  std::string_view name;
  Enum value;
};

/// The name of `value` among `choices` ("?" if absent).
template <typename Enum, std::size_t N>
std::string choice_name(const std::array<Choice<Enum>, N>& choices, Enum value) {
  for (const auto& choice : choices) {
    if (choice.value == value) return std::string(choice.name);
  }
  return "?";
}

/// Collects the diagnostics and source positions of one document while it is read.
class TomlReader {
 public:
  /// `file` names the document in diagnostics. `key_homes` are the sections searched when an
  /// unknown key has no near name ("'x' is a key of [run]"); empty to list the known keys only.
  explicit TomlReader(std::string file, std::span<const SectionSchema> key_homes = {})
      : file_(std::move(file)), key_homes_(key_homes) {}

  void error(const toml::source_position& at, std::string key_path, std::string message);
  void error(const InputLocation& at, std::string key_path, std::string message);
  void error(const toml::node& at, std::string key_path, std::string message);
  /// Error at `key` as written (at `node` when TOML++ has no position for the key).
  void error_at_key(const toml::key& key, const toml::node& node, std::string key_path,
                    std::string message);

  /// Remembers where `node` (and, for arrays, each element, recursively) was written.
  void record(const std::string& key_path, const toml::node& node);
  /// Like record, and also descends into tables: every key below `node` gets its position.
  void record_tree(const std::string& key_path, const toml::node& node);

  /// Reports an unknown key (or section); `known` are the names allowed where it was written,
  /// `where` says where that is ("in [run]").
  /// When a near name is suggested, its later "missing required key" is not reported too:
  /// the one typo gets one diagnostic.
  void unknown(const toml::key& key, const toml::node& node, const std::string& parent_path,
               std::string_view what, std::string_view where,
               std::span<const std::string_view> known);

  /// Whether an unknown-key diagnostic already suggested `key_path`.
  bool was_suggested(const std::string& key_path) const { return suggested_.contains(key_path); }

  const std::string& file() const { return file_; }
  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }
  SourceLocations& locations() { return locations_; }
  const SourceLocations& locations() const { return locations_; }

 private:
  /// "[run]" or "[study], [[species]]": the sections of `key_homes_` that have a key `name`.
  std::string sections_with_key(const std::string& name) const;

  std::string file_;
  std::span<const SectionSchema> key_homes_;
  std::vector<Diagnostic> diagnostics_;
  SourceLocations locations_;
  std::set<std::string> suggested_;
};

// ---- single values (each reports its own problem and returns nullopt) -----------------------

std::optional<std::string> read_string(TomlReader& reader, const toml::node& node,
                                       const std::string& path, Emptiness emptiness);
std::optional<long long> read_integer(TomlReader& reader, const toml::node& node,
                                      const std::string& path, IntegerRange range);
std::optional<double> read_real(TomlReader& reader, const toml::node& node,
                                const std::string& path, RealRange range);
std::optional<bool> read_boolean(TomlReader& reader, const toml::node& node,
                                 const std::string& path);
/// The array at `node` if it is one of an allowed size; `what` names it ("an array of floats").
const toml::array* read_array(TomlReader& reader, const toml::node& node, const std::string& path,
                              std::string_view what, ArraySize size);

/// Reads every element with `read_element(node, path)`; nullopt if the array or any element is
/// bad (each bad element gets its own diagnostic).
template <typename T, typename ReadElement>
std::optional<std::vector<T>> read_elements(TomlReader& reader, const toml::node& node,
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

// ---- one table of a known section --------------------------------------------------------------

/// Reads the keys of one table of `section`: typed, range-checked getters; unknown keys are
/// reported (and every key's position recorded) on construction.
class TableReader {
 public:
  TableReader(TomlReader& reader, const toml::table& table, std::string path,
              const SectionSchema& section, KeyCheck key_check = KeyCheck::schema);

  TomlReader& reader() { return reader_; }
  const toml::table& table() const { return table_; }
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const { return child_path(path_, key); }
  bool has(std::string_view key) const { return table_.contains(key); }
  const toml::node* node(std::string_view key) const { return table_.get(key); }

  /// Error at the value of `key` (which must be present).
  void error(std::string_view key, std::string message);
  /// Error at this table's header (for keys that are missing or conflict).
  void error_here(std::string key_path, std::string message);
  /// "missing required key 'key'", unless an unknown key was already suggested as `key`.
  void missing(std::string_view key);
  /// Reports `key`, if present, as not allowed here: "'key' <why>".
  void forbid(std::string_view key, const std::string& why);

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
                                    Emptiness emptiness = Emptiness::forbidden);
  std::optional<long long> integer(std::string_view key, Need need, IntegerRange range);
  std::optional<double> real(std::string_view key, Need need, RealRange range);
  std::optional<bool> boolean(std::string_view key, Need need);
  std::optional<std::vector<double>> reals(std::string_view key, Need need, ArraySize size,
                                           RealRange range);
  std::optional<std::vector<long long>> integers(std::string_view key, Need need, ArraySize size,
                                                 IntegerRange range);
  /// Array of non-empty strings, by default all different.
  std::optional<std::vector<std::string>> strings(std::string_view key, Need need, ArraySize size,
                                                  Repeats repeats = Repeats::forbidden);
  /// "an array of 3 integers" in `range`.
  std::optional<std::array<long long, 3>> integer_triple(std::string_view key, Need need,
                                                         IntegerRange range);
  /// "an array of 3 floats" in `range`.
  std::optional<std::array<double, 3>> real_triple(std::string_view key, Need need,
                                                   RealRange range);

  /// One of `choices` by name; an unknown name gets the nearest one suggested.
  template <typename Enum, std::size_t N>
  std::optional<Enum> choice(std::string_view key, Need need,
                             const std::array<Choice<Enum>, N>& choices) {
    const std::optional<std::string> name = string(key, need);
    if (!name) return std::nullopt;
    std::vector<std::string_view> names;
    for (const auto& choice : choices) {
      if (choice.name == *name) return choice.value;
      names.push_back(choice.name);
    }
    error(key, unknown_choice_message(*name, names));
    return std::nullopt;
  }

  /// Exactly one of `a`, `b` must be present; reports both-present at the later key.
  void exactly_one_of(std::string_view a, std::string_view b);

 private:
  static std::string unknown_choice_message(const std::string& name,
                                            std::span<const std::string_view> names);

  TomlReader& reader_;
  const toml::table& table_;
  std::string path_;
  const SectionSchema& section_;
};

// ---- sections ------------------------------------------------------------------------------------

/// The `[key]` table of `parent`, reporting a wrong type or, when `need` is required, a
/// missing section.
const toml::table* section_table(TomlReader& reader, const toml::table& parent,
                                 const std::string& parent_path, const SectionSchema& section,
                                 std::string_view key, Need need);

/// Appends `read_one(TableReader&)` to `out` for each table of the `[[key]]` array of
/// `parent`. An element that is not a table is reported and appended default-constructed, so
/// indices stay aligned with the key paths that later checks use.
template <typename Spec, typename ReadOne>
void read_tables(TomlReader& reader, const toml::table& parent, const std::string& parent_path,
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

/// Sets `target` to `value` when there is one.
template <typename T>
void assign(T& target, std::optional<T> value) {
  if (value) target = std::move(*value);
}

/// Sets `target` to `value` converted to T when there is one (e.g. an integer key into a size).
template <typename T, typename U>
void assign_as(T& target, std::optional<U> value) {
  if (value) target = static_cast<T>(*value);
}
template <typename T, typename U>
void assign_as(std::optional<T>& target, std::optional<U> value) {
  if (value) target = static_cast<T>(*value);
}

/// `relative` against `base` (paths in a job file are relative to the job file's folder).
inline std::filesystem::path resolve(const std::filesystem::path& base, const std::string& relative) {
  const std::filesystem::path path(relative);
  return path.is_absolute() ? path : base / path;
}

// ---- documents -----------------------------------------------------------------------------------

/// Whether `name` is usable as a file-name stem: letters, digits and _ - . + only, not "." or "..".
bool is_file_name_safe(const std::string& name);

/// The whole text of the file at `path`; throws StudyError "cannot open the <what>: <reason>"
/// (or "cannot read the <what>") without a position.
std::string read_text_file(const std::filesystem::path& path, std::string_view what);

/// Parses `text`; a syntax error is thrown as a StudyError "TOML syntax: ..." at its position.
toml::table parse_document(std::string_view text, const std::string& source_name);

/// Throws StudyError with `diagnostics`, if any: those in `source_name` first, then those in
/// other files (e.g. a referenced potential file); each group by line and column, ties in the
/// order found.
void throw_if_any(std::vector<Diagnostic> diagnostics, const std::string& source_name);

}  // namespace ionhop::inputs::toml_reading
