#pragma once
/// The schemas of the MLIP job files (`ionhop mlip train | test | learn`), in the form of the
/// other job schemas: the reader checks unknown keys against them and suggests the nearest known
/// one, and docs/mlip.md embeds the same key tables (a test keeps them equal). A learn job also
/// has the NEB job's sections ([job], [structure], [potential], [relax], [neb], [hop]; see
/// inputs/RelaxNebSchema.hpp), read by that reader.
#include <span>
#include <string>
#include <string_view>

#include "inputs/StudySchema.hpp"

namespace ionhop::inputs {

enum class MlipJobKind { train, test, learn };

/// The sections of a job of `kind`, in documentation order (for learn: the MLIP sections only,
/// after the NEB job's).
std::span<const SectionSchema> mlip_job_schema(MlipJobKind kind);

/// The section called `name` of a job of `kind`; throws std::out_of_range if it has none.
const SectionSchema& mlip_job_section(MlipJobKind kind, std::string_view name);

/// The Markdown key tables (one per section) of a job of `kind`, as docs/mlip.md embeds them;
/// sections already listed for an earlier kind (train, then test) are left out.
std::string format_mlip_job_schema_reference(MlipJobKind kind);

}  // namespace ionhop::inputs
