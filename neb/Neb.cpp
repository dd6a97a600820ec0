#include "neb/Neb.hpp"

#include <cmath>
#include <stdexcept>

#include "neb/Idpp.hpp"
#include "neb/NebBand.hpp"
#include "neb/NebPath.hpp"

namespace ionhop::neb {

std::string to_string(NebStatus s) {
  switch (s) {
    case NebStatus::converged: return "converged";
    case NebStatus::step_limit: return "step_limit";
    case NebStatus::end_states_not_minima: return "end_states_not_minima";
    case NebStatus::image_collapse: return "image_collapse";
    case NebStatus::uncertainty_too_high: return "uncertainty_too_high";
  }
  return "unknown";
}

namespace {

void check(const NebParams& p) {
  if (!(p.fmax_eV_A > 0.0) || !(p.max_step_A > 0.0) || p.max_iterations < 0 || p.climb_after_iterations < 0 ||
      p.collapse_patience_iterations < 0 ||
      !(p.end_state_fmax_eV_A > 0.0) || !(p.min_spacing_ratio >= 0.0 && p.min_spacing_ratio < 1.0) ||
      !(p.max_energy_std_eV > 0.0)) {
    throw std::invalid_argument("NebParams: invalid values");
  }
}

double largest_std(const NebBand& band) {
  double s = 0.0;
  for (const auto& v : band.variances_eV2()) {
    if (v) s = std::max(s, std::sqrt(std::max(*v, 0.0)));
  }
  return s;
}

NebResult collect(const NebBand& band, NebStatus status, int iterations, std::vector<double> history, double std_max) {
  NebResult r;
  r.status = status;
  r.converged = status == NebStatus::converged;
  r.images = band.images();
  r.energies_eV = band.energies_eV();
  r.reaction_coordinate_A = reaction_coordinate(r.images);
  r.saddle_index = band.highest_image();
  r.saddle = r.images[r.saddle_index];
  const double e_max = r.energies_eV[r.saddle_index];
  r.barrier_forward_eV = e_max - r.energies_eV.front();
  r.barrier_backward_eV = e_max - r.energies_eV.back();
  r.iterations = iterations;
  r.force_calls = band.force_calls();
  r.max_force_eV_A = band.residual(band.neb_force());
  r.max_force_history_eV_A = std::move(history);
  r.max_energy_std_eV = std_max;
  return r;
}

}  // namespace

NebResult run_neb_from_band(std::vector<lattice::Structure> images, const Potential& potential, const NebParams& params) {
  check(params);
  std::vector<const Potential*> pots(images.size(), &potential);
  NebBand band(std::move(images), std::move(pots), params.springs);
  std::vector<double> history;
  double std_max = largest_std(band);
  if (band.end_state_fmax_eV_A() > params.end_state_fmax_eV_A) {
    return collect(band, NebStatus::end_states_not_minima, 0, history, std_max);
  }
  auto optimizer = make_step_optimizer(params.method, params.max_step_A);
  bool climb_wanted = params.climbing;
  if (climb_wanted && params.climb_after_iterations == 0) {
    band.set_climbing(true);
    climb_wanted = false;
  }
  Eigen::VectorXd x = band.coordinates();
  Eigen::VectorXd f = band.neb_force();
  int collapsed_iterations = 0;
  for (int it = 0;; ++it) {
    std_max = std::max(std_max, largest_std(band));
    if (std_max > params.max_energy_std_eV) return collect(band, NebStatus::uncertainty_too_high, it, history, std_max);
    if (band.min_spacing_ratio() < params.min_spacing_ratio) {
      ++collapsed_iterations;
    } else {
      collapsed_iterations = 0;
    }
    if (band.path_length_A() < 1e-6 || collapsed_iterations > params.collapse_patience_iterations) {
      return collect(band, NebStatus::image_collapse, it, history, std_max);
    }
    if (climb_wanted && (it >= params.climb_after_iterations || band.residual(f) < params.fmax_eV_A)) {
      // The force field changes under the optimizer: its history no longer applies.
      band.set_climbing(true);
      climb_wanted = false;
      optimizer->reset();
      f = band.neb_force();
    }
    const double res = band.residual(f);
    history.push_back(res);
    if (res < params.fmax_eV_A && !climb_wanted) return collect(band, NebStatus::converged, it, history, std_max);
    if (it >= params.max_iterations) return collect(band, NebStatus::step_limit, it, history, std_max);
    x += optimizer->step(x, f, band);
    band.evaluate(x, f);
    for (const auto& e : band.energies_eV()) {
      if (!std::isfinite(e)) throw std::runtime_error("NEB: non-finite image energy");
    }
    if (!f.allFinite()) throw std::runtime_error("NEB: non-finite image force");
  }
}

NebResult run_neb(const lattice::Structure& initial, const lattice::Structure& final_state, const Potential& potential,
                  const NebParams& params) {
  check(params);
  std::vector<lattice::Structure> band = params.initial_path == NebInitialPath::idpp
                                             ? idpp_path(initial, final_state, params.images)
                                             : linear_path(initial, final_state, params.images);
  return run_neb_from_band(std::move(band), potential, params);
}

}  // namespace ionhop::neb
