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

/// Lower p-quantile of χ² with n degrees of freedom (Wilson–Hilferty; relative error < 1 % for
/// n ≥ 10, the smallest sample calibrated).
double chi2_quantile(double n, double p) {
  // Standard normal quantile z_p from the two-sided one: P(Z ≤ z_p) = p.
  const double z = (p < 0.5 ? -1.0 : 1.0) * normal_two_sided_quantile(std::abs(2.0 * p - 1.0));
  const double c = 2.0 / (9.0 * n);
  const double t = 1.0 - c + z * std::sqrt(c);
  return n * t * t * t;
}

/// The two candidates for κ from z-scores (uncalibrated σ): the conformal quantile — the
/// ⌈(n+1)p⌉-th smallest |z| (at most the largest) over z_p — and the Gaussian maximum-likelihood
/// scale √(mean z²) at its upper `confidence` bound √(n/χ²_{n,1−confidence}).
struct Factor {
  double quantile = 1.0, likelihood = 1.0;
  double value() const { return std::max(quantile, likelihood); }
};

Factor calibration_factor(std::vector<double> z, const MlipCalibrationOptions& o) {
  Factor f;
  double sum2 = 0.0;
  for (double& v : z) {
    v = std::abs(v);
    sum2 += v * v;
  }
  std::sort(z.begin(), z.end());
  const double n = static_cast<double>(z.size());
  const auto rank = static_cast<std::size_t>(std::ceil(o.coverage * (n + 1.0)));
  f.quantile = z[std::min(z.size(), std::max<std::size_t>(rank, 1)) - 1] / normal_two_sided_quantile(o.coverage);
  const double bound = o.confidence > 0.0 ? std::sqrt(n / chi2_quantile(n, 1.0 - o.confidence)) : 1.0;
  f.likelihood = std::sqrt(sum2 / n) * bound;
  return f;
}

/// One held-out energy: error e, parametric variance p, noise variance v (α = 0), ḡ²₊.
struct EnergySample {
  double error, parametric, noise, excess_grade2;
  double variance(double alpha) const { return parametric + noise * (1.0 + alpha * excess_grade2); }
};

