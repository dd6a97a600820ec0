#pragma once
/// Reads a TOML study file into a validated, fully resolved `Study`.
///
/// Every value is type-checked strictly (an integer where an integer is expected; integers are
/// accepted where floats are), range-checked, and cross-checked against the other sections
/// (site types, species names). Unknown keys are errors that suggest the nearest known key.
/// Every problem in the file is collected before one `StudyError` is thrown. The schema is in
/// inputs/StudySchema.hpp and documented in docs/study-format.md.
#include <filesystem>
#include <string>
#include <string_view>

#include "inputs/Study.hpp"

namespace ionhop::inputs {

/// Reads and validates the study file at `path`. `Study::source_path` is `path` as given,
/// `Study::source_text` the file's bytes. Throws `StudyError` (with a position-less diagnostic
/// if the file cannot be read, or with every problem found in it).
Study read_study_file(const std::filesystem::path& path);

/// Reads and validates study text; `source_name` names it in diagnostics and becomes
/// `Study::source_path`. Throws `StudyError`.
Study read_study_string(std::string_view text, std::string source_name);

/// The study-file spelling of a superbasin method ("none", "mcamc", "local", "rate-scaling").
std::string to_string(SuperbasinMethodSpec method);
/// The study-file spelling of a basin detection ("both", "barrier", "counting").
std::string to_string(BasinDetectionSpec detection);

}  // namespace ionhop::inputs
