#include "app/MlipTestCommand.hpp"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "app/AtomicFile.hpp"
#include "app/H5File.hpp"
#include "app/JobCommandArguments.hpp"
#include "app/MlipJobSetup.hpp"
#include "app/MlipModelFile.hpp"
#include "app/UtcTime.hpp"
#include "app/Version.hpp"
#include "inputs/MlipJobReader.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/MlipFrameTargets.hpp"

namespace ionhop::app {

const char* const kMlipTestHelp =
    "usage: ionhop mlip test JOB.toml [--outdir DIR] [--threads N]\n"
    "\n"
    "Evaluates a model file on the job's data sets: prints energy, force and stress RMSE and MAE\n"
    "(overall, per element, per config_type) and the fraction of errors within 2 calibrated sigma,\n"
    "and writes the parity data (reference, predicted, sigma of every energy and force component)\n"
    "to <name>.h5 (atomically). Job keys and file layout: docs/mlip.md.\n"
    "  --outdir DIR   directory of the parity file (default: the current directory)\n"
    "  --threads N    OpenMP threads (default: all cores)\n";

namespace {

namespace fs = std::filesystem;

void write_stats(H5File& h5, const std::string& group, const neb::MlipErrorStats& s, const char* units) {
  h5.write_dataset(group + "/count", static_cast<std::int64_t>(s.count), "1");
  h5.write_dataset(group + "/rmse", s.rmse, units);
  h5.write_dataset(group + "/mae", s.mae, units);
  h5.write_dataset(group + "/max_abs", s.max_abs, units);
}

}  // namespace

void write_mlip_parity(const fs::path& target, const std::vector<lattice::XyzFrame>& frames, const neb::MlipErrorReport& report,
                       const MlipParityProvenance& provenance) {
  // Labels of every parity entry, in evaluate()'s order: energies one per frame with an energy;
  // forces frame by frame, atom by atom, x y z.
  std::vector<std::int64_t> energy_frame, force_frame, force_atom, force_component;
  std::vector<std::string> energy_type, force_species;
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const neb::MlipFrameTargets t = neb::frame_targets(frames[f], f);
    if (t.energy_eV) {
      energy_frame.push_back(static_cast<std::int64_t>(f));
      energy_type.push_back(t.config_type);
    }
    if (t.forces_eV_per_A)
      for (std::size_t i = 0; i < frames[f].structure.size(); ++i)
        for (int a = 0; a < 3; ++a) {
          force_frame.push_back(static_cast<std::int64_t>(f));
          force_atom.push_back(static_cast<std::int64_t>(i));
          force_component.push_back(a);
          force_species.push_back(frames[f].structure.species[i]);
        }
  }
  const neb::MlipParity& e = report.energy_parity;
  const neb::MlipParity& fp = report.force_parity;
  if (e.reference.size() != energy_frame.size() || fp.reference.size() != force_frame.size())
    throw std::invalid_argument("write_mlip_parity: the error report does not belong to these frames");

  AtomicFile out(target);
  H5File h5 = H5File::create(out.temp_path());
  h5.set_attribute("/", "format", std::string_view(kMlipParityFormat));
  h5.set_attribute("/", "format_version", std::int64_t{kMlipParityFormatVersion});
  h5.set_attribute("/", "ionhop_version", std::string_view(kVersion));
  h5.set_attribute("/", "created_utc", std::string_view(utc_now_iso8601()));
  h5.set_attribute("/", "job_name", std::string_view(provenance.job_name));
  h5.set_attribute("/", "description", std::string_view(provenance.description));
  h5.set_attribute("/", "job_text", std::string_view(provenance.job_text));
  h5.set_attribute("/", "model_file", std::string_view(provenance.model_file.string()));
  std::vector<std::string> data_files;
  for (const fs::path& p : provenance.data_files) data_files.push_back(p.string());
  h5.write_dataset("/data_files", std::span<const std::string>(data_files), "1");

  h5.write_dataset("/energy/reference_eV_per_atom", std::span<const double>(e.reference), "eV/atom");
  h5.write_dataset("/energy/predicted_eV_per_atom", std::span<const double>(e.predicted), "eV/atom");
  if (!e.sigma.empty()) h5.write_dataset("/energy/sigma_eV_per_atom", std::span<const double>(e.sigma), "eV/atom");
  h5.write_dataset("/energy/frame", std::span<const std::int64_t>(energy_frame), "1");
  h5.write_dataset("/energy/config_type", std::span<const std::string>(energy_type), "1");

