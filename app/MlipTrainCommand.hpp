#pragma once
/// `ionhop mlip train JOB.toml [--outdir DIR] [--threads N]`: fits the linear ACE MLIP to the
/// job's data sets (deterministically), calibrates its uncertainties on the held-out frames,
/// prints the cross-validation choice and the held-out errors, and writes the model file
/// `<name>.h5` atomically. Job schema: docs/mlip.md.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

extern const char* const kMlipTrainHelp;

/// Runs the command on its arguments (after `mlip train`). Returns 0 when the model was
/// written, 2 for bad usage; a bad job throws inputs::StudyError (exit 2 in run_cli) before
/// anything is fitted or written.
int run_mlip_train_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
