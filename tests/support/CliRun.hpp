#pragma once
// Runs the `ionhop` command line in-process (app::run_cli) and keeps what it printed.
#include <sstream>
#include <string>
#include <vector>

#include "app/Cli.hpp"

namespace ionhop::testing {

struct CliResult {
  int code;
  std::string out, err;
};

inline CliResult cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = app::run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

}  // namespace ionhop::testing
