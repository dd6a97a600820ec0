#pragma once
/// Reads the MLIP job files of `ionhop mlip train | test | learn` (inputs/MlipJobs.hpp).
///
/// Same rules as the other job readers: strict types, range checks, unknown keys and sections
/// reported with the nearest known name, every problem collected with its file:line:column
/// before one StudyError is thrown. A learn job's NEB sections ([job], [structure], [potential],
/// [relax], [neb], [hop]) are handed to the relax/NEB reader and its diagnostics mapped back to
/// their place in this file. Relative paths are resolved against the job file's directory.
/// Data and model files are only named: problems that need their content (a species not in the
/// basis, too few frames) are for the command to report at the key's position (`locations`).
#include <filesystem>
#include <string>
#include <string_view>

#include "inputs/MlipJobs.hpp"

namespace ionhop::inputs {

/// Reads and validates a job; throws StudyError.
MlipTrainJob read_mlip_train_job_file(const std::filesystem::path& path);
MlipTestJob read_mlip_test_job_file(const std::filesystem::path& path);
MlipLearnJob read_mlip_learn_job_file(const std::filesystem::path& path);

/// The same from text; `source_name` names it in diagnostics, relative paths are resolved
/// against `base_directory`.
MlipTrainJob read_mlip_train_job_string(std::string_view text, std::string source_name,
                                        const std::filesystem::path& base_directory);
MlipTestJob read_mlip_test_job_string(std::string_view text, std::string source_name,
                                      const std::filesystem::path& base_directory);
MlipLearnJob read_mlip_learn_job_string(std::string_view text, std::string source_name,
                                        const std::filesystem::path& base_directory);

}  // namespace ionhop::inputs
