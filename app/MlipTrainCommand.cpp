#include "app/MlipTrainCommand.hpp"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "app/FormatNumber.hpp"
#include "app/JobCommandArguments.hpp"
#include "app/MlipJobSetup.hpp"
#include "app/MlipModelFile.hpp"
#include "app/Version.hpp"
#include "inputs/MlipJobReader.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipTraining.hpp"

namespace ionhop::app {

const char* const kMlipTrainHelp =
    "usage: ionhop mlip train JOB.toml [--outdir DIR] [--threads N]\n"
    "\n"
    "Fits the linear ACE potential to the job's data sets (regularisation chosen by k-fold\n"
    "cross-validation; deterministic for any N), calibrates its uncertainties on the held-out\n"
    "frames, prints the cross-validation table and the held-out errors, and writes the model\n"
    "file <name>.h5 (atomically). Job keys: docs/mlip.md.\n"
    "  --outdir DIR   directory of the model file (default: the current directory)\n"
    "  --threads N    OpenMP threads (default: all cores); the model does not depend on N\n";

namespace {

namespace fs = std::filesystem;

/// The output must not replace one of the job's inputs.
void check_output_is_not_an_input(const fs::path& target, const inputs::MlipTrainJob& job, const MlipJobSource& source) {
  std::vector<fs::path> inputs = job.data.files;
  inputs.insert(inputs.end(), job.split.held_out_files.begin(), job.split.held_out_files.end());
  for (const fs::path& p : inputs) {
    std::error_code ec;
    if (fs::exists(target) && fs::equivalent(target, p, ec))
      fail_at(source, "job.name", "the model file '" + target.string() + "' would replace the input data set '" + p.string() + "'");
  }
}

}  // namespace

int run_mlip_train_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int exit_code = 0;
  const auto parsed = parse_job_command_arguments(args, "mlip train", kMlipTrainHelp, out, err, exit_code);
  if (!parsed) return exit_code;

  // Everything the job can get wrong is checked before the fit.
  const inputs::MlipTrainJob job = inputs::read_mlip_train_job_file(parsed->job);
  const MlipJobSource source{job.source_path, &job.locations};
  const MlipSplit split = split_job_frames(load_mlip_frames(job.data.files, "data.files", source, job.data.exclude_config_types), job.split, source);
  const neb::MlipTrainingOptions options = training_options(job.basis, job.baseline, job.fit, split.training, source);
  check_species(split.held_out, options.basis.elements, job.split.held_out_files.empty() ? "data.files" : "split.held_out_files", source);
  const neb::MlipCalibrationOptions calibration = calibration_options(job.calibration);
  const fs::path target = parsed->outdir / (job.name + ".h5");
  check_output_is_not_an_input(target, job, source);

  omp_set_num_threads(parsed->threads);
  out << "ionhop " << kVersion << ": mlip train '" << job.name << "' (" << parsed->job.string() << ")\n"
      << "# " << split.training.size() + split.held_out.size() << " frames: " << split.training.size() << " training, "
      << split.held_out.size() << " held out (" << (job.split.held_out_files.empty() ? "seed " + std::to_string(job.split.seed) : "files")
      << "); " << parsed->threads << " thread(s)\n";
  std::string elements;
  for (const auto& e : options.basis.elements) {
    if (!elements.empty()) elements += ' ';
    elements += e;
  }
  out << "# basis: " << elements << ", r_c " << fmt("%g", options.basis.cutoff_A) << " A, body order " << options.basis.body_order
      << ", radial " << options.basis.radial_size_2 << "/" << options.basis.radial_size_3 << ", lmax " << options.basis.lmax
      << "; baseline " << (options.baseline ? "coulomb_ewald" : "none") << "\n"
      << std::flush;

  const auto started = std::chrono::steady_clock::now();
  neb::TrainedLinearAce trained;
  try {
    trained = neb::train_linear_ace(split.training, options);
  } catch (const std::invalid_argument& e) {
    fail_at(source, "data.files", std::string("cannot fit these frames: ") + e.what());
  }
  const neb::MlipTrainingReport& report = trained.report;
  print_cross_validation(out, report);
  out << "  chosen: lambda " << fmt("%.1e", report.chosen.lambda) << ", radial_size_3 " << report.chosen.radial_size_3 << "; "
      << report.coefficient_count << " coefficients, " << fmt("%.1f", report.effective_parameters) << " effective; "
      << report.frames << " frames (" << report.energy_rows << " energy, " << report.force_rows << " force, " << report.stress_rows
      << " stress rows)\n"
      << "  training RMSE: E " << fmt("%.4f", 1e3 * report.train_energy_rmse_eV_per_atom) << " meV/atom, F "
      << fmt("%.5f", report.train_force_rmse_eV_per_A) << " eV/A, S " << fmt("%.3e", report.train_stress_rmse_eV_per_A3)
      << " eV/A^3; fit " << fmt("%.2f", report.descriptor_seconds + report.solve_seconds) << " s\n";

  if (!split.held_out.empty()) {
    const neb::MlipCalibrationReport c = neb::calibrate_model(trained.model, split.held_out, calibration);
    auto factor = [&](const char* what, double k, bool fitted, std::size_t n) {
      out << "    " << what << ": " << (fitted ? fmt("%.3f", k) : std::string("1 (not fitted)")) << " from " << n << " samples\n";
    };
    out << "  calibration on the held-out frames (coverage " << fmt("%g", calibration.coverage) << "):\n";
    factor("energy     kappa_E", c.factors.energy, c.energy_fitted, c.energy_samples);
    factor("force      kappa_F", c.factors.force, c.force_fitted, c.force_samples);
    factor("difference kappa_D", c.factors.difference, c.difference_fitted, c.difference_samples);
    if (c.energy_fitted)
      out << "    energy noise grade slope alpha: " << fmt("%.3f", c.factors.energy_grade_slope) << " (log-likelihood gain "
          << fmt("%.2f", c.grade_noise_log_likelihood_gain)
          << (c.factors.energy_grade_slope > 0.0 ? "; kept)\n" : "; below the 5 % likelihood-ratio test: alpha = 0)\n");
    const neb::LinearAcePotential potential(trained.model);
    print_error_report(out, "held-out errors (calibrated sigma; not an independent test: these frames set kappa)",
                       neb::evaluate(potential, split.held_out, {.energy_uncertainty = true, .force_uncertainty = calibration.forces}));
  } else {
    out << "  no held-out frames: the uncertainties are not calibrated (kappa = 1)\n";
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  write_mlip_model(target, trained.model);
  out << "  " << fmt("%.2f", wall) << " s; written " << target.string() << "\n";
  return 0;
}

}  // namespace ionhop::app
