#pragma once
/// Reads the atomistic job files of `ionhop relax` and `ionhop neb` into an AtomisticJob.
///
/// Same rules as the study reader (inputs/StudyReader.hpp): strict types (an integer where an
/// integer is expected, integers accepted for floats), range checks, unknown keys and sections
/// reported with the nearest known name, every problem collected with its file:line:column
/// before one StudyError is thrown. The schema is inputs/RelaxNebSchema.hpp, documented in
/// docs/relax-neb-format.md. Relative file names (structure, potential, band end states) are
/// resolved against the job file's directory; a potential file is read here (its own problems
/// are reported in it), an inline potential's keys are reported at their place in the job file.
/// Structure files are only named, not read: their problems, and indices that need the atom
/// count, are for the command to report (at the key's position, from AtomisticJob::locations).
#include <filesystem>
#include <string>
#include <string_view>

#include "inputs/RelaxNebJob.hpp"

namespace ionhop::inputs {

/// Reads and validates the job file at `path` as a job of `kind`. Throws StudyError.
AtomisticJob read_atomistic_job_file(const std::filesystem::path& path, AtomisticJobKind kind);

/// Reads and validates job text; `source_name` names it in diagnostics, relative paths are
/// resolved against `base_directory`. Throws StudyError.
AtomisticJob read_atomistic_job_string(std::string_view text, std::string source_name,
                                       AtomisticJobKind kind,
                                       const std::filesystem::path& base_directory);

}  // namespace ionhop::inputs
