#pragma once
/// `ionhop mlip learn JOB.toml [--outdir DIR] [--threads N]`: active learning of the MLIP on one
/// hop (neb/ActiveLearning.hpp). CI-NEB runs on the current model; band images whose calibrated
/// σ or extrapolation grade is over a threshold are labelled with the job's reference potential,
/// added to the training data and the model refitted, until the barrier's σ is below the
/// tolerance. Prints every iteration (barrier, σ, images labelled) and, if asked, the reference
/// barrier; writes the final model `<name>.h5` and the augmented data set `<name>_data.h5`
/// atomically (both or neither). Job schema: docs/mlip.md.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

extern const char* const kMlipLearnHelp;

/// Runs the command on its arguments (after `mlip learn`). Returns 0 when the outputs were
/// written (whether or not the tolerance was reached, which is printed), 2 for bad usage; a bad
/// job throws inputs::StudyError (exit 2) before any work.
int run_mlip_learn_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
