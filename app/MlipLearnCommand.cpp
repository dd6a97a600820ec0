#include "app/MlipLearnCommand.hpp"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "app/AtomicFile.hpp"
#include "app/AtomisticJobSetup.hpp"
#include "app/FormatNumber.hpp"
#include "app/JobCommandArguments.hpp"
#include "app/MlipDatasetFile.hpp"
#include "app/MlipJobSetup.hpp"
#include "app/MlipModelFile.hpp"
#include "app/Version.hpp"
#include "inputs/MlipJobReader.hpp"
#include "neb/ActiveLearning.hpp"
#include "neb/CellRelax.hpp"

namespace ionhop::app {

const char* const kMlipLearnHelp =
    "usage: ionhop mlip learn JOB.toml [--outdir DIR] [--threads N]\n"
    "\n"
    "Active learning on one hop: CI-NEB on the current MLIP; band images whose calibrated sigma\n"
    "or extrapolation grade is over a threshold are labelled with the reference potential, added\n"
    "to the training data and the model refitted, until the barrier's sigma is below the\n"
    "tolerance. Writes the final model <name>.h5 and the augmented data set <name>_data.h5\n"
    "(atomically, both or neither). Job keys: docs/mlip.md.\n"
    "  --outdir DIR   directory of the output files (default: the current directory)\n"
    "  --threads N    OpenMP threads (default: all cores); results do not depend on N\n";

namespace {

namespace fs = std::filesystem;

neb::ActiveLearningParams learn_params(const inputs::MlipJobLearn& l) {
  neb::ActiveLearningParams p;
  if (l.barrier_std_tolerance_eV) p.barrier_std_tolerance_eV = *l.barrier_std_tolerance_eV;
  if (l.image_std_threshold_eV) p.image_std_threshold_eV = *l.image_std_threshold_eV;
  if (l.grade_threshold) p.grade_threshold = *l.grade_threshold;
  if (l.max_refits) p.max_refits = *l.max_refits;
  if (l.min_std_decrease) p.min_std_decrease = *l.min_std_decrease;
  if (l.max_labels_per_iteration) p.max_labels_per_iteration = static_cast<std::size_t>(*l.max_labels_per_iteration);
  if (l.calibration_pairs_per_band)
    p.calibration_pairs_per_band = static_cast<std::size_t>(*l.calibration_pairs_per_band);
  if (l.label_weight) p.label_weight = *l.label_weight;
  p.reference_barrier = l.reference_barrier;
  return p;
}

void print_iteration(std::ostream& out, const neb::ActiveLearningIteration& it) {
  char line[320];
  std::snprintf(line, sizeof line,
                "  %4d %7zu  %8.1e  %6.2f  %-22s  %9.4f  %9.4f  %9.4f  %12.4f  %8.2f  %6.2f  %6.2f\n", it.iteration, it.training_frames,
                it.regularisation, it.calibration.difference,
                (it.hop_status == neb::HopStatus::ok ? neb::to_string(it.neb_status) : neb::to_string(it.hop_status)).c_str(),
                it.barrier_forward_eV, it.barrier_std_eV, it.barrier_noise_std_eV, it.max_image_std_eV, it.max_grade, it.fit_seconds,
                it.band_seconds);
  out << line << std::flush;
}

}  // namespace

int run_mlip_learn_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int exit_code = 0;
  const auto parsed = parse_job_command_arguments(args, "mlip learn", kMlipLearnHelp, out, err, exit_code);
  if (!parsed) return exit_code;

  // Everything the job can get wrong is checked before any work.
  const inputs::MlipLearnJob job = inputs::read_mlip_learn_job_file(parsed->job);
  const inputs::AtomisticJob& hop_job = job.hop_job;
  const MlipJobSource source{hop_job.source_path, &job.locations};
  const neb::HopParams hop_params_ = hop_params(hop_job);
  lattice::Structure host;
  if (hop_job.structure) host = load_job_structure(hop_job);
  neb::HopEndStates hop = build_job_hop(hop_job, host);
  const auto reference = make_job_potential(hop_job, hop.initial);

  const std::vector<lattice::XyzFrame> all_frames = load_mlip_frames(job.data.files, "data.files", source, job.data.exclude_config_types);
  MlipSplit split = split_job_frames(all_frames, job.split, source);
  neb::ActiveLearningData data;
  neb::ActiveLearningParams params = learn_params(job.learn);
  if (!job.model.empty()) {
    try {
      data.initial_model = read_mlip_model(job.model);
    } catch (const std::exception& e) {
      fail_at(source, "model.file", std::string("cannot use the model file: ") + e.what());
    }
    params.training = training_options_for_model(*data.initial_model, job.fit);
    check_species(split.training, params.training.basis.elements, "data.files", source);
  } else {
    params.training = training_options(job.basis, job.baseline, job.fit, split.training, source);
  }
  const std::string elements_key = job.model.empty() ? "basis.elements" : "model.file";
  check_species(split.held_out, params.training.basis.elements, elements_key, source);
  lattice::XyzFrame hop_frame;
  hop_frame.structure = hop.initial;
  check_species({hop_frame}, params.training.basis.elements, hop_job.structure ? "structure.file" : "hop.initial", source);
  params.calibration = calibration_options(job.calibration);
  params.hop = hop_params_;
  const fs::path model_path = parsed->outdir / (hop_job.name + ".h5");
  const fs::path data_path = parsed->outdir / (hop_job.name + "_data.h5");
  for (const fs::path& target : {model_path, data_path}) {
    std::vector<fs::path> inputs = job.data.files;
    inputs.insert(inputs.end(), job.split.held_out_files.begin(), job.split.held_out_files.end());
    if (!job.model.empty()) inputs.push_back(job.model);
    for (const fs::path& p : inputs) {
      std::error_code ec;
      if (fs::exists(target) && fs::equivalent(target, p, ec))
        fail_at(source, "job.name", "the output '" + target.string() + "' would replace the input '" + p.string() + "'");
    }
  }

