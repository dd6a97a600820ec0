#pragma once
/// Reads the training-data job file of `ionhop mlip generate` into an MlipGenerateJob.
///
/// Same rules as the relax/NEB job reader (inputs/RelaxNebReader.hpp): strict types, range
/// checks, unknown keys and sections reported with the nearest known name, every problem
/// collected with its file:line:column before one StudyError is thrown. [job], [structure],
/// [potential] and [relax] are handed to the relax/NEB reader itself (one reader, one set of
/// rules) and its diagnostics mapped back to their place in this file; a potential file's own
/// problems are reported in it. Relative paths are resolved against the job file's directory.
/// The structure file is only named: problems that need its atoms (indices, species) are for
/// the command to report at the key's position (MlipGenerateJob::locations).
#include <filesystem>
#include <string>
#include <string_view>

#include "inputs/MlipGenerateJob.hpp"

namespace ionhop::inputs {

/// Reads and validates the job file at `path`. Throws StudyError.
MlipGenerateJob read_mlip_generate_job_file(const std::filesystem::path& path);

/// Reads and validates job text; `source_name` names it in diagnostics, relative paths are
/// resolved against `base_directory`. Throws StudyError.
MlipGenerateJob read_mlip_generate_job_string(std::string_view text, std::string source_name,
                                              const std::filesystem::path& base_directory);

}  // namespace ionhop::inputs
