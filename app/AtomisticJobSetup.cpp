#include "app/AtomisticJobSetup.hpp"

#include <cmath>
#include <set>
#include <vector>

#include "app/MlipModelFile.hpp"

#include "inputs/StudyError.hpp"
#include "lattice/StructureFileError.hpp"
#include "lattice/StructureGeometry.hpp"
#include "lattice/StructureIO.hpp"
#include "neb/PotentialError.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::app {

namespace {

neb::RelaxMethod method_of(inputs::JobOptimizer m) {
  return m == inputs::JobOptimizer::fire ? neb::RelaxMethod::fire : neb::RelaxMethod::lbfgs;
}

std::size_t checked_index(const inputs::AtomisticJob& job, const lattice::Structure& host, std::size_t index,
                          const std::string& key_path) {
  if (index >= host.size()) {
    fail_at_key(job, key_path, "atom " + std::to_string(index) + " does not exist: the structure has " +
                                   std::to_string(host.size()) + " atoms (indices 0 to " +
                                   std::to_string(host.size() - 1) + ", supercell included)");
  }
  return index;
}

/// Whether a term of the spec is an MLIP, whose species are those of its model file (checked
/// when the potential first evaluates the structure).
bool has_mlip_term(const neb::PotentialSpec& spec) {
  if (spec.type == "mlip") return true;
  for (const auto& term : spec.terms)
    if (has_mlip_term(term)) return true;
  return false;
}

}  // namespace

void fail_at_key(const inputs::AtomisticJob& job, const std::string& key_path, const std::string& message) {
  const inputs::InputLocation at = job.locations.find(key_path);
  throw inputs::StudyError({inputs::Diagnostic{job.source_path, at.line, at.column, key_path, message}});
}

lattice::Structure load_job_structure_file(const inputs::AtomisticJob& job, const std::filesystem::path& file,
                                           const std::string& key_path) {
  try {
    return lattice::read_structure(file.string());
  } catch (const lattice::StructureFileError& e) {
    fail_at_key(job, key_path, "cannot use the structure file: " + std::string(e.what()));
  }
}

lattice::Structure load_job_structure(const inputs::AtomisticJob& job) {
  const inputs::JobStructure& spec = job.structure.value();
  lattice::Structure s = load_job_structure_file(job, spec.file, "structure.file");
  if (s.size() == 0) fail_at_key(job, "structure.file", "the structure file holds no atoms");
  if (spec.supercell != std::array<int, 3>{1, 1, 1}) s = lattice::make_supercell(s, spec.supercell);
  return s;
}

std::unique_ptr<neb::Potential> make_job_potential(const inputs::AtomisticJob& job, const lattice::Structure& probe) {
  // Problems are reported at the key that names what failed: the parameter file, an inline
  // MLIP's model file (not a model, unreadable, inconsistent), or the inline potential's type.
  const std::string key = !job.potential.file.empty()          ? "potential.file"
                          : job.potential.spec.type == "mlip" ? "potential.model"
                                                              : "potential.type";
  std::unique_ptr<neb::Potential> potential;
  try {
    potential = app_potentials().create(job.potential.spec);  // built-ins and "mlip"
  } catch (const neb::PotentialSpecError& e) {
    fail_at_key(job, key, e.what());
  }
  // A species that no term of the potential names would feel no force at all: almost surely a
  // misspelt or a wrong potential (pair terms skip pairs they do not list).
  const std::set<std::string> known = neb::named_species(job.potential.spec);
  for (const std::string& species : has_mlip_term(job.potential.spec) ? std::vector<std::string>{} : probe.species) {
    if (!known.contains(species)) {
      std::string list;
      for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
      fail_at_key(job, key, "the structure has species '" + species + "', which no term of the potential names (it names: " +
                                list + ")");
    }
  }
  // One evaluation finds what else the potential cannot evaluate before any optimizer starts.
  try {
    const neb::PotentialResult r = potential->compute(probe, {});
    if (!std::isfinite(r.energy_eV)) fail_at_key(job, key, "the potential gives a non-finite energy for the structure");
  } catch (const neb::PotentialEvaluationError& e) {
    fail_at_key(job, key, std::string("the potential cannot evaluate the structure: ") + e.what());
  }
  return potential;
}

neb::RelaxParams relax_params(const inputs::JobRelax& relax) {
  neb::RelaxParams p;
  if (relax.method) p.method = method_of(*relax.method);
  if (relax.fmax_eV_A) p.fmax_eV_A = *relax.fmax_eV_A;
  if (relax.max_steps) p.max_steps = *relax.max_steps;
  if (relax.max_step_A) p.max_step_A = *relax.max_step_A;
  return p;
}

neb::CellRelaxParams cell_relax_params(const inputs::JobRelax& relax) {
  neb::CellRelaxParams p;
  p.relax = relax_params(relax);
  p.mode = relax.cell == inputs::JobCellRelax::orthorhombic ? neb::CellRelaxMode::orthorhombic
                                                            : neb::CellRelaxMode::isotropic;
  if (relax.stress_tol_eV_A3) p.stress_tol_eV_A3 = *relax.stress_tol_eV_A3;
  return p;
}

