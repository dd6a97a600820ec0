#pragma once
/// `ionhop mlip generate JOB.toml [--outdir DIR] [--threads N]`: labels training configurations
/// (strained cells, displacements, vacancies, interstitials, Langevin MD snapshots, NEB images
/// of a vacancy hop) with a reference potential and writes them as extended XYZ (<name>.xyz)
/// and/or the HDF5 data set (<name>.h5), atomically: all files or none.
/// Job schema and file layouts: docs/mlip-data.md.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

/// Help text of the command.
extern const char* const kMlipGenerateHelp;

/// Runs the command on its arguments (after the words `mlip generate`). Returns 0 when the
/// outputs were written, 2 for bad usage; a bad job throws inputs::StudyError (exit 2 in
/// run_cli) before anything is computed or written.
int run_mlip_generate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
