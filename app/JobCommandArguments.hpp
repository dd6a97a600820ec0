#pragma once
/// The command-line arguments shared by the job-file commands (`ionhop neb`, `ionhop mlip
/// generate | train | test | learn`): `JOB.toml [--outdir DIR] [--threads N]`.
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ionhop::app {

struct JobCommandArguments {
  std::filesystem::path job;
  std::filesystem::path outdir = ".";
  int threads = 0;  ///< OpenMP threads (omp_get_max_threads() when not given)
};

/// Parses the arguments of `command` (as named in messages, e.g. "mlip train"); on --help prints `help` to `out` and returns nullopt with exit_code 0,
/// on bad usage prints the problem and `help` to `err` and returns nullopt with exit_code 2.
std::optional<JobCommandArguments> parse_job_command_arguments(const std::vector<std::string>& args, const char* command,
                                                                 const char* help, std::ostream& out, std::ostream& err,
                                                                 int& exit_code);

}  // namespace ionhop::app
