#pragma once
/// `ionhop relax RELAX.toml [-o OUT.xyz]`: relaxes one structure (atoms, optionally the cell)
/// with the job's potential and writes it as extended XYZ. Job schema: docs/relax-neb-format.md.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

/// Help text of the command.
extern const char* const kRelaxHelp;

/// Runs the command on its arguments (after the word `relax`). Returns 0 on success; bad input
/// throws inputs::StudyError or std::invalid_argument (usage), which run_cli turns into exit 2.
int run_relax_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
