#pragma once
/// Errors of a trained MLIP on labelled frames (RMSE/MAE per label kind, per element, per
/// config_type, parity data, 2σ coverage), and the calibration of its stated uncertainties on
/// held-out frames.
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "lattice/StructureExtxyz.hpp"
#include "neb/LinearAcePotential.hpp"

namespace ionhop::neb {

/// Error statistics of one set of scalar errors (prediction − reference).
struct MlipErrorStats {
  std::size_t count = 0;
  double rmse = 0.0;
  double mae = 0.0;
  double max_abs = 0.0;
};

/// Reference, prediction and stated (calibrated) σ of every compared value, for a parity plot.
struct MlipParity {
  std::vector<double> reference, predicted, sigma;  ///< sigma empty if not computed
};

struct MlipErrorReport {
  MlipErrorStats energy_eV_per_atom;
  MlipErrorStats force_eV_per_A;       ///< over force components
  MlipErrorStats stress_eV_per_A3;     ///< over the 6 independent components
  std::map<std::string, MlipErrorStats> force_by_element;        ///< by the atom's species
  std::map<std::string, MlipErrorStats> energy_by_config_type;   ///< per atom
  std::map<std::string, MlipErrorStats> force_by_config_type;
  MlipParity energy_parity;  ///< energies per atom [eV/atom], one per frame with an energy
  MlipParity force_parity;   ///< force components [eV/Å]
  /// Fraction of energies (per atom) / force components within 2 stated σ (−1: not computed).
  double energy_coverage_2sigma = -1.0;
  double force_coverage_2sigma = -1.0;
};

struct MlipEvaluationOptions {
  bool energy_uncertainty = true;  ///< σ of each energy (cheap; needs the model's covariance)
  bool force_uncertainty = false;  ///< σ of each force component (one design block per frame)
};

/// Compares the potential's predictions with the labels of `frames`.
MlipErrorReport evaluate(const LinearAcePotential& potential, const std::vector<lattice::XyzFrame>& frames,
                         const MlipEvaluationOptions& options = {});

struct MlipCalibrationOptions {
  /// Target coverage p: z_p κσ should cover this fraction of errors, z_p the normal quantile
  /// ((1 + p)/2). κ is the larger of (a) the conformal quantile: the ⌈(n+1)p⌉-th smallest of the n
  /// held-out |z| over z_p, and (b) the Gaussian maximum-likelihood scale √(mean z²) raised to
  /// its upper `confidence` bound √(n/χ²_{n,1−confidence}) — so that a finite, heavy-tailed
  /// calibration sample does not under-state σ (docs/mlip.md, Calibration).
  double coverage = 0.95;
  /// Confidence of the upper bound on the maximum-likelihood scale, in [0, 1) (0: the estimate).
  double confidence = 0.9;
  bool forces = true;       ///< also fit κ_F (one design block per frame)
  bool differences = true;  ///< also fit κ_D (on the given pairs, else consecutive frames with the same atoms)
  /// Fit α of the heteroscedastic energy noise N²σ²_e (1 + α ḡ²₊) by maximum likelihood; kept
  /// only if the likelihood-ratio test against α = 0 passes at 5 % (2 ΔlnL > 3.84).
  bool grade_noise = true;
  /// Fewer samples than this leave a factor unchanged (reported as not fitted).
  std::size_t min_samples = 10;
};

struct MlipCalibrationReport {
  MlipCalibration factors;
  std::size_t energy_samples = 0, force_samples = 0, difference_samples = 0;
  bool energy_fitted = false, force_fitted = false, difference_fitted = false;
  /// Gain in held-out Gaussian log-likelihood of the energies from the best α > 0 (reported
  /// also when the likelihood-ratio test rejects it and α = 0 is kept; 0 without grades).
  double grade_noise_log_likelihood_gain = 0.0;
  /// The two candidates of each fitted κ: conformal quantile and upper-bound ML scale.
  MlipCalibration quantile_factors, likelihood_factors;
};

/// Two labelled structures whose energy difference is a prediction of interest — e.g. the
/// saddle and the initial state of a hop, each slightly perturbed (a held-out "hop").
struct MlipFramePair {
  lattice::XyzFrame a, b;
};

/// Fits model.calibration on held-out data (never on training frames): κ_E and α from the
/// energies of `held_out`, κ_F from its force components, κ_D from the energy differences of
/// `pairs` (error of E_a − E_b against the model's σ of that difference). Each κ from the
/// z-scores |error|/σ of the uncalibrated model, as MlipCalibrationOptions says. Writes the
/// factors into `model` and returns them.
MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const std::vector<MlipFramePair>& pairs, const MlipCalibrationOptions& options = {});

/// As above with κ_D from consecutive held-out frames with the same atoms (weaker: such pairs
/// differ everywhere, not locally like a hop; prefer explicit hop-like pairs).
MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const MlipCalibrationOptions& options = {});

/// z with P(|Z| ≤ z) = coverage for a standard normal Z (e.g. 1.95996 for 0.95).
double normal_two_sided_quantile(double coverage);

}  // namespace ionhop::neb
