#pragma once
/// Training of the linear ACE MLIP (neb/LinearAcePotential.hpp): weighted, regularised least
/// squares on energies per atom, forces and stresses, by streamed normal equations; the
/// regularisation λ (and optionally the body-order-3 radial basis size) chosen by k-fold
/// cross-validation; the Bayesian posterior covariance of the coefficients; descriptor statistics
/// for the extrapolation grade. Deterministic: the result is bit for bit the same for any
/// number of OpenMP threads. See docs/mlip.md for the equations.
#include <cstddef>
#include <optional>
#include <vector>

#include "lattice/StructureExtxyz.hpp"
#include "neb/MlipModel.hpp"

namespace ionhop::neb {

struct MlipTrainingOptions {
  /// The basis; an empty element list is filled with the species of the data, sorted.
  AceBasisSpec basis;
  /// Fixed baseline subtracted from the labels before the fit and added back in predictions
  /// (e.g. {type "coulomb_ewald", charges_e}); none: the ML part learns everything.
  std::optional<PotentialSpec> baseline;
  /// Nominal noise of each kind of label: the rows are weighted by frame weight / σ².
  double energy_sigma_eV_per_atom = 1e-3;
  double force_sigma_eV_per_A = 0.02;
  double stress_sigma_eV_per_A3 = 2e-3;
  /// k of k-fold cross-validation (frame f is in fold f mod k); ≥ 2, or 1 with a single λ.
  int folds = 5;
  /// Candidate λ (ridge on the normal matrix scaled to unit diagonal), chosen by CV.
  std::vector<double> lambdas = {1e-12, 1e-11, 1e-10, 3e-10, 1e-9, 3e-9, 1e-8, 3e-8, 1e-7, 3e-7, 1e-6, 3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3};
  /// Candidate radial_size_3 values, chosen by CV with λ; empty: basis.radial_size_3 only.
  std::vector<int> radial_sizes_3;
  /// Frames whose design blocks are built at once (memory ∝ frames × rows × coefficients).
  std::size_t frames_per_batch = 16;
};

/// One point of the cross-validation scan: validation errors pooled over the folds.
struct MlipCvPoint {
  int radial_size_3 = 0;
  double lambda = 0.0;
  bool solved = false;  ///< false if the regularised normal matrix was not positive definite
  double loss = 0.0;    ///< weighted mean squared validation residual (in units of the nominal σ²)
  double energy_rmse_eV_per_atom = 0.0;
  double force_rmse_eV_per_A = 0.0;
  double stress_rmse_eV_per_A3 = 0.0;
};

struct MlipTrainingReport {
  std::vector<MlipCvPoint> cross_validation;
  MlipCvPoint chosen;                 ///< the CV point of the final model
  std::size_t coefficient_count = 0;
  double effective_parameters = 0.0;  ///< tr((G + λI)⁻¹ G) in the scaled basis
  std::size_t frames = 0, energy_rows = 0, force_rows = 0, stress_rows = 0;
  double noise_scale2 = 0.0;          ///< s²: estimated noise over nominal noise
  /// Fit errors on the training data (frame-weighted RMS).
  double train_energy_rmse_eV_per_atom = 0.0;
  double train_force_rmse_eV_per_A = 0.0;
  double train_stress_rmse_eV_per_A3 = 0.0;
  double descriptor_seconds = 0.0;  ///< wall time building the normal equations
  double solve_seconds = 0.0;       ///< wall time of CV and the final solve
};

struct TrainedLinearAce {
  MlipModel model;
  MlipTrainingReport report;
};

/// Fits the model to `frames` (energies, forces, stresses where given; per-frame weights and
/// stresses from the frame's info, see neb/MlipFrameTargets.hpp). Throws std::invalid_argument for
/// no usable labels, bad options, or a species missing from options.basis.elements.
TrainedLinearAce train_linear_ace(const std::vector<lattice::XyzFrame>& frames, const MlipTrainingOptions& options);

}  // namespace ionhop::neb
