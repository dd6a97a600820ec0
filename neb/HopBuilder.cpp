#include "neb/HopBuilder.hpp"

#include <algorithm>
#include <stdexcept>

#include "neb/NebPath.hpp"

namespace ionhop::neb {

std::string to_string(HopStatus s) {
  switch (s) {
    case HopStatus::ok: return "ok";
    case HopStatus::end_state_not_relaxed: return "end_state_not_relaxed";
    case HopStatus::end_state_left_site: return "end_state_left_site";
  }
  return "unknown";
}

HopEndStates build_vacancy_hop(const lattice::Structure& host, std::size_t moving_atom, std::size_t vacancy_atom) {
  const std::size_t n = host.size();
  if (moving_atom >= n || vacancy_atom >= n || moving_atom == vacancy_atom) {
    throw std::invalid_argument("build_vacancy_hop: atom indices out of range or equal");
  }
  if (host.is_fixed(moving_atom)) throw std::invalid_argument("build_vacancy_hop: the moving ion is fixed");
  if (host.positions.cols() != static_cast<Eigen::Index>(n)) throw std::invalid_argument("build_vacancy_hop: positions and species differ in size");
  HopEndStates h;
  lattice::Structure& a = h.initial;
  a.cell = host.cell;
  a.pbc = host.pbc;
  a.positions.resize(3, static_cast<Eigen::Index>(n - 1));
  for (std::size_t i = 0, c = 0; i < n; ++i) {
    if (i == vacancy_atom) continue;
    a.species.push_back(host.species[i]);
    if (!host.fixed.empty()) a.fixed.push_back(host.fixed[i]);
    a.positions.col(static_cast<Eigen::Index>(c++)) = host.positions.col(static_cast<Eigen::Index>(i));
  }
  h.mobile_atom = moving_atom > vacancy_atom ? moving_atom - 1 : moving_atom;
  h.final_state = a;
  h.final_state.positions.col(static_cast<Eigen::Index>(h.mobile_atom)) = host.positions.col(static_cast<Eigen::Index>(vacancy_atom));
  return h;
}

HopEndStates build_interstitial_hop(const lattice::Structure& host, const std::string& species,
                                    const Eigen::Vector3d& from_A, const Eigen::Vector3d& to_A) {
  HopEndStates h;
  h.initial = host;
  const Eigen::Index n = host.positions.cols();
  h.initial.species.push_back(species);
  if (!host.fixed.empty()) h.initial.fixed.push_back(0);
  h.initial.positions.conservativeResize(3, n + 1);
  h.initial.positions.col(n) = from_A;
  h.final_state = h.initial;
  h.final_state.positions.col(n) = to_A;
  h.mobile_atom = static_cast<std::size_t>(n);
  return h;
}

namespace {
// Largest minimum-image displacement between two states of the same atoms.
double max_displacement(const lattice::Structure& before, const lattice::Structure& after) {
  const lattice::Structure unwrapped = unwrap_to(before, after);
  return (unwrapped.positions - before.positions).colwise().norm().maxCoeff();
}
}  // namespace

HopResult run_hop(const HopEndStates& hop, const Potential& potential, const HopParams& params) {
  if (!(params.site_tolerance_A > 0.0)) throw std::invalid_argument("run_hop: site_tolerance_A must be > 0");
  if (params.neb.end_state_fmax_eV_A < params.relax.fmax_eV_A) {
    // Otherwise a correctly relaxed end state could be rejected as "not a minimum".
    throw std::invalid_argument("run_hop: neb.end_state_fmax_eV_A must be ≥ relax.fmax_eV_A");
  }
  HopResult r;
  r.unrelaxed = hop;
  r.initial_relaxed = relax(hop.initial, potential, params.relax);
  r.final_relaxed = relax(hop.final_state, potential, params.relax);
  r.force_calls = r.initial_relaxed.force_calls + r.final_relaxed.force_calls;
  r.initial_max_displacement_A = max_displacement(hop.initial, r.initial_relaxed.structure);
  r.final_max_displacement_A = max_displacement(hop.final_state, r.final_relaxed.structure);
  r.energy_initial_eV = r.initial_relaxed.energy_eV;
  r.energy_final_eV = r.final_relaxed.energy_eV;
  if (!r.initial_relaxed.converged || !r.final_relaxed.converged) {
    r.status = HopStatus::end_state_not_relaxed;
    return r;
  }
  if (std::max(r.initial_max_displacement_A, r.final_max_displacement_A) > params.site_tolerance_A) {
    r.status = HopStatus::end_state_left_site;
    return r;
  }
  r.neb = run_neb(r.initial_relaxed.structure, r.final_relaxed.structure, potential, params.neb);
  r.force_calls += r.neb.force_calls;
  r.barrier_forward_eV = r.neb.barrier_forward_eV;
  r.barrier_backward_eV = r.neb.barrier_backward_eV;
  return r;
}

}  // namespace ionhop::neb
