#include "app/RelaxCommand.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <optional>

#include "app/AtomisticJobSetup.hpp"
#include "app/AtomisticResults.hpp"
#include "app/FormatNumber.hpp"
#include "app/Version.hpp"
#include "inputs/RelaxNebReader.hpp"

namespace ionhop::app {

const char* const kRelaxHelp =
    "usage: ionhop relax RELAX.toml [-o OUT.xyz]\n"
    "\n"
    "Relaxes the job's structure (atoms; the cell too with [relax] cell) with its potential,\n"
    "prints energy, largest force, steps, force calls and the cell, and writes the relaxed\n"
    "structure as extended XYZ (atomically). Job file format: docs/relax-neb-format.md.\n"
    "  -o OUT.xyz     output file (default: <job name>_relaxed.xyz)\n";

namespace {

namespace fs = std::filesystem;

/// What the optimizer reports, for both fixed-cell and cell relaxations.
struct RelaxOutcome {
  lattice::Structure structure;
  double energy_eV = 0.0, fmax_eV_A = 0.0;
  int steps = 0, force_calls = 0;
  std::string status;
  std::optional<double> max_stress_eV_A3;
};

void print_cell(std::ostream& out, const Eigen::Matrix3d& cell) {
  const Eigen::Vector3d a = cell.col(0), b = cell.col(1), c = cell.col(2);
  auto angle = [](const Eigen::Vector3d& u, const Eigen::Vector3d& v) {
    return std::acos(std::clamp(u.dot(v) / (u.norm() * v.norm()), -1.0, 1.0)) * 180.0 / std::numbers::pi;
  };
  out << "  cell a, b, c    " << fmt("%.6f", a.norm()) << " " << fmt("%.6f", b.norm()) << " " << fmt("%.6f", c.norm())
      << " A\n  alpha, beta, gamma " << fmt("%.4f", angle(b, c)) << " " << fmt("%.4f", angle(a, c)) << " "
      << fmt("%.4f", angle(a, b)) << " deg\n  volume          " << fmt("%.6f", std::abs(cell.determinant())) << " A^3\n";
}

}  // namespace

int run_relax_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::optional<fs::path> job_path, out_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << kRelaxHelp;
      return 0;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      if (++i >= args.size()) {
        err << "ionhop: error: " << a << " expects a file name\n";
        return 2;
      }
      out_path = args[i];
    } else if ((!a.empty() && a[0] == '-') || job_path) {
      err << "ionhop: error: " << (job_path ? "relax takes one job file" : "unknown option '" + a + "'") << "\n"
          << kRelaxHelp;
      return 2;
    } else {
      job_path = a;
    }
  }
  if (!job_path) {
    err << "ionhop: error: relax expects a job file\n" << kRelaxHelp;
    return 2;
  }

  const inputs::AtomisticJob job = inputs::read_atomistic_job_file(*job_path, inputs::AtomisticJobKind::relax);
  if (!out_path) out_path = job.name + "_relaxed.xyz";
  if (out_path->has_parent_path() && !fs::is_directory(out_path->parent_path())) {
    err << "ionhop: error: output directory '" << out_path->parent_path().string() << "' does not exist\n";
    return 2;
  }
  const lattice::Structure start = load_job_structure(job);
  const auto potential = make_job_potential(job, start);

  const std::string potential_name =
      job.potential.name.empty() ? job.potential.spec.type + " (inline)" : job.potential.name;
  out << "ionhop " << kVersion << ": relax '" << job.name << "' (" << job_path->string() << ")\n"
      << "# " << start.size() << " atoms from " << job.structure->file.string() << ", potential " << potential_name
      << ", cell relaxation " << to_string(job.relax.cell) << "\n"
      << std::flush;

  const auto started = std::chrono::steady_clock::now();
  RelaxOutcome r;
  if (job.relax.cell == inputs::JobCellRelax::none) {
    const neb::RelaxResult res = neb::relax(start, *potential, relax_params(job.relax));
    r = {res.structure, res.energy_eV, res.fmax_eV_A, res.steps, res.force_calls, neb::to_string(res.status), {}};
  } else {
    const neb::CellRelaxResult res = neb::relax_cell(start, *potential, cell_relax_params(job.relax));
    r = {res.structure,  res.energy_eV, res.fmax_eV_A, res.steps, res.force_calls, neb::to_string(res.status),
         res.max_stress_eV_A3};
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The written frame carries the forces of the relaxed structure (ASE's `forces` column).
  const neb::PotentialResult final_eval = potential->compute(r.structure, {});
  lattice::XyzFrame frame;
  frame.structure = r.structure;
  frame.energy_eV = r.energy_eV;
  frame.forces_eV_per_A = final_eval.forces;
  frame.info["status"] = r.status;
  frame.info["fmax_eV_A"] = fmt("%.9g", r.fmax_eV_A);
  frame.info["steps"] = std::to_string(r.steps);
  frame.info["force_calls"] = std::to_string(r.force_calls);
  frame.info["job"] = job.name;
  OutputSet outputs;
  outputs.add_extxyz(*out_path, {frame});
  outputs.commit_all();

  out << "  status          " << r.status << "\n"
      << "  energy          " << fmt("%.8f", r.energy_eV) << " eV (" << fmt("%.8f", r.energy_eV / r.structure.size())
      << " eV/atom)\n"
      << "  max force       " << fmt("%.3e", r.fmax_eV_A) << " eV/A\n";
  if (r.max_stress_eV_A3) {
    out << "  max stress      " << fmt("%.3e", *r.max_stress_eV_A3) << " eV/A^3 ("
        << fmt("%.4f", *r.max_stress_eV_A3 * 160.21766208) << " GPa)\n";
  }
  out << "  steps           " << r.steps << "\n  force calls     " << r.force_calls << "\n";
  print_cell(out, r.structure.cell);
  out << "  wall time       " << fmt("%.3f", wall) << " s\n  written         " << out_path->string() << "\n";
  if (r.status != "converged") {
    err << "ionhop: warning: the relaxation stopped at its step limit (max force " << fmt("%.3e", r.fmax_eV_A)
        << " eV/A); raise [relax] max_steps\n";
  }
  return 0;
}

}  // namespace ionhop::app
