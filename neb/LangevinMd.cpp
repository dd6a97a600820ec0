#include "neb/LangevinMd.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "lattice/Units.hpp"
#include "neb/AtomicMasses.hpp"

namespace ionhop::neb {

namespace {

void check_params(const LangevinParams& p) {
  if (!(p.temperature_K >= 0.0) || !std::isfinite(p.temperature_K))
    throw std::invalid_argument("LangevinMd: temperature_K must be finite and ≥ 0");
  if (!(p.timestep_fs > 0.0) || !std::isfinite(p.timestep_fs)) throw std::invalid_argument("LangevinMd: timestep_fs must be > 0");
  if (!(p.friction_per_fs >= 0.0) || !std::isfinite(p.friction_per_fs))
    throw std::invalid_argument("LangevinMd: friction_per_fs must be finite and ≥ 0");
}

}  // namespace

LangevinMd::LangevinMd(const lattice::Structure& start, const Potential& potential, std::vector<double> masses_u,
                       const LangevinParams& params)
    : structure_(start), potential_(&potential), masses_u_(std::move(masses_u)), params_(params),
      rng_(params.seed, params.stream) {
  check_params(params_);
  if (masses_u_.size() != structure_.size())
    throw std::invalid_argument("LangevinMd: " + std::to_string(masses_u_.size()) + " masses for " +
                                std::to_string(structure_.size()) + " atoms");
  for (double m : masses_u_)
    if (!(m > 0.0) || !std::isfinite(m)) throw std::invalid_argument("LangevinMd: masses must be finite and > 0");
  const auto n = static_cast<Eigen::Index>(structure_.size());
  velocities_ = Eigen::Matrix3Xd::Zero(3, n);
  const double kT = units::kBoltzmann_eV_per_K * params_.temperature_K;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (structure_.is_fixed(static_cast<std::size_t>(i))) continue;
    const double sigma = std::sqrt(kT / masses_u_[static_cast<std::size_t>(i)] * kAcceleration_A_per_fs2_per_eV_A_u);
    for (int c = 0; c < 3; ++c) velocities_(c, i) = sigma * rng_.normal();
  }
  compute_forces();
}

void LangevinMd::set_temperature_K(double temperature_K) {
  LangevinParams p = params_;
  p.temperature_K = temperature_K;
  check_params(p);
  params_.temperature_K = temperature_K;
}

void LangevinMd::compute_forces() {
  PotentialResult r = potential_->compute(structure_, {});
  if (!std::isfinite(r.energy_eV) || !r.forces.allFinite())
    throw std::runtime_error("LangevinMd: the potential returned a non-finite energy or force at step " + std::to_string(steps_));
  potential_energy_eV_ = r.energy_eV;
  forces_ = std::move(r.forces);
}

void LangevinMd::half_kick() {
  const double h = 0.5 * params_.timestep_fs * kAcceleration_A_per_fs2_per_eV_A_u;
  for (Eigen::Index i = 0; i < velocities_.cols(); ++i) {
    if (structure_.is_fixed(static_cast<std::size_t>(i))) continue;
    velocities_.col(i) += (h / masses_u_[static_cast<std::size_t>(i)]) * forces_.col(i);
  }
}

void LangevinMd::half_drift() {
  // Fixed atoms have zero velocity, so they stay put.
  structure_.positions += (0.5 * params_.timestep_fs) * velocities_;
}

void LangevinMd::thermostat() {
  // Exact Ornstein–Uhlenbeck solution over Δt (the O step).
  const double c1 = std::exp(-params_.friction_per_fs * params_.timestep_fs);
  const double c2 = std::sqrt(std::max(0.0, 1.0 - c1 * c1));
  const double kT = units::kBoltzmann_eV_per_K * params_.temperature_K;
  for (Eigen::Index i = 0; i < velocities_.cols(); ++i) {
    if (structure_.is_fixed(static_cast<std::size_t>(i))) continue;
    const double sigma = std::sqrt(kT / masses_u_[static_cast<std::size_t>(i)] * kAcceleration_A_per_fs2_per_eV_A_u);
    for (int c = 0; c < 3; ++c) velocities_(c, i) = c1 * velocities_(c, i) + c2 * sigma * rng_.normal();
  }
}

void LangevinMd::run(long long n) {
  for (long long k = 0; k < n; ++k) {
    half_kick();
    half_drift();
    if (params_.friction_per_fs > 0.0) thermostat();
    half_drift();
    compute_forces();
    half_kick();
    ++steps_;
  }
}

double LangevinMd::kinetic_energy_eV() const {
  double sum = 0.0;  // Σ m v² in u Å²/fs²
  for (Eigen::Index i = 0; i < velocities_.cols(); ++i) sum += masses_u_[static_cast<std::size_t>(i)] * velocities_.col(i).squaredNorm();
  return 0.5 * sum / kAcceleration_A_per_fs2_per_eV_A_u;
}

double LangevinMd::kinetic_temperature_K() const {
  std::size_t free = 0;
  for (std::size_t i = 0; i < structure_.size(); ++i) free += structure_.is_fixed(i) ? 0 : 1;
  if (free == 0) return 0.0;
  return 2.0 * kinetic_energy_eV() / (3.0 * static_cast<double>(free) * units::kBoltzmann_eV_per_K);
}

}  // namespace ionhop::neb
