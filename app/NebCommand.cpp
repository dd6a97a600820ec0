#include "app/NebCommand.hpp"

#include <omp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "app/AtomisticJobSetup.hpp"
#include "app/FormatNumber.hpp"
#include "app/JobCommandArguments.hpp"
#include "app/AtomisticResults.hpp"
#include "app/Version.hpp"
#include "inputs/RelaxNebReader.hpp"

namespace ionhop::app {

const char* const kNebHelp =
    "usage: ionhop neb NEB.toml [--outdir DIR] [--threads N]\n"
    "\n"
    "Builds the job's hop (vacancy or interstitial in the host structure, or a band between two\n"
    "given end states), relaxes both end states, runs climbing-image NEB, prints the energy\n"
    "profile and the barriers, and writes (atomically) <name>_neb.h5 (the NEB record), and when\n"
    "the band ran <name>_neb.xyz (all images) and <name>_saddle.xyz. Job file and record\n"
    "format: docs/relax-neb-format.md.\n"
    "  --outdir DIR   directory of the output files (default: the current directory)\n"
    "  --threads N    OpenMP threads over the images (default: all cores); results do not depend on N\n";

namespace {

namespace fs = std::filesystem;

}  // namespace

int run_neb_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  int exit_code = 0;
  const auto parsed = parse_job_command_arguments(args, "neb", kNebHelp, out, err, exit_code);
  if (!parsed) return exit_code;
  const fs::path& outdir = parsed->outdir;
  const int threads = parsed->threads;
  const std::optional<fs::path> job_path = parsed->job;

  const inputs::AtomisticJob job = inputs::read_atomistic_job_file(*job_path, inputs::AtomisticJobKind::neb);
  const neb::HopParams params = hop_params(job);
  lattice::Structure host;
  if (job.structure) host = load_job_structure(job);
  neb::HopEndStates hop = build_job_hop(job, host);
  const auto potential = make_job_potential(job, hop.initial);

  omp_set_num_threads(threads);
  const std::string potential_name =
      job.potential.name.empty() ? job.potential.spec.type + " (inline)" : job.potential.name;
  out << "ionhop " << kVersion << ": neb '" << job.name << "' (" << job_path->string() << ")\n"
      << "# " << to_string(job.hop.mechanism) << " hop, " << hop.initial.size() << " atoms, mobile atom "
      << hop.mobile_atom << " (" << hop.initial.species[hop.mobile_atom] << "), potential " << potential_name << ", "
      << params.neb.images << " images, " << threads << " thread(s)\n"
      << std::flush;

  const auto started = std::chrono::steady_clock::now();
  NebRunMetadata meta;
  meta.threads = threads;
  if (job.structure && job.relax.cell != inputs::JobCellRelax::none) {
    // Relax the perfect host (cell and atoms) first, then build the hop in it.
    const neb::CellRelaxResult relaxed = neb::relax_cell(host, *potential, cell_relax_params(job.relax));
    meta.host_force_calls = relaxed.force_calls;
    out << "# host cell relaxation (" << to_string(job.relax.cell) << "): " << neb::to_string(relaxed.status)
        << ", E = " << fmt("%.6f", relaxed.energy_eV) << " eV, V = " << fmt("%.4f", relaxed.structure.volume_A3())
        << " A^3, " << relaxed.force_calls << " force calls\n";
    if (!relaxed.converged) {
      err << "ionhop: warning: the host cell relaxation stopped at its step limit; the hop is built in it anyway\n";
    }
    host = relaxed.structure;
    hop = build_job_hop(job, host);
  }
  const neb::HopResult result = neb::run_hop(hop, *potential, params);
  meta.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const fs::path h5_path = outdir / (job.name + "_neb.h5");
  const fs::path band_path = outdir / (job.name + "_neb.xyz");
  const fs::path saddle_path = outdir / (job.name + "_saddle.xyz");
  OutputSet outputs;
  outputs.add_neb_record(h5_path, job, result, meta);
  const bool band_ran = result.status == neb::HopStatus::ok;
  if (band_ran) {
    const std::vector<lattice::XyzFrame> frames = band_frames(result.neb);
    outputs.add_extxyz(band_path, frames);
    lattice::XyzFrame saddle = frames[result.neb.saddle_index];
    saddle.info["barrier_forward_eV"] = fmt("%.17g", result.neb.barrier_forward_eV);
    saddle.info["barrier_backward_eV"] = fmt("%.17g", result.neb.barrier_backward_eV);
    outputs.add_extxyz(saddle_path, {saddle});
  }
  outputs.commit_all();

  out << "  end states      initial " << neb::to_string(result.initial_relaxed.status) << " ("
      << result.initial_relaxed.force_calls << " force calls, max displacement "
      << fmt("%.3f", result.initial_max_displacement_A) << " A), final " << neb::to_string(result.final_relaxed.status)
      << " (" << result.final_relaxed.force_calls << ", " << fmt("%.3f", result.final_max_displacement_A) << " A)\n"
      << "  hop status      " << neb::to_string(result.status) << "\n";
  if (band_ran) {
    const neb::NebResult& r = result.neb;
    out << "  neb status      " << neb::to_string(r.status) << " after " << r.iterations << " iterations, max force "
        << fmt("%.3e", r.max_force_eV_A) << " eV/A\n"
        << "  image   reaction coordinate [A]   E - E_initial [eV]\n";
    for (std::size_t i = 0; i < r.energies_eV.size(); ++i) {
      out << "  " << fmt("%5.0f", static_cast<double>(i)) << "   " << fmt("%23.4f", r.reaction_coordinate_A[i]) << "   "
          << fmt("%18.6f", r.energies_eV[i] - r.energies_eV.front()) << (i == r.saddle_index ? "  <- saddle" : "")
          << "\n";
    }
    out << "  barrier         forward " << fmt("%.6f", r.barrier_forward_eV) << " eV, backward "
        << fmt("%.6f", r.barrier_backward_eV) << " eV\n";
  }
  out << "  force calls     " << result.force_calls + meta.host_force_calls << " (band "
      << (band_ran ? result.neb.force_calls : 0) << ")\n"
      << "  wall time       " << fmt("%.3f", meta.wall_time_s) << " s\n"
      << "  written         " << h5_path.string();
  if (band_ran) out << ", " << band_path.string() << ", " << saddle_path.string();
  out << "\n";
  if (!band_ran) {
    err << "ionhop: warning: no band was run (" << neb::to_string(result.status) << ")\n";
  } else if (!result.neb.converged) {
    err << "ionhop: warning: the band did not converge (" << neb::to_string(result.neb.status) << ")\n";
  }
  return 0;
}

}  // namespace ionhop::app