  omp_set_num_threads(parsed->threads);
  const std::string potential_name =
      hop_job.potential.name.empty() ? hop_job.potential.spec.type + " (inline)" : hop_job.potential.name;
  out << "ionhop " << kVersion << ": mlip learn '" << hop_job.name << "' (" << parsed->job.string() << ")\n"
      << "# " << to_string(hop_job.hop.mechanism) << " hop, " << hop.initial.size() << " atoms, mobile atom " << hop.mobile_atom
      << " (" << hop.initial.species[hop.mobile_atom] << "); reference " << potential_name << "; " << split.training.size()
      << " training + " << split.held_out.size() << " held-out frames" << (job.model.empty() ? "" : ", starting model " + job.model.string())
      << "; " << parsed->threads << " thread(s)\n"
      << "# tolerance: barrier sigma < " << fmt("%g", params.barrier_std_tolerance_eV) << " eV; label images with sigma > "
      << fmt("%g", params.image_std_threshold_eV) << " eV or grade > " << fmt("%g", params.grade_threshold) << "; at most "
      << params.max_refits << " refits\n"
      << std::flush;

  const auto started = std::chrono::steady_clock::now();
  if (hop_job.structure && hop_job.relax.cell != inputs::JobCellRelax::none) {
    // The host relaxed on the reference (cell and atoms), as in `ionhop neb`, then the hop built in it.
    const neb::CellRelaxResult relaxed = neb::relax_cell(host, *reference, cell_relax_params(hop_job.relax));
    out << "# host cell relaxation on the reference (" << to_string(hop_job.relax.cell) << "): " << neb::to_string(relaxed.status)
        << ", V = " << fmt("%.4f", relaxed.structure.volume_A3()) << " A^3\n";
    if (!relaxed.converged) err << "ionhop: warning: the host cell relaxation stopped at its step limit; the hop is built in it anyway\n";
    host = relaxed.structure;
    hop = build_job_hop(hop_job, host);
  }
  out << "  iter  frames    lambda  kappa_D  band                    barrier[eV]  sigma[eV]  (noise)  max img sigma  max grade  fit[s]  band[s]\n";
  data.training = std::move(split.training);
  data.held_out = std::move(split.held_out);
  const neb::ActiveLearningResult result =
      neb::run_active_learning(hop, *reference, std::move(data), params, [&](const neb::ActiveLearningIteration& it) { print_iteration(out, it); });
  for (const neb::ActiveLearningIteration& it : result.iterations)
    if (!it.labelled_images.empty()) {
      std::string images;
      for (std::size_t k : it.labelled_images) {
        if (!images.empty()) images += ' ';
        images += std::to_string(k);
      }
      out << "  after iteration " << it.iteration << ": labelled images " << images << " (" << fmt("%.2f", it.label_seconds) << " s)\n";
    }
  const neb::ActiveLearningIteration& last = result.iterations.back();
  out << "  " << neb::to_string(result.status) << " after " << result.iterations.size() << " band(s), " << result.labelled_frames.size()
      << " frames labelled: barrier " << fmt("%.4f", last.barrier_forward_eV) << " +- " << fmt("%.4f", last.barrier_std_eV)
      << " eV (calibrated 1 sigma)\n";
  if (result.reference_hop) {
    const neb::HopResult& r = *result.reference_hop;
    if (r.status == neb::HopStatus::ok && r.neb.converged)
      out << "  reference barrier " << fmt("%.4f", r.barrier_forward_eV) << " eV; MLIP - reference "
          << fmt("%+.4f", last.barrier_forward_eV - r.barrier_forward_eV) << " eV\n";
    else
      out << "  reference band: " << (r.status == neb::HopStatus::ok ? neb::to_string(r.neb.status) : neb::to_string(r.status)) << "\n";
  }
  if (result.status == neb::ActiveLearningStatus::stalled)
    err << "ionhop: warning: the last refit lowered the barrier sigma by less than " << fmt("%g", 100.0 * params.min_std_decrease)
        << " %: stopped above the tolerance (the remaining sigma is the model's calibrated misfit)\n";
  else if (result.status == neb::ActiveLearningStatus::refit_limit)
    err << "ionhop: warning: the barrier sigma is still above the tolerance after " << params.max_refits << " refits\n";

  // The augmented data set: every input frame (training and held out, in the data's order),
  // then the labelled images.
  std::vector<lattice::XyzFrame> augmented = all_frames;
  augmented.insert(augmented.end(), result.labelled_frames.begin(), result.labelled_frames.end());
  const MlipDatasetMetadata metadata{{"job_name", hop_job.name},
                                     {"description", hop_job.description},
                                     {"job_text", hop_job.source_text},
                                     {"reference_potential", potential_name},
                                     {"reference_citation", hop_job.potential.citation}};
  AtomicFile staged_data = stage_mlip_dataset(data_path, augmented, metadata);
  // The model goes to a staged temporary file too (write_mlip_model is itself atomic onto it),
  // so both outputs are committed together.
  AtomicFile staged_model(model_path);
  write_mlip_model(staged_model.temp_path(), result.model);
  staged_model.commit();
  staged_data.commit();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << "  " << fmt("%.2f", wall) << " s; written " << model_path.string() << ", " << data_path.string() << "\n";
  return 0;
}

}  // namespace ionhop::app
