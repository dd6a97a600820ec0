#include "neb/MlipEvaluation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "neb/MlipFrameTargets.hpp"

namespace ionhop::neb {

namespace {

/// Running sums of errors.
struct ErrorSums {
  std::size_t n = 0;
  double sq = 0.0, abs = 0.0, max = 0.0;
  void add(double e) {
    ++n;
    sq += e * e;
    abs += std::abs(e);
    max = std::max(max, std::abs(e));
  }
  MlipErrorStats stats() const {
    MlipErrorStats s;
    s.count = n;
    if (n > 0) {
      s.rmse = std::sqrt(sq / static_cast<double>(n));
      s.mae = abs / static_cast<double>(n);
      s.max_abs = max;
    }
    return s;
  }
};

/// κ from z-scores: the ⌈coverage·n⌉-th smallest |z| over z_p.
double calibration_factor(std::vector<double> z, double coverage) {
  for (double& v : z) v = std::abs(v);
  std::sort(z.begin(), z.end());
  const auto rank = static_cast<std::size_t>(std::ceil(coverage * static_cast<double>(z.size())));
  const double q = z[std::min(z.size(), std::max<std::size_t>(rank, 1)) - 1];
  return q / normal_two_sided_quantile(coverage);
}

}  // namespace

double normal_two_sided_quantile(double coverage) {
  if (!(coverage > 0.0 && coverage < 1.0)) throw std::invalid_argument("coverage must be in (0, 1)");
  // P(|Z| ≤ z) = erf(z/√2): bisection (monotone, 200 halvings reach double precision).
  double lo = 0.0, hi = 40.0;
  for (int k = 0; k < 200; ++k) {
    const double mid = 0.5 * (lo + hi);
    (std::erf(mid / std::sqrt(2.0)) < coverage ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

MlipErrorReport evaluate(const LinearAcePotential& potential, const std::vector<lattice::XyzFrame>& frames,
                         const MlipEvaluationOptions& options) {
  MlipErrorReport report;
  ErrorSums energy, force, stress;
  std::map<std::string, ErrorSums> force_element, energy_type, force_type;
  std::size_t energy_covered = 0, energy_counted = 0, force_covered = 0, force_counted = 0;
  const bool energy_sigma = options.energy_uncertainty && potential.has_uncertainty();
  const bool force_sigma = options.force_uncertainty && potential.has_uncertainty();
  for (std::size_t f = 0; f < frames.size(); ++f) {
    const lattice::XyzFrame& frame = frames[f];
    const MlipFrameTargets t = frame_targets(frame, f);
    const lattice::Structure& s = frame.structure;
    const double n = static_cast<double>(s.size());
    const PotentialResult r = potential.compute(
        s, ComputeRequest{.forces = t.forces_eV_per_A.has_value(), .virial = t.stress_eV_per_A3.has_value()});
    if (t.energy_eV) {
      const double e = (r.energy_eV - *t.energy_eV) / n;
      energy.add(e);
      energy_type[t.config_type].add(e);
      report.energy_parity.reference.push_back(*t.energy_eV / n);
      report.energy_parity.predicted.push_back(r.energy_eV / n);
      if (energy_sigma) {
        const double sigma = potential.energy_uncertainty(s).std_eV() / n;
        report.energy_parity.sigma.push_back(sigma);
        ++energy_counted;
        if (std::abs(e) <= 2.0 * sigma) ++energy_covered;
      }
    }
    if (t.forces_eV_per_A) {
      Eigen::Matrix3Xd sigma;
      if (force_sigma) sigma = potential.force_std(s);
      for (Eigen::Index i = 0; i < r.forces.cols(); ++i)
        for (int a = 0; a < 3; ++a) {
          const double e = r.forces(a, i) - (*t.forces_eV_per_A)(a, i);
          force.add(e);
          force_element[s.species[static_cast<std::size_t>(i)]].add(e);
          force_type[t.config_type].add(e);
          report.force_parity.reference.push_back((*t.forces_eV_per_A)(a, i));
          report.force_parity.predicted.push_back(r.forces(a, i));
          if (force_sigma) {
            report.force_parity.sigma.push_back(sigma(a, i));
            ++force_counted;
            if (std::abs(e) <= 2.0 * sigma(a, i)) ++force_covered;
          }
        }
    }
    if (t.stress_eV_per_A3 && r.virial_eV) {
      const Eigen::Matrix3d predicted = -*r.virial_eV / s.volume_A3();
      const Eigen::Matrix3d d = predicted - *t.stress_eV_per_A3;
      for (double e : {d(0, 0), d(1, 1), d(2, 2), d(1, 2), d(0, 2), d(0, 1)}) stress.add(e);
    }
  }
  report.energy_eV_per_atom = energy.stats();
  report.force_eV_per_A = force.stats();
  report.stress_eV_per_A3 = stress.stats();
  for (const auto& [k, v] : force_element) report.force_by_element[k] = v.stats();
  for (const auto& [k, v] : energy_type) report.energy_by_config_type[k] = v.stats();
  for (const auto& [k, v] : force_type) report.force_by_config_type[k] = v.stats();
  if (energy_counted > 0) report.energy_coverage_2sigma = static_cast<double>(energy_covered) / static_cast<double>(energy_counted);
  if (force_counted > 0) report.force_coverage_2sigma = static_cast<double>(force_covered) / static_cast<double>(force_counted);
  return report;
}

MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const MlipCalibrationOptions& options) {
  if (!(options.coverage > 0.0 && options.coverage < 1.0)) throw std::invalid_argument("calibration: coverage must be in (0, 1)");
  if (model.covariance.size() == 0) throw std::invalid_argument("calibration: the model has no posterior covariance");
  MlipModel raw = model;
  raw.calibration = MlipCalibration{};
  const LinearAcePotential potential(raw, LinearAcePotentialOptions{.report_variance = false});
  std::vector<double> z_energy, z_force, z_difference;
  const lattice::Structure* previous = nullptr;
  double previous_error = 0.0;
  for (std::size_t f = 0; f < held_out.size(); ++f) {
    const lattice::XyzFrame& frame = held_out[f];
    const MlipFrameTargets t = frame_targets(frame, f);
    const lattice::Structure& s = frame.structure;
    const PotentialResult r = potential.compute(s, ComputeRequest{.forces = options.forces && t.forces_eV_per_A.has_value()});
    if (t.energy_eV) {
      const double error = r.energy_eV - *t.energy_eV;
      const double sigma = potential.energy_uncertainty(s).std_eV();
      if (sigma > 0.0) z_energy.push_back(error / sigma);
      if (options.differences && previous != nullptr && previous->species == s.species) {
        const double sd = potential.energy_difference_uncertainty(s, *previous).std_eV();
        if (sd > 0.0) z_difference.push_back((error - previous_error) / sd);
      }
      previous = &s;
      previous_error = error;
    } else {
      previous = nullptr;
    }
    if (options.forces && t.forces_eV_per_A) {
      const Eigen::Matrix3Xd sigma = potential.force_std(s);
      for (Eigen::Index k = 0; k < sigma.size(); ++k)
        if (sigma.data()[k] > 0.0) z_force.push_back((r.forces.data()[k] - t.forces_eV_per_A->data()[k]) / sigma.data()[k]);
    }
  }
  MlipCalibrationReport report;
  report.factors = model.calibration;
  report.energy_samples = z_energy.size();
  report.force_samples = z_force.size();
  report.difference_samples = z_difference.size();
  if (z_energy.size() >= options.min_samples) {
    report.factors.energy = calibration_factor(z_energy, options.coverage);
    report.energy_fitted = true;
  }
  if (z_force.size() >= options.min_samples) {
    report.factors.force = calibration_factor(z_force, options.coverage);
    report.force_fitted = true;
  }
  if (z_difference.size() >= options.min_samples) {
    report.factors.difference = calibration_factor(z_difference, options.coverage);
    report.difference_fitted = true;
  }
  model.calibration = report.factors;
  return report;
}

}  // namespace ionhop::neb
