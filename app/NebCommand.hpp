#pragma once
/// `ionhop neb NEB.toml [--outdir DIR] [--threads N]`: builds a hop (vacancy, interstitial, or a
/// band between two given end states), relaxes both end states, runs climbing-image NEB and
/// writes the band and the saddle as extended XYZ and the NEB record (HDF5).
/// Job schema and record layout: docs/relax-neb-format.md.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

/// Help text of the command.
extern const char* const kNebHelp;

/// Runs the command on its arguments (after the word `neb`). Returns 0 when the outputs were
/// written (whatever the NEB status, which is printed and recorded); bad input throws
/// inputs::StudyError or std::invalid_argument (usage), which run_cli turns into exit 2.
int run_neb_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
