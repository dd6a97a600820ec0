#include "inputs/TomlReader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "inputs/NearestName.hpp"

namespace ionhop::inputs::toml_reading {

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

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string element_path(const std::string& array_path, std::size_t index) {
  return array_path + "[" + std::to_string(index) + "]";
}

bool RealRange::contains(double value) const {
  if (!std::isfinite(value)) return false;
  const bool above = min_inclusive ? value >= min : value > min;
  const bool below = max_inclusive ? value <= max : value < max;
  return above && below;
}

std::string RealRange::describe() const {
  if (max == kInfinity) {
    if (min == -kInfinity) return "a finite number";
    return std::string(min_inclusive ? ">= " : "> ") + format_real(min);
  }
  return std::string("in ") + (min_inclusive ? "[" : "(") + format_real(min) + ", " +
         format_real(max) + (max_inclusive ? "]" : ")");
}

std::string IntegerRange::describe() const {
  if (max == LLONG_MAX) return ">= " + std::to_string(min);
  return "in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
}

std::string ArraySize::describe() const {
  if (min == max) return "exactly " + std::to_string(min) + " elements";
  return "at least " + std::to_string(min) + " element" + (min == 1 ? "" : "s");
}

// ---- TomlReader ---------------------------------------------------------------------------------

void TomlReader::error(const toml::source_position& at, std::string key_path, std::string message) {
  diagnostics_.push_back({file_, static_cast<int>(at.line), static_cast<int>(at.column),
                          std::move(key_path), std::move(message)});
}

void TomlReader::error(const InputLocation& at, std::string key_path, std::string message) {
  diagnostics_.push_back({file_, at.line, at.column, std::move(key_path), std::move(message)});
}

void TomlReader::error(const toml::node& at, std::string key_path, std::string message) {
  error(at.source().begin, std::move(key_path), std::move(message));
}

void TomlReader::error_at_key(const toml::key& key, const toml::node& node, std::string key_path,
                              std::string message) {
  const toml::source_position at = key.source().begin.line > 0 ? key.source().begin
                                                                : node.source().begin;
  error(at, std::move(key_path), std::move(message));
}

void TomlReader::record(const std::string& key_path, const toml::node& node) {
  const toml::source_position begin = node.source().begin;
  locations_.add(key_path, {file_, static_cast<int>(begin.line), static_cast<int>(begin.column)});
  if (const toml::array* array = node.as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) record(element_path(key_path, i), (*array)[i]);
  }
}

void TomlReader::record_tree(const std::string& key_path, const toml::node& node) {
  const toml::source_position begin = node.source().begin;
  locations_.add(key_path, {file_, static_cast<int>(begin.line), static_cast<int>(begin.column)});
  if (const toml::array* array = node.as_array()) {
    for (std::size_t i = 0; i < array->size(); ++i) record_tree(element_path(key_path, i), (*array)[i]);
  } else if (const toml::table* table = node.as_table()) {
    for (auto&& [key, value] : *table) record_tree(child_path(key_path, key.str()), value);
  }
}

void TomlReader::unknown(const toml::key& key, const toml::node& node,
                         const std::string& parent_path, std::string_view what,
                         std::string_view where, std::span<const std::string_view> known) {
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
  error_at_key(key, node, child_path(parent_path, name), std::move(message));
}

std::string TomlReader::sections_with_key(const std::string& name) const {
  std::string sections;
  for (const SectionSchema& section : key_homes_) {
    if (section.find_key(name) != nullptr) {
      sections += (sections.empty() ? "" : ", ") + section.header();
    }
  }
  return sections;
}

// ---- single values ------------------------------------------------------------------------------

std::optional<std::string> read_string(TomlReader& reader, const toml::node& node,
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

std::optional<long long> read_integer(TomlReader& reader, const toml::node& node,
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

std::optional<double> read_real(TomlReader& reader, const toml::node& node,
                                const std::string& path, RealRange range) {
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

std::optional<bool> read_boolean(TomlReader& reader, const toml::node& node,
                                 const std::string& path) {
  const auto value = node.value_exact<bool>();
  if (!value) {
    reader.error(node, path, "expected a boolean (true or false), got " + describe_node(node));
    return std::nullopt;
  }
  return value;
}

const toml::array* read_array(TomlReader& reader, const toml::node& node, const std::string& path,
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

// ---- TableReader --------------------------------------------------------------------------------

TableReader::TableReader(TomlReader& reader, const toml::table& table, std::string path,
                         const SectionSchema& section, KeyCheck key_check)
    : reader_(reader), table_(table), path_(std::move(path)), section_(section) {
  reader_.record(path_, table_);
  const std::vector<std::string_view> known = section_.key_names();
  for (auto&& [key, node] : table_) {
    reader_.record(child_path(path_, key.str()), node);
    if (key_check == KeyCheck::schema && section_.find_key(key.str()) == nullptr) {
      reader_.unknown(key, node, path_, "key", "in " + section_.header(), known);
    }
  }
}

void TableReader::error(std::string_view key, std::string message) {
  reader_.error(*node(key), key_path(key), std::move(message));
}

void TableReader::error_here(std::string key_path, std::string message) {
  reader_.error(table_, std::move(key_path), std::move(message));
}

void TableReader::missing(std::string_view key) {
  if (reader_.was_suggested(key_path(key))) return;
  error_here(key_path(key), "missing required key '" + std::string(key) + "'");
}

void TableReader::forbid(std::string_view key, const std::string& why) {
  if (has(key)) error(key, "'" + std::string(key) + "' " + why);
}

std::optional<std::string> TableReader::string(std::string_view key, Need need,
                                               Emptiness emptiness) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_string(reader_, n, p, emptiness);
  });
}

std::optional<long long> TableReader::integer(std::string_view key, Need need, IntegerRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_integer(reader_, n, p, range);
  });
}

