#pragma once
/// The command-line arguments shared by `ionhop mlip train | test | learn`:
/// `JOB.toml [--outdir DIR] [--threads N]`.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

struct MlipCommandArguments {
  std::filesystem::path job;
  std::filesystem::path outdir = ".";
  int threads = 0;  ///< OpenMP threads (omp_get_max_threads() when not given)
};

/// Parses the arguments; on --help prints `help` to `out` and returns nullopt with exit_code 0,
/// on bad usage prints the problem and `help` to `err` and returns nullopt with exit_code 2.
std::optional<MlipCommandArguments> parse_mlip_command_arguments(const std::vector<std::string>& args, const char* command,
                                                                 const char* help, std::ostream& out, std::ostream& err,
                                                                 int& exit_code);

}  // namespace ionhop::app
