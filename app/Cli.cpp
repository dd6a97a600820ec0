#include "app/Cli.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>

#include "app/H5File.hpp"
#include "app/MlipGenerateCommand.hpp"
#include "app/MlipLearnCommand.hpp"
#include "app/MlipTestCommand.hpp"
#include "app/MlipTrainCommand.hpp"
#include "app/NebCommand.hpp"
#include "app/RelaxCommand.hpp"
#include "app/ResultsWriter.hpp"
#include "app/StudySetup.hpp"
#include "app/SummaryTable.hpp"
#include "app/TransportAnalysis.hpp"
#include "app/Version.hpp"
#include "bridge/EstimationError.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudyPrinter.hpp"
#include "inputs/StudyReader.hpp"

namespace ionhop::app {
namespace {

namespace fs = std::filesystem;

/// Bad command-line usage: exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr const char* kMainHelp =
    "ionhop — kinetic Monte Carlo of ionic transport in solid electrolytes\n"
    "\n"
    "usage: ionhop <command> [options]\n"
    "\n"
    "commands:\n"
    "  run [STUDY.toml] [-o OUT.h5] [--threads N]   run a study (default: the bundled quickstart)\n"
    "  check STUDY.toml                             validate a study and print it resolved\n"
    "  plot RESULTS.h5 [--outdir DIR]               draw the Arrhenius and MSD plots (PNG)\n"
    "  relax RELAX.toml [-o OUT.xyz]                relax a structure with an interatomic potential\n"
    "  neb NEB.toml [--outdir DIR] [--threads N]    climbing-image NEB barrier of one hop\n"
    "  mlip generate | train | test | learn ...     machine-learned potential: data, training, tests\n"
    "\n"
    "options: --help (on every command), --version\n"
    "exit codes: 0 success, 2 bad input, 1 internal failure\n";

constexpr const char* kRunHelp =
    "usage: ionhop run [STUDY.toml] [-o OUT.h5] [--threads N]\n"
    "\n"
    "Runs the KMC study over its temperatures and replicas, prints a summary table and writes\n"
    "the results file (atomically: an existing file is replaced only by a complete one).\n"
    "  STUDY.toml     the study file (default: inputs/studies/quickstart.toml)\n"
    "  -o OUT.h5      results file (default: [output] path of the study, else <name>.h5)\n"
    "  --threads N    OpenMP threads (default: all cores); results do not depend on N\n";

constexpr const char* kCheckHelp =
    "usage: ionhop check STUDY.toml\n"
    "\n"
    "Validates the study (every problem reported with file:line:column), builds its lattice and\n"
    "hop network, and prints the resolved study with every default filled in and the derived\n"
    "hop classes.\n";

constexpr const char* kPlotHelp =
    "usage: ionhop plot RESULTS.h5 [--outdir DIR]\n"
    "\n"
    "Draws <stem>_arrhenius.png and <stem>_msd.png from a results file with Debian's\n"
    "python3-matplotlib and python3-h5py (/usr/bin/python3).\n";

/// One `ionhop mlip` subcommand: its name, usage, summary and entry point (the arguments after
/// `mlip <name>`). Adding a subcommand is one line in kMlipSubcommands.
struct MlipSubcommand {
  const char* name;
  const char* usage;
  const char* summary;
  int (*run)(const std::vector<std::string>&, std::ostream&, std::ostream&);
};

constexpr MlipSubcommand kMlipSubcommands[] = {
    {"generate", "generate JOB.toml [--outdir DIR] [--threads N]",
     "label training configurations with a reference potential (docs/mlip-data.md)", run_mlip_generate_command},
    {"train", "train JOB.toml [--outdir DIR] [--threads N]", "fit and calibrate the machine-learned potential (docs/mlip.md)",
     run_mlip_train_command},
    {"test", "test JOB.toml [--outdir DIR] [--threads N]", "errors and parity data of a model on data sets", run_mlip_test_command},
    {"learn", "learn JOB.toml [--outdir DIR] [--threads N]", "active learning on a hop until its barrier sigma is small",
     run_mlip_learn_command},
};

std::string mlip_help() {
  std::string text = "usage: ionhop mlip <subcommand> [options]\n\nsubcommands:\n";
  for (const MlipSubcommand& c : kMlipSubcommands) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-50s %s\n", c.usage, c.summary);
    text += line;
  }
  return text + "\n'ionhop mlip <subcommand> --help' describes one subcommand.\n";
}

int cmd_mlip(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << mlip_help();
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    out << mlip_help();
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const MlipSubcommand& c : kMlipSubcommands)
    if (args[0] == c.name) return c.run(rest, out, err);
  throw UsageError("unknown mlip subcommand '" + args[0] + "'\n" + mlip_help());
}

