#pragma once
/// The study-file schema in one table: every section, every key, its type, unit, default and
/// meaning. The reader checks unknown keys and suggests the nearest known one from this table,
/// and the key reference in docs/study-format.md is generated from it (a test keeps them equal).
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ionhop::inputs {

/// One key of a section.
struct KeySchema {
  std::string_view name;           ///< key as written in TOML
  std::string_view type;           ///< TOML type expected, in words ("float", "array of 3 integers")
  std::string_view unit;           ///< physical unit; empty when dimensionless
  std::string_view default_value;  ///< "required", "—" (optional, no default), a condition, or the default
  std::string_view meaning;        ///< what it does, with its allowed range
};

/// One section: a table (`[run]`), an array of tables (`[[species]]`), or a nested array of
/// tables (`[[lattice.basis]]`, name "lattice.basis").
struct SectionSchema {
  std::string_view name;           ///< dotted name: "study", "lattice.basis", ...
  bool array_of_tables;            ///< written `[[name]]`, may repeat
  bool required;                   ///< must appear in every study
  std::string_view meaning;
  std::span<const KeySchema> keys;

  /// The key names, in schema order (for unknown-key suggestions).
  std::vector<std::string_view> key_names() const;
  /// The key called `key_name`, or nullptr.
  const KeySchema* find_key(std::string_view key_name) const;
  /// `[name]` or `[[name]]`.
  std::string header() const;
};

/// Every section, in documentation (and canonical printing) order.
std::span<const SectionSchema> study_schema();

/// The section called `name`; throws std::out_of_range for a name not in the schema.
const SectionSchema& section_schema(std::string_view name);

/// Names allowed at the top level of a study file (the sections without a dot).
std::vector<std::string_view> top_level_section_names();

/// The Markdown key reference (one table per section, then the prototype table) that
/// docs/study-format.md embeds verbatim.
std::string format_schema_reference();

/// One section's Markdown reference: heading (with " (required)" or `optional_mark`), meaning,
/// and the key table. Shared by every job-file schema so the docs look alike.
std::string format_section_reference(const SectionSchema& section, std::string_view optional_mark);

}  // namespace ionhop::inputs