  h5.write_dataset("/force/reference_eV_A", std::span<const double>(fp.reference), "eV/angstrom");
  h5.write_dataset("/force/predicted_eV_A", std::span<const double>(fp.predicted), "eV/angstrom");
  if (!fp.sigma.empty()) h5.write_dataset("/force/sigma_eV_A", std::span<const double>(fp.sigma), "eV/angstrom");
  h5.write_dataset("/force/frame", std::span<const std::int64_t>(force_frame), "1");
  h5.write_dataset("/force/atom", std::span<const std::int64_t>(force_atom), "1");
  h5.write_dataset("/force/component", std::span<const std::int64_t>(force_component), "1");
  h5.write_dataset("/force/species", std::span<const std::string>(force_species), "1");

  write_stats(h5, "/errors/energy_eV_per_atom", report.energy_eV_per_atom, "eV/atom");
  write_stats(h5, "/errors/force_eV_A", report.force_eV_per_A, "eV/angstrom");
  write_stats(h5, "/errors/stress_eV_A3", report.stress_eV_per_A3, "eV/angstrom^3");
  for (const auto& [element, s] : report.force_by_element) write_stats(h5, "/errors/force_by_element/" + element, s, "eV/angstrom");
  for (const auto& [type, s] : report.energy_by_config_type)
    write_stats(h5, "/errors/energy_by_config_type/" + type, s, "eV/atom");
  for (const auto& [type, s] : report.force_by_config_type) write_stats(h5, "/errors/force_by_config_type/" + type, s, "eV/angstrom");
  h5.write_dataset("/errors/energy_coverage_2sigma", report.energy_coverage_2sigma, "1");
  h5.write_dataset("/errors/force_coverage_2sigma", report.force_coverage_2sigma, "1");
  h5.close();
  out.commit();
}

int run_mlip_test_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int exit_code = 0;
  const auto parsed = parse_job_command_arguments(args, "mlip test", kMlipTestHelp, out, err, exit_code);
  if (!parsed) return exit_code;

  const inputs::MlipTestJob job = inputs::read_mlip_test_job_file(parsed->job);
  const MlipJobSource source{job.source_path, &job.locations};
  neb::MlipModel model;
  try {
    model = read_mlip_model(job.model);
  } catch (const std::exception& e) {
    fail_at(source, "model.file", std::string("cannot use the model file: ") + e.what());
  }
  const std::vector<lattice::XyzFrame> frames = load_mlip_frames(job.data.files, "data.files", source, job.data.exclude_config_types);
  check_species(frames, model.basis.elements, "data.files", source);
  for (std::size_t f = 0; f < frames.size(); ++f) {
    try {
      neb::frame_targets(frames[f], f);
    } catch (const std::invalid_argument& e) {
      fail_at(source, "data.files", e.what());
    }
  }
  const fs::path target = parsed->outdir / (job.name + ".h5");
  for (const fs::path& p : job.data.files) {
    std::error_code ec;
    if (fs::exists(target) && fs::equivalent(target, p, ec))
      fail_at(source, "job.name", "the parity file '" + target.string() + "' would replace the data set '" + p.string() + "'");
  }
  if (fs::exists(target) && fs::equivalent(target, job.model))
    fail_at(source, "job.name", "the parity file '" + target.string() + "' would replace the model file");

  omp_set_num_threads(parsed->threads);
  out << "ionhop " << kVersion << ": mlip test '" << job.name << "' (" << parsed->job.string() << ")\n"
      << "# model " << job.model.string() << " (" << model.training_frames << " training frames, kappa E/F/D "
      << model.calibration.energy << "/" << model.calibration.force << "/" << model.calibration.difference << "); " << frames.size()
      << " frames; " << parsed->threads << " thread(s)\n"
      << std::flush;
  const auto started = std::chrono::steady_clock::now();
  const neb::LinearAcePotential potential(model);
  const neb::MlipErrorReport report =
      neb::evaluate(potential, frames, {.energy_uncertainty = true, .force_uncertainty = job.force_uncertainty});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  print_error_report(out, "errors (prediction - reference)", report);
  write_mlip_parity(target, frames, report, {job.name, job.description, job.source_text, job.model, job.data.files});
  char line[64];
  std::snprintf(line, sizeof line, "%.2f", wall);
  out << "  " << line << " s; written " << target.string() << "\n";
  return 0;
}

}  // namespace ionhop::app