bool wants_help(const std::vector<std::string>& a) {
  for (const auto& s : a)
    if (s == "--help" || s == "-h") return true;
  return false;
}

fs::path default_study() {
  const fs::path local = "inputs/studies/quickstart.toml";
  if (fs::exists(local)) return local;
  return fs::path(IONHOP_SOURCE_DIR) / "inputs/studies/quickstart.toml";
}

fs::path plot_script() {
  if (const char* env = std::getenv("IONHOP_PLOT_SCRIPT")) return env;
  return fs::path(IONHOP_SOURCE_DIR) / "app/plot_results.py";
}

int parse_positive_int(const std::string& text, const std::string& what) {
  std::size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(text, &used);
  } catch (...) {
    used = 0;
  }
  if (used != text.size() || v < 1) throw UsageError(what + " expects a positive integer, got '" + text + "'");
  return v;
}

std::string describe_hop_classes(const StudySetup& setup) {
  std::ostringstream o;
  const auto& net = *setup.model->network;
  const auto& cell = *setup.model->supercell;
  o << "# lattice: " << cell.n_sites() << " sites, " << cell.n_basis() << " per cell, space group of order "
    << setup.space_group_order << ", hop network dimension " << setup.dimension << ", V = " << setup.volume_A3
    << " A^3\n# hop classes (symmetry-distinct):\n";
  for (std::size_t c = 0; c < net.classes().size(); ++c) {
    const auto& k = net.classes()[c];
    const auto b = setup.model->barriers->barrier({static_cast<int>(c), k.from_type, k.to_type, k.distance_A});
    char line[256];
    std::snprintf(line, sizeof line, "#   class %zu: %s -> %s  d = %.4f A  %d hops/cell  E_KRA = %.4f eV  nu = %.3e Hz\n",
                  c, cell.crystal().type_names[k.from_type].c_str(), cell.crystal().type_names[k.to_type].c_str(),
                  k.distance_A, k.templates_per_cell, b.kra_eV, b.attempt_frequency_Hz);
    o << line;
  }
  for (const auto& sp : setup.model->species)
    o << "# species " << sp.name << ": " << sp.count << (sp.mobile ? " mobile" : " immobile") << ", z = " << sp.charge
      << "\n";
  return o.str();
}

int cmd_check(const std::vector<std::string>& args, std::ostream& out) {
  if (wants_help(args)) {
    out << kCheckHelp;
    return 0;
  }
  if (args.size() != 1) throw UsageError("check expects one study file\n" + std::string(kCheckHelp));
  const auto study = inputs::read_study_file(args[0]);
  const StudySetup setup = set_up_study(study);
  out << inputs::format_resolved_study(study) << "\n" << describe_hop_classes(setup);
  return 0;
}

class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::ostream& err) : err_(err), start_(std::chrono::steady_clock::now()) {}
  void operator()(int done, int total, long long events) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (done < total && elapsed - last_ < 1.0) return;  // at most about once a second
    last_ = elapsed;
    const double eta = done > 0 ? elapsed * (total - done) / done : 0.0;
    char line[200];
    std::snprintf(line, sizeof line, "  [%3d/%3d tasks] %5.1f%%  %.3g events/s  elapsed %.1f s  ETA %.0f s\n", done,
                  total, 100.0 * done / total, elapsed > 0 ? events / elapsed : 0.0, elapsed, eta);
    err_ << line << std::flush;
  }

 private:
  std::ostream& err_;
  std::chrono::steady_clock::time_point start_;
  double last_ = -1.0;
};

