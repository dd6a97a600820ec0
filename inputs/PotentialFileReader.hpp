#pragma once
/// Reads a potential parameter file (TOML, e.g. inputs/potentials/pedone.toml) into the plain
/// neb::PotentialSpec that neb::make_potential turns into a Potential.
///
/// Schema: top-level `name` and `citation` (strings, optional) and a table `potential`. A
/// potential table has `type` (string, a registry name) and the keys that type takes: numeric
/// settings with the unit in the name (`cutoff_A`, `real_cutoff_A`, `accuracy`, ...), `charges_e`
/// (table species → number, Coulomb types), `pairs` (array of tables, each `species = ["A", "B"]`
/// plus the type's coefficients, pair types), `terms` (array of potential tables, "sum") or
/// `model` (string, "mlip": the model file, resolved against the folder of the file that names
/// it and stored resolved in `text_settings["model"]`; a file that does not exist is an error at
/// the key — whether it holds a model is checked where the potential is built, in app/).
/// Unknown keys are errors with the nearest known key suggested; numbers must be TOML integers or
/// floats and finite. Value ranges (cutoff > 0, ...) are checked by neb's registry.
#include <filesystem>
#include <string>
#include <string_view>

#include "neb/PotentialSpec.hpp"

namespace ionhop::inputs {

struct PotentialFile {
  std::string name;              ///< short name, e.g. "pedone2006"
  std::string citation;          ///< the reference the parameters come from
  neb::PotentialSpec potential;  ///< origins are "file:line"
};

/// Throws StudyError with every problem found (file:line:column, key path). Relative `model`
/// names are taken from the folder of `path`.
PotentialFile read_potential_file(const std::string& path);

/// Parses TOML text; `source_name` is used in diagnostics, relative `model` names are resolved
/// against `base_directory` (empty: the working directory).
PotentialFile parse_potential_file(std::string_view text, const std::string& source_name,
                                   const std::filesystem::path& base_directory = {});

}  // namespace ionhop::inputs
