#pragma once
/// Reads a potential parameter file (TOML, e.g. inputs/potentials/pedone.toml) into the plain
/// neb::PotentialSpec that neb::make_potential turns into a Potential.
///
/// Schema: top-level `name` and `citation` (strings) and a table `potential`. A potential table
/// has `type` (string, a registry name), optional `charges_e` (table species → number), optional
/// `pairs` (array of tables, each `species = ["A", "B"]` plus numeric coefficients), optional
/// `terms` (array of potential tables, for "sum"); every other key must be a number and becomes
/// a setting. Which settings and coefficients a type accepts is checked by neb's registry.
#include <string>
#include <string_view>

#include "neb/PotentialSpec.hpp"

namespace ionhop::inputs {

struct PotentialFile {
  std::string name;              ///< short name, e.g. "pedone2006"
  std::string citation;          ///< the reference the parameters come from
  neb::PotentialSpec potential;  ///< origins are "file:line"
};

/// Throws StudyError with every problem found (file:line:column, key path).
PotentialFile read_potential_file(const std::string& path);

/// Parses TOML text; `source_name` is used in diagnostics.
PotentialFile parse_potential_file(std::string_view text, const std::string& source_name);

}  // namespace ionhop::inputs