int cmd_run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (wants_help(args)) {
    out << kRunHelp;
    return 0;
  }
  std::optional<fs::path> study_path, out_path;
  int threads = omp_get_max_threads();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      if (++i >= args.size()) throw UsageError(a + " expects a file name");
      out_path = args[i];
    } else if (a == "--threads") {
      if (++i >= args.size()) throw UsageError("--threads expects a number");
      threads = parse_positive_int(args[i], "--threads");
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "'\n" + std::string(kRunHelp));
    } else if (study_path) {
      throw UsageError("run takes one study file\n" + std::string(kRunHelp));
    } else {
      study_path = a;
    }
  }
  if (!study_path) study_path = default_study();
  const auto study = inputs::read_study_file(*study_path);
  const StudySetup setup = set_up_study(study);
  if (!out_path) out_path = study.output.path.empty() ? fs::path(study.name + ".h5") : fs::path(study.output.path);
  if (out_path->has_parent_path() && !fs::is_directory(out_path->parent_path()))
    throw UsageError("output directory '" + out_path->parent_path().string() + "' does not exist");

  omp_set_num_threads(threads);
  out << "ionhop " << kVersion << ": study '" << study.name << "' (" << study_path->string() << ")\n"
      << describe_hop_classes(setup) << "# " << setup.sweep.temperatures_K.size() << " temperature(s) x "
      << setup.sweep.replicas << " replicas on " << threads << " thread(s)\n"
      << std::flush;
  const auto start = std::chrono::steady_clock::now();
  ProgressPrinter progress(err);
  const auto raw = kmc::run_sweep(setup.model, setup.sweep, std::ref(progress));
  const StudyAnalysis analysis = analyse(setup, raw);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  print_summary(out, setup, raw, analysis);
  write_results(*out_path, study, setup, raw, analysis, {threads, wall, inputs::format_resolved_study(study)});
  out << "\n  wall time " << wall << " s; results written to " << out_path->string() << "\n";
  return 0;
}

int cmd_plot(const std::vector<std::string>& args, std::ostream& out) {
  if (wants_help(args)) {
    out << kPlotHelp;
    return 0;
  }
  std::optional<std::string> file, outdir;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--outdir") {
      if (++i >= args.size()) throw UsageError("--outdir expects a directory");
      outdir = args[i];
    } else if (!file) {
      file = args[i];
    } else {
      throw UsageError("plot takes one results file\n" + std::string(kPlotHelp));
    }
  }
  if (!file) throw UsageError("plot expects a results file\n" + std::string(kPlotHelp));
  if (!fs::exists(*file)) throw UsageError("results file '" + *file + "' does not exist");
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::string cmd = "/usr/bin/python3 " + quote(plot_script().string()) + " " + quote(*file);
  if (outdir) cmd += " --outdir " + quote(*outdir);
  const int rc = std::system(cmd.c_str());
  if (rc == -1) return 1;
  const int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : 1;
  return code == 0 ? 0 : (code == 2 ? 2 : 1);
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    if (args.empty()) {
      err << kMainHelp;
      return 2;
    }
    const std::string& cmd = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
      out << kMainHelp;
      return 0;
    }
    if (cmd == "--version") {
      out << "ionhop " << kVersion << "\n";
      return 0;
    }
    if (cmd == "run") return cmd_run(rest, out, err);
    if (cmd == "check") return cmd_check(rest, out);
    if (cmd == "plot") return cmd_plot(rest, out);
    if (cmd == "relax") return run_relax_command(rest, out, err);
    if (cmd == "neb") return run_neb_command(rest, out, err);
    if (cmd == "mlip") return cmd_mlip(rest, out, err);
    throw UsageError("unknown command '" + cmd + "'\n" + std::string(kMainHelp));
  } catch (const UsageError& e) {
    err << "ionhop: error: " << e.what() << "\n";
    return 2;
  } catch (const inputs::StudyError& e) {
    err << e.what() << "\n";
    return 2;
  } catch (const StudySetupError& e) {
    err << "ionhop: error in the study: " << e.what() << "\n";
    return 2;
  } catch (const bridge::EstimationError& e) {
    err << "ionhop: cannot estimate transport: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "ionhop: internal error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace ionhop::app
