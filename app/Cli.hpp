#pragma once
/// The `ionhop` command line: run, check, plot. Returns the process exit code:
/// 0 success, 2 bad input (usage, study file, setup), 1 internal failure.
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ionhop::app