neb::HopParams hop_params(const inputs::AtomisticJob& job) {
  neb::HopParams h;
  h.relax = relax_params(job.relax);
  const inputs::JobNeb& n = job.neb;
  neb::NebParams& p = h.neb;
  if (n.images) p.images = *n.images;
  if (n.springs) {
    p.springs.mode = *n.springs == inputs::JobSprings::energy_weighted ? neb::NebSpringMode::energy_weighted
                                                                       : neb::NebSpringMode::constant;
  }
  if (n.spring_eV_A2) p.springs.k_eV_A2 = *n.spring_eV_A2;
  if (n.spring_min_eV_A2) p.springs.k_min_eV_A2 = *n.spring_min_eV_A2;
  if (n.climb) p.climbing = *n.climb;
  if (n.climb_after_iterations) p.climb_after_iterations = *n.climb_after_iterations;
  if (n.method) p.method = method_of(*n.method);
  if (n.fmax_eV_A) p.fmax_eV_A = *n.fmax_eV_A;
  if (n.max_iterations) p.max_iterations = *n.max_iterations;
  if (n.max_step_A) p.max_step_A = *n.max_step_A;
  if (n.path) p.initial_path = *n.path == inputs::JobInitialPath::idpp ? neb::NebInitialPath::idpp : neb::NebInitialPath::linear;
  if (n.end_state_fmax_eV_A) p.end_state_fmax_eV_A = *n.end_state_fmax_eV_A;
  if (n.site_tolerance_A) h.site_tolerance_A = *n.site_tolerance_A;
  if (p.springs.mode == neb::NebSpringMode::energy_weighted && p.springs.k_min_eV_A2 > p.springs.k_eV_A2) {
    fail_at_key(job, "neb.spring_eV_A2", "k_max = " + std::to_string(p.springs.k_eV_A2) +
                                             " eV/Å² is below k_min = " + std::to_string(p.springs.k_min_eV_A2) + " eV/Å²");
  }
  // An end state relaxed to fmax is a minimum only if the band's test is no tighter.
  if (p.end_state_fmax_eV_A < h.relax.fmax_eV_A) {
    fail_at_key(job, n.end_state_fmax_eV_A ? "neb.end_state_fmax_eV_A" : "relax.fmax_eV_A",
                "neb.end_state_fmax_eV_A (" + std::to_string(p.end_state_fmax_eV_A) +
                    " eV/Å) must not be below relax.fmax_eV_A (" + std::to_string(h.relax.fmax_eV_A) + " eV/Å)");
  }
  return h;
}

neb::HopEndStates build_job_hop(const inputs::AtomisticJob& job, const lattice::Structure& host) {
  const inputs::JobHop& hop = job.hop;
  switch (hop.mechanism) {
    case inputs::JobHopMechanism::vacancy: {
      const std::size_t moving = checked_index(job, host, hop.moving_atom, "hop.moving_atom");
      const std::size_t vacancy = checked_index(job, host, hop.vacancy_site, "hop.vacancy_site");
      if (host.species[moving] != host.species[vacancy]) {
        fail_at_key(job, "hop.vacancy_site", "atom " + std::to_string(vacancy) + " is " + host.species[vacancy] +
                                                 ", the moving atom " + std::to_string(moving) + " is " +
                                                 host.species[moving] + ": a vacancy hop needs two atoms of one species");
      }
      if (host.is_fixed(moving)) fail_at_key(job, "hop.moving_atom", "the moving atom is fixed in the structure file");
      return neb::build_vacancy_hop(host, moving, vacancy);
    }
    case inputs::JobHopMechanism::interstitial: {
      const Eigen::Vector3d from = host.cell * Eigen::Vector3d(hop.from_fractional.data());
      const Eigen::Vector3d to = host.cell * Eigen::Vector3d(hop.to_fractional.data());
      return neb::build_interstitial_hop(host, hop.species, from, to);
    }
    case inputs::JobHopMechanism::band: {
      neb::HopEndStates h;
      h.initial = load_job_structure_file(job, hop.initial_file, "hop.initial");
      h.final_state = load_job_structure_file(job, hop.final_file, "hop.final");
      if (h.initial.size() != h.final_state.size() || h.initial.species != h.final_state.species) {
        fail_at_key(job, "hop.final", "the final state must hold the same atoms in the same order as the initial state (" +
                                          std::to_string(h.initial.size()) + " vs " +
                                          std::to_string(h.final_state.size()) + " atoms)");
      }
      if (!h.initial.cell.isApprox(h.final_state.cell, 1e-10)) {
        fail_at_key(job, "hop.final", "the final state's cell differs from the initial state's");
      }
      // The mobile atom of a band given as two files: the one that moves furthest.
      double longest = -1.0;
      for (std::size_t i = 0; i < h.initial.size(); ++i) {
        const double d = lattice::minimum_image(h.initial, h.initial.positions.col(static_cast<Eigen::Index>(i)),
                                                h.final_state.positions.col(static_cast<Eigen::Index>(i)))
                             .distance_A;
        if (d > longest) {
          longest = d;
          h.mobile_atom = i;
        }
      }
      return h;
    }
  }
  fail_at_key(job, "hop.mechanism", "unknown mechanism");
}

}  // namespace ionhop::app