std::optional<double> TableReader::real(std::string_view key, Need need, RealRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_real(reader_, n, p, range);
  });
}

std::optional<bool> TableReader::boolean(std::string_view key, Need need) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_boolean(reader_, n, p);
  });
}

std::optional<std::vector<double>> TableReader::reals(std::string_view key, Need need,
                                                      ArraySize size, RealRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_elements<double>(reader_, n, p, "an array of floats", size,
                                 [&](const toml::node& e, const std::string& ep) {
                                   return read_real(reader_, e, ep, range);
                                 });
  });
}

std::optional<std::vector<long long>> TableReader::integers(std::string_view key, Need need,
                                                            ArraySize size, IntegerRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p) {
    return read_elements<long long>(reader_, n, p, "an array of integers", size,
                                    [&](const toml::node& e, const std::string& ep) {
                                      return read_integer(reader_, e, ep, range);
                                    });
  });
}

std::optional<std::vector<std::string>> TableReader::strings(std::string_view key, Need need,
                                                             ArraySize size, Repeats repeats) {
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
      reader_.error((*node(key)->as_array())[i], element_path(key_path(key), i),
                    "'" + (*values)[i] + "' is listed twice");
      return std::nullopt;
    }
  }
  return values;
}

std::optional<std::array<long long, 3>> TableReader::integer_triple(std::string_view key, Need need,
                                                                    IntegerRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p)
                            -> std::optional<std::array<long long, 3>> {
    const auto values = read_elements<long long>(reader_, n, p, "an array of 3 integers", kThree,
                                                 [&](const toml::node& e, const std::string& ep) {
                                                   return read_integer(reader_, e, ep, range);
                                                 });
    if (!values) return std::nullopt;
    return std::array<long long, 3>{(*values)[0], (*values)[1], (*values)[2]};
  });
}

std::optional<std::array<double, 3>> TableReader::real_triple(std::string_view key, Need need,
                                                              RealRange range) {
  return get(key, need, [&](const toml::node& n, const std::string& p)
                            -> std::optional<std::array<double, 3>> {
    const auto values = read_elements<double>(reader_, n, p, "an array of 3 floats", kThree,
                                              [&](const toml::node& e, const std::string& ep) {
                                                return read_real(reader_, e, ep, range);
                                              });
    if (!values) return std::nullopt;
    return std::array<double, 3>{(*values)[0], (*values)[1], (*values)[2]};
  });
}

void TableReader::exactly_one_of(std::string_view a, std::string_view b) {
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

std::string TableReader::unknown_choice_message(const std::string& name,
                                                std::span<const std::string_view> names) {
  std::string message = "unknown value \"" + name + "\"";
  if (auto suggestion = nearest_name(name, names)) message += "; did you mean \"" + *suggestion + "\"?";
  std::string list;
  for (std::string_view n : names) list += (list.empty() ? "\"" : ", \"") + std::string(n) + "\"";
  return message + " (expected one of " + list + ")";
}

// ---- sections -----------------------------------------------------------------------------------

const toml::table* section_table(TomlReader& reader, const toml::table& parent,
                                 const std::string& parent_path, const SectionSchema& section,
                                 std::string_view key, Need need) {
  const std::string path = child_path(parent_path, key);
  const toml::node* node = parent.get(key);
  if (node == nullptr) {
    if (need == Need::required && !reader.was_suggested(path)) {
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

// ---- documents ----------------------------------------------------------------------------------

bool is_file_name_safe(const std::string& name) {
  return name != "." && name != ".." && std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || std::strchr("_-.+", c) != nullptr;
         });
}

std::string read_text_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StudyError({Diagnostic{path.string(), 0, 0, "",
                                 "cannot open the " + std::string(what) + ": " +
                                     std::string(std::strerror(errno))}});
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw StudyError({Diagnostic{path.string(), 0, 0, "", "cannot read the " + std::string(what)}});
  }
  return text.str();
}

toml::table parse_document(std::string_view text, const std::string& source_name) {
  try {
    return toml::parse(text, std::string_view(source_name));
  } catch (const toml::parse_error& error) {
    const toml::source_position at = error.source().begin;
    throw StudyError({Diagnostic{source_name, static_cast<int>(at.line),
                                 static_cast<int>(at.column), "",
                                 "TOML syntax: " + std::string(error.description())}});
  }
}

void throw_if_any(std::vector<Diagnostic> diagnostics, const std::string& source_name) {
  if (diagnostics.empty()) return;
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     const bool a_here = a.file == source_name;
                     const bool b_here = b.file == source_name;
                     if (a_here != b_here) return a_here;
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
  throw StudyError(std::move(diagnostics));
}

}  // namespace ionhop::inputs::toml_reading