/// Profile Gaussian log-likelihood of the energy errors for a given α (κ² at its maximum,
/// mean e²/v): −½ Σ ln(κ̂² v_k) − n/2.
double profile_log_likelihood(const std::vector<EnergySample>& samples, double alpha) {
  double k2 = 0.0, log_v = 0.0;
  for (const EnergySample& e : samples) {
    const double v = e.variance(alpha);
    k2 += e.error * e.error / v;
    log_v += std::log(v);
  }
  const double n = static_cast<double>(samples.size());
  k2 /= n;
  return -0.5 * (log_v + n * std::log(std::max(k2, 1e-300))) - 0.5 * n;
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

namespace {

MlipCalibrationReport calibrate(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                const std::vector<MlipFramePair>* pairs, const MlipCalibrationOptions& options) {
  if (!(options.coverage > 0.0 && options.coverage < 1.0)) throw std::invalid_argument("calibration: coverage must be in (0, 1)");
  if (!(options.confidence >= 0.0 && options.confidence < 1.0))
    throw std::invalid_argument("calibration: confidence must be in [0, 1)");
  if (model.covariance.size() == 0) throw std::invalid_argument("calibration: the model has no posterior covariance");
  MlipModel raw = model;
  raw.calibration = MlipCalibration{};
  const LinearAcePotential potential(raw, LinearAcePotentialOptions{.report_variance = false});
  std::vector<EnergySample> energies;
  std::vector<double> z_force, z_difference;
  const lattice::Structure* previous = nullptr;
  double previous_error = 0.0;
  for (std::size_t f = 0; f < held_out.size(); ++f) {
    const lattice::XyzFrame& frame = held_out[f];
    const MlipFrameTargets t = frame_targets(frame, f);
    const lattice::Structure& s = frame.structure;
    const PotentialResult r = potential.compute(s, ComputeRequest{.forces = options.forces && t.forces_eV_per_A.has_value()});
    if (t.energy_eV) {
      const double error = r.energy_eV - *t.energy_eV;
      const MlipEnergyUncertainty u = potential.energy_uncertainty(s);
      if (u.variance_eV2() > 0.0)
        energies.push_back({error, u.parametric_eV2, u.noise_eV2, options.grade_noise ? potential.mean_excess_grade2(s) : 0.0});
      if (pairs == nullptr && options.differences && previous != nullptr && previous->species == s.species) {
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
  if (pairs != nullptr && options.differences) {
    for (std::size_t k = 0; k < pairs->size(); ++k) {
      const MlipFramePair& p = (*pairs)[k];
      if (!p.a.energy_eV || !p.b.energy_eV) throw std::invalid_argument("calibration: pair " + std::to_string(k) + " lacks an energy");
      const double error = (potential.compute(p.a.structure, {.forces = false}).energy_eV - *p.a.energy_eV) -
                           (potential.compute(p.b.structure, {.forces = false}).energy_eV - *p.b.energy_eV);
      const double sd = potential.energy_difference_uncertainty(p.a.structure, p.b.structure).std_eV();
      if (sd > 0.0) z_difference.push_back(error / sd);
    }
  }
  MlipCalibrationReport report;
  report.factors = model.calibration;
  report.quantile_factors = report.likelihood_factors = model.calibration;
  report.energy_samples = energies.size();
  report.force_samples = z_force.size();
  report.difference_samples = z_difference.size();
  if (energies.size() >= options.min_samples) {
    // α by profile maximum likelihood on a logarithmic grid (10⁻³ … 10³, 8 points per decade),
    // kept only if the likelihood-ratio test against α = 0 passes at 5 % (χ²₁: 3.84).
    double alpha = 0.0;
    const double base = profile_log_likelihood(energies, 0.0);
    double best = base;
    const bool graded = std::any_of(energies.begin(), energies.end(), [](const EnergySample& e) { return e.excess_grade2 > 0.0; });
    if (options.grade_noise && graded) {
      for (int k = -24; k <= 24; ++k) {
        const double a = std::pow(10.0, k / 8.0);
        const double ll = profile_log_likelihood(energies, a);
        if (ll > best) best = ll, alpha = a;
      }
      report.grade_noise_log_likelihood_gain = best - base;
      if (2.0 * (best - base) <= 3.84) alpha = 0.0;
    }
    std::vector<double> z;
    for (const EnergySample& e : energies) z.push_back(e.error / std::sqrt(e.variance(alpha)));
    const Factor f = calibration_factor(z, options);
    report.factors.energy = f.value();
    report.factors.energy_grade_slope = alpha;
    report.quantile_factors.energy = f.quantile;
    report.likelihood_factors.energy = f.likelihood;
    report.quantile_factors.energy_grade_slope = report.likelihood_factors.energy_grade_slope = alpha;
    report.energy_fitted = true;
  }
  if (z_force.size() >= options.min_samples) {
    const Factor f = calibration_factor(z_force, options);
    report.factors.force = f.value();
    report.quantile_factors.force = f.quantile;
    report.likelihood_factors.force = f.likelihood;
    report.force_fitted = true;
  }
  if (z_difference.size() >= options.min_samples) {
    const Factor f = calibration_factor(z_difference, options);
    report.factors.difference = f.value();
    report.quantile_factors.difference = f.quantile;
    report.likelihood_factors.difference = f.likelihood;
    report.difference_fitted = true;
  }
  model.calibration = report.factors;
  return report;
}

}  // namespace

MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const std::vector<MlipFramePair>& pairs, const MlipCalibrationOptions& options) {
  return calibrate(model, held_out, &pairs, options);
}

MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const MlipCalibrationOptions& options) {
  return calibrate(model, held_out, nullptr, options);
}

}  // namespace ionhop::neb
