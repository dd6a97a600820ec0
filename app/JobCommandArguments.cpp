#include "app/JobCommandArguments.hpp"

#include <omp.h>

namespace ionhop::app {

std::optional<JobCommandArguments> parse_job_command_arguments(const std::vector<std::string>& args, const char* command,
                                                                 const char* help, std::ostream& out, std::ostream& err,
                                                                 int& exit_code) {
  for (const std::string& a : args)
    if (a == "--help" || a == "-h") {
      out << help;
      exit_code = 0;
      return std::nullopt;
    }
  auto usage = [&](const std::string& message) -> std::optional<JobCommandArguments> {
    err << "ionhop: error: " << message << "\n" << help;
    exit_code = 2;
    return std::nullopt;
  };
  JobCommandArguments parsed;
  parsed.threads = omp_get_max_threads();
  bool have_job = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--outdir") {
      if (++i >= args.size()) return usage("--outdir expects a directory");
      parsed.outdir = args[i];
    } else if (a == "--threads") {
      if (++i >= args.size()) return usage("--threads expects a number");
      std::size_t used = 0;
      int n = 0;
      try {
        n = std::stoi(args[i], &used);
      } catch (...) {
        used = 0;
      }
      if (used != args[i].size() || n < 1) return usage("--threads expects a positive integer, got '" + args[i] + "'");
      parsed.threads = n;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option '" + a + "'");
    } else if (have_job) {
      return usage(std::string(command) + " takes one job file");
    } else {
      parsed.job = a;
      have_job = true;
    }
  }
  if (!have_job) return usage(std::string(command) + " expects a job file");
  if (!std::filesystem::is_directory(parsed.outdir)) return usage("output directory '" + parsed.outdir.string() + "' does not exist");
  return parsed;
}

}  // namespace ionhop::app
