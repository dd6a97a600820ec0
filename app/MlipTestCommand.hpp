#pragma once
/// `ionhop mlip test JOB.toml [--outdir DIR] [--threads N]`: the errors of a model file on
/// labelled data sets — energy, force and stress RMSE and MAE, per element and per config_type,
/// and the 2σ coverage of the calibrated uncertainties — printed, and the parity data
/// (reference, prediction and σ of every energy and force component) written atomically to
/// `<name>.h5`. Job schema and file layout: docs/mlip.md.
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "lattice/StructureExtxyz.hpp"
#include "neb/MlipEvaluation.hpp"

namespace ionhop::app {

extern const char* const kMlipTestHelp;

inline constexpr const char* kMlipParityFormat = "ionhop-mlip-parity";
inline constexpr int kMlipParityFormatVersion = 1;

/// What the parity file records besides the error report.
struct MlipParityProvenance {
  std::string job_name, description, job_text;
  std::filesystem::path model_file;
  std::vector<std::filesystem::path> data_files;
};

/// Writes the parity file (layout in docs/mlip.md) for `report` = neb::evaluate(model, frames)
/// atomically to `target`. Throws H5Error or std::invalid_argument if `report` does not belong
/// to `frames`.
void write_mlip_parity(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                       const neb::MlipErrorReport& report, const MlipParityProvenance& provenance);

/// Runs the command on its arguments (after `mlip test`). Returns 0 when the parity file was
/// written, 2 for bad usage; a bad job throws inputs::StudyError (exit 2) before any output.
int run_mlip_test_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
