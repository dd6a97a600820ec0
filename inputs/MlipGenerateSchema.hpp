#pragma once
/// The schema of the training-data job file (`ionhop mlip generate`) in one table, in the form
/// of the study and relax/NEB schemas: the reader checks unknown keys and suggests the nearest
/// known one from it, and docs/mlip-data.md embeds the same key tables (a test keeps them equal).
/// [job], [structure], [potential] and [relax] are the relax/NEB job's sections
/// (inputs/RelaxNebSchema.hpp), listed here again so the document is whole.
#include <span>
#include <string>
#include <string_view>

#include "inputs/StudySchema.hpp"

namespace ionhop::inputs {

/// Every section, in documentation order: job, structure, potential, relax, generate, strained,
/// displaced, vacancy, interstitial, md, neb, output.
std::span<const SectionSchema> mlip_generate_schema();

/// The section called `name`; throws std::out_of_range for a name not in the schema.
const SectionSchema& mlip_generate_section(std::string_view name);

/// The Markdown key tables (one per section) that docs/mlip-data.md embeds verbatim.
std::string format_mlip_generate_schema_reference();

}  // namespace ionhop::inputs
