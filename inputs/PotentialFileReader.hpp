#pragma once
/// Reads a potential parameter file (TOML, e.g. inputs/potentials/pedone.toml) into the plain
/// neb::PotentialSpec that neb::make_potential turns into a Potential.
///
/// Schema: top-level `name` and `citation` (strings, optional) and a table `potential`. A
/// potential table has `type` (string, a registry name) and the keys that type takes: numeric
/// settings with the unit in the name (`cutoff_A`, `real_cutoff_A`, `accuracy`, ...), `charges_e`
/// (table species → number, Coulomb types), `pairs` (array of tables, each `species = ["A", "B"]`
/// plus the type's coefficients, pair types) or `terms` (array of potential tables, "sum").
/// Unknown keys are errors with the nearest known key suggested; numbers must be TOML integers or
/// floats and finite. Value ranges (cutoff > 0, ...) are checked by neb's registry.
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
