#pragma once
/// The schema of the atomistic job files (`ionhop relax`, `ionhop neb`) in one table, in the
/// same form as the study schema (inputs/StudySchema.hpp): the reader checks unknown keys and
/// suggests the nearest known one from it, and docs/relax-neb-format.md lists the same keys
/// (a test keeps them equal).
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inputs/RelaxNebJob.hpp"
#include "inputs/StudySchema.hpp"

namespace ionhop::inputs {

/// Every section of either kind of job file, in documentation order: job, structure,
/// potential, relax, neb, hop.
std::span<const SectionSchema> relax_neb_schema();

/// The section called `name`; throws std::out_of_range for a name not in the schema.
const SectionSchema& relax_neb_section(std::string_view name);

/// Whether a job file of `kind` may contain the section `name` ([neb] and [hop] are NEB only).
bool section_allowed(AtomisticJobKind kind, std::string_view name);

/// The sections a job file of `kind` may contain, in schema order.
std::vector<std::string_view> allowed_section_names(AtomisticJobKind kind);

/// The Markdown key tables (one per section) that docs/relax-neb-format.md embeds verbatim.
std::string format_relax_neb_schema_reference();

}  // namespace ionhop::inputs
