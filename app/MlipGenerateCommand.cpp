#include "app/MlipGenerateCommand.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "app/AtomicFile.hpp"
#include "app/AtomisticJobSetup.hpp"
#include "app/FormatNumber.hpp"
#include "app/JobCommandArguments.hpp"
#include "app/MlipDatasetFile.hpp"
#include "app/Version.hpp"
#include "inputs/MlipGenerateReader.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/AtomicMasses.hpp"
#include "neb/CellRelax.hpp"
#include "neb/TrainingSetGenerator.hpp"

namespace ionhop::app {

const char* const kMlipGenerateHelp =
    "usage: ionhop mlip generate JOB.toml [--outdir DIR] [--threads N]\n"
    "\n"
    "Labels training configurations for a machine-learned potential with the job's reference\n"
    "potential: strained cells, random displacements, vacancies, interstitials, Langevin MD\n"
    "snapshots and the images of a CI-NEB vacancy hop, each frame with energy, forces, stress and\n"
    "config_type. Writes (atomically, all files or none) <name>.xyz (extended XYZ) and/or\n"
    "<name>.h5 (HDF5 data set). Job keys and file layouts: docs/mlip-data.md.\n"
    "  --outdir DIR   directory of the output files (default: the current directory)\n"
    "  --threads N    OpenMP threads (default: all cores); results do not depend on N\n";

namespace {

namespace fs = std::filesystem;

/// The relax/NEB job view of the generate job, so the relax/NEB wiring (structure loading,
/// potential checks, errors at a key) is reused as it is.
inputs::AtomisticJob as_atomistic_job(const inputs::MlipGenerateJob& job) {
  inputs::AtomisticJob a;
  a.kind = inputs::AtomisticJobKind::relax;
  a.name = job.name;
  a.description = job.description;
  a.source_path = job.source_path;
  a.source_text = job.source_text;
  a.structure = job.structure;
  a.potential = job.potential;
  a.relax = job.relax;
  a.locations = job.locations;
  return a;
}

/// Checks that need the host (indices, species, masses), each reported at its key.
void check_against_host(const inputs::MlipGenerateJob& job, const inputs::AtomisticJob& view, const lattice::Structure& host) {
  std::map<std::string, std::size_t> have;
  for (const auto& s : host.species) ++have[s];
  if (job.vacancy.frames > 0) {
    std::map<std::string, std::size_t> wanted;
    for (const auto& s : job.vacancy.species) ++wanted[s];
    for (const auto& [name, count] : wanted)
      if (have[name] < count)
        fail_at_key(view, "vacancy.species", "the structure has " + std::to_string(have[name]) + " atom(s) of '" + name +
                                                 "', too few to remove " + std::to_string(count));
  }
  if (job.interstitial.frames > 0) {
    const std::set<std::string> known = neb::named_species(job.potential.spec);
    for (const auto& s : job.interstitial.species)
      if (!known.contains(s))
        fail_at_key(view, "interstitial.species", "no term of the potential names species '" + s + "'");
  }
  if (job.md.frames_per_temperature > 0 && !job.md.temperatures_K.empty()) {
    try {
      neb::atom_masses_u(host);
    } catch (const std::invalid_argument& e) {
      fail_at_key(view, "md", e.what());
    }
  }
  if (job.neb) {
    for (const auto& [key, index] : {std::pair{"neb.moving_atom", job.neb->moving_atom}, {"neb.vacancy_site", job.neb->vacancy_site}})
      if (index >= host.size())
        fail_at_key(view, key, "atom " + std::to_string(index) + " does not exist: the structure has " + std::to_string(host.size()) +
                                   " atoms (indices 0 to " + std::to_string(host.size() - 1) + ", supercell included)");
    const std::size_t m = job.neb->moving_atom, v = job.neb->vacancy_site;
    if (host.species[m] != host.species[v])
      fail_at_key(view, "neb.vacancy_site", "atom " + std::to_string(v) + " is " + host.species[v] + ", the moving atom " +
                                                std::to_string(m) + " is " + host.species[m] +
                                                ": a vacancy hop needs two atoms of one species");
  }
}

neb::TrainingSetPlan plan_of(const inputs::MlipGenerateJob& job, const inputs::AtomisticJob& view) {
  neb::TrainingSetPlan p;
  p.seed = job.seed;
  p.strained = {job.strained.frames, job.strained.max_strain, job.strained.displacement_A, job.strained.weight};
  p.displaced = {job.displaced.frames, job.displaced.displacement_A, job.displaced.weight};
  p.vacancy = {job.vacancy.frames, job.vacancy.species, job.vacancy.displacement_A, job.vacancy.weight};
  p.interstitial = {job.interstitial.frames, job.interstitial.species, job.interstitial.displacement_A, job.interstitial.weight};
  const inputs::GenerateMd& md = job.md;
  p.md.temperatures_K = md.temperatures_K;
  p.md.frames_per_temperature = md.frames_per_temperature;
  p.md.equilibration_steps = md.equilibration_steps;
  p.md.steps_between_frames = md.steps_between_frames;
  p.md.timestep_fs = md.timestep_fs;
  p.md.friction_per_fs = md.friction_per_fs;
  p.md.weight = md.weight;
  if (job.neb) {
    const inputs::GenerateNeb& g = *job.neb;
    neb::NebFrames n;
    n.moving_atom = g.moving_atom;
    n.vacancy_site = g.vacancy_site;
    n.weight = g.weight;
    n.hop.relax = relax_params(job.relax);
    neb::NebParams& b = n.hop.neb;
    if (g.images) b.images = *g.images;
    if (g.fmax_eV_A) b.fmax_eV_A = *g.fmax_eV_A;
    if (g.max_iterations) b.max_iterations = *g.max_iterations;
    if (g.method) b.method = *g.method == inputs::JobOptimizer::fire ? neb::RelaxMethod::fire : neb::RelaxMethod::lbfgs;
    if (g.climb) b.climbing = *g.climb;
    if (g.path) b.initial_path = *g.path == inputs::JobInitialPath::idpp ? neb::NebInitialPath::idpp : neb::NebInitialPath::linear;
    if (g.spring_eV_A2) b.springs.k_eV_A2 = *g.spring_eV_A2;
    // An end state relaxed to fmax is a minimum only if the band's test is no tighter.
    if (b.end_state_fmax_eV_A < n.hop.relax.fmax_eV_A)
      fail_at_key(view, "relax.fmax_eV_A", "must not exceed the NEB end-state test, " + fmt("%g", b.end_state_fmax_eV_A) + " eV/Å");
    p.neb = n;
  }
  return p;
}

void print_summary(std::ostream& out, const std::vector<lattice::XyzFrame>& frames, const neb::TrainingSetReport& report) {
  out << "  config_type      frames   atoms   E/atom min..max [eV]      max |F| [eV/A]   max |stress| [eV/A^3]\n";
  std::vector<std::string> order;
  for (const auto& f : frames)
    if (std::find(order.begin(), order.end(), f.config_type()) == order.end()) order.push_back(f.config_type());
  for (const std::string& type : order) {
    int count = 0;
    std::size_t atoms = 0;
    double e_min = 1e300, e_max = -1e300, f_max = 0.0, s_max = 0.0;
    for (const auto& f : frames) {
      if (f.config_type() != type) continue;
      ++count;
      atoms = std::max(atoms, f.structure.size());
      const double e = *f.energy_eV / static_cast<double>(f.structure.size());
      e_min = std::min(e_min, e);
      e_max = std::max(e_max, e);
      for (Eigen::Index i = 0; i < f.forces_eV_per_A->cols(); ++i) f_max = std::max(f_max, f.forces_eV_per_A->col(i).norm());
      if (f.stress_eV_per_A3) s_max = std::max(s_max, f.stress_eV_per_A3->cwiseAbs().maxCoeff());
    }
    char line[200];
    std::snprintf(line, sizeof line, "  %-14s %8d %7zu   %10.5f..%-10.5f   %14.4f   %18.5f\n", type.c_str(), count, atoms, e_min, e_max,
                  f_max, s_max);
    out << line;
  }
  if (report.frames_by_config_type.contains(neb::kConfigInterstitial))
    out << "  interstitials placed at least " << fmt("%.3f", report.min_interstitial_clearance_A) << " A from any atom\n";
  if (!report.neb_status.empty()) {
    out << "  neb: " << report.neb_status << ", " << report.neb_force_calls << " force calls";
    if (report.neb_status == "converged") out << ", forward barrier " << fmt("%.4f", report.neb_barrier_forward_eV) << " eV";
    out << "\n";
  }
}

}  // namespace

int run_mlip_generate_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int exit_code = 0;
  const auto parsed = parse_job_command_arguments(args, "mlip generate", kMlipGenerateHelp, out, err, exit_code);
  if (!parsed) return exit_code;
  const fs::path& outdir = parsed->outdir;
  const int threads = parsed->threads;
  const std::optional<fs::path> job_path = parsed->job;

