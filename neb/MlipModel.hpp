#pragma once
/// A trained linear ACE model as plain data: what neb/LinearAcePotential evaluates and
/// app/MlipModelFile stores. Produced by train_linear_ace() (neb/MlipTraining.hpp).
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "neb/AceBasis.hpp"
#include "neb/PotentialSpec.hpp"

namespace ionhop::neb {

/// Factors κ ≥ 0 that multiply the model's stated standard deviations so that they cover
/// held-out errors (fitted by calibrate_model(), neb/MlipEvaluation.hpp); 1 = uncalibrated.
struct MlipCalibration {
  double energy = 1.0;      ///< for energies (per atom and total)
  double force = 1.0;       ///< for force components
  double difference = 1.0;  ///< for energy differences between two structures (barriers)
  /// α ≥ 0 of the heteroscedastic energy noise N²σ²_e (1 + α ḡ²₊), ḡ²₊ = mean over atoms of
  /// (g_i² − 1)_+ with g_i the extrapolation grade: the noise grows with the distance of the
  /// atoms from the training data (0: constant noise; fitted with κ_E on held-out frames).
  double energy_grade_slope = 0.0;

  bool operator==(const MlipCalibration&) const = default;
};

/// Distribution of the per-atom descriptors B(i) of one centre element over the training set,
/// for the Mahalanobis extrapolation grade.
struct MlipDescriptorStatistics {
  double atom_count = 0.0;       ///< training atoms of this element
  Eigen::VectorXd mean;          ///< F
  Eigen::MatrixXd covariance;    ///< F × F (population covariance)

  bool operator==(const MlipDescriptorStatistics&) const = default;
};

struct MlipModel {
  AceBasisSpec basis;
  /// Fixed baseline added to the ML energy (e.g. coulomb_ewald with charges); built through the
  /// built-in potential registry.
  std::optional<PotentialSpec> baseline;
  /// c, AceBasis::coefficient_count(): one block per centre element, then the per-element
  /// reference energies ε_e [eV].
  Eigen::VectorXd coefficients;
  /// Posterior covariance Σ of c (Bayesian ridge, noise scale included); empty: no uncertainty.
  Eigen::MatrixXd covariance;
  /// Predictive noise variances (residual variances of the fit, degrees of freedom corrected):
  double energy_noise_eV2_per_atom2 = 0.0;  ///< of an energy per atom [eV²]
  double force_noise_eV2_per_A2 = 0.0;      ///< of a force component [eV²/Å²]
  MlipCalibration calibration;
  /// Per centre element, in basis.elements order (empty: no extrapolation grade).
  std::vector<MlipDescriptorStatistics> descriptor_statistics;

  // ---- provenance --------------------------------------------------------------------------
  std::uint64_t training_set_hash = 0;  ///< training_set_hash() of the training frames
  std::size_t training_frames = 0;
  double regularisation = 0.0;          ///< λ chosen (relative to unit-diagonal scaled normal matrix)
  /// Numbers of the training options (sigmas, folds, ...), by name with unit, for the record.
  std::map<std::string, double> training_options;

  bool operator==(const MlipModel&) const = default;
};

}  // namespace ionhop::neb
