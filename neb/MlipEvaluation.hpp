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
  /// Target coverage: κ makes z_p κσ cover this fraction of the held-out errors, z_p the normal
  /// quantile ((1 + coverage)/2), so a Gaussian reading of the calibrated σ holds at that level.
  double coverage = 0.95;
  bool forces = true;       ///< also fit κ_F (one design block per frame)
  bool differences = true;  ///< also fit κ_D on consecutive frame pairs with the same atoms
  /// Fewer samples than this leave a factor unchanged (reported as not fitted).
  std::size_t min_samples = 10;
};

struct MlipCalibrationReport {
  MlipCalibration factors;
  std::size_t energy_samples = 0, force_samples = 0, difference_samples = 0;
  bool energy_fitted = false, force_fitted = false, difference_fitted = false;
};

/// Fits model.calibration on held-out frames (never on training frames): for each kind of
/// prediction the z-scores |error|/σ of the uncalibrated model and κ = (coverage quantile of |z|)
/// / z_p. Writes the factors into `model` and returns them.
MlipCalibrationReport calibrate_model(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                      const MlipCalibrationOptions& options = {});

/// z with P(|Z| ≤ z) = coverage for a standard normal Z (e.g. 1.95996 for 0.95).
double normal_two_sided_quantile(double coverage);

}  // namespace ionhop::neb