  // Everything the job file can get wrong is checked before any work.
  const inputs::MlipGenerateJob job = inputs::read_mlip_generate_job_file(*job_path);
  const inputs::AtomisticJob view = as_atomistic_job(job);
  lattice::Structure host = load_job_structure(view);
  const auto reference = make_job_potential(view, host);
  check_against_host(job, view, host);
  const neb::TrainingSetPlan plan = plan_of(job, view);

  omp_set_num_threads(threads);
  const std::string potential_name = job.potential.name.empty() ? job.potential.spec.type + " (inline)" : job.potential.name;
  out << "ionhop " << kVersion << ": mlip generate '" << job.name << "' (" << job_path->string() << ")\n"
      << "# host " << host.size() << " atoms, reference potential " << potential_name << ", seed " << job.seed << ", "
      << threads << " thread(s)\n"
      << std::flush;
  const auto started = std::chrono::steady_clock::now();
  if (job.relax.cell != inputs::JobCellRelax::none) {
    const neb::CellRelaxResult relaxed = neb::relax_cell(host, *reference, cell_relax_params(job.relax));
    out << "# host cell relaxation (" << to_string(job.relax.cell) << "): " << neb::to_string(relaxed.status)
        << ", E = " << fmt("%.6f", relaxed.energy_eV) << " eV, V = " << fmt("%.4f", relaxed.structure.volume_A3()) << " A^3\n";
    if (!relaxed.converged) err << "ionhop: warning: the host cell relaxation stopped at its step limit; frames are built on it anyway\n";
    host = relaxed.structure;
  }
  neb::TrainingSetReport report;
  const std::vector<lattice::XyzFrame> frames = neb::generate_training_set(host, *reference, plan, &report);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // Stage every output, then commit them together: a failure leaves no output file.
  std::vector<AtomicFile> staged;
  std::vector<fs::path> written;
  if (job.output.xyz) {
    AtomicFile file(outdir / (job.name + ".xyz"));
    std::ofstream xyz(file.temp_path(), std::ios::binary | std::ios::trunc);
    xyz << lattice::format_extxyz(frames);
    xyz.close();
    if (!xyz) throw std::runtime_error("cannot write '" + file.temp_path().string() + "'");
    written.push_back(file.target_path());
    staged.push_back(std::move(file));
  }
  if (job.output.h5) {
    const MlipDatasetMetadata metadata{{"job_name", job.name},
                                       {"description", job.description},
                                       {"job_text", job.source_text},
                                       {"reference_potential", potential_name},
                                       {"reference_citation", job.potential.citation},
                                       {"seed", std::to_string(job.seed)}};
    written.push_back(outdir / (job.name + ".h5"));
    staged.push_back(stage_mlip_dataset(written.back(), frames, metadata));
  }
  for (AtomicFile& file : staged) file.commit();

  out << "  " << frames.size() << " frames in " << fmt("%.2f", wall) << " s\n";
  print_summary(out, frames, report);
  for (const fs::path& p : written) out << "  written " << p.string() << "\n";
  return 0;
}

}  // namespace ionhop::app
