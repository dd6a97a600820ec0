#pragma once
/// The machine-learned interatomic potential: a linear atomic cluster expansion (neb/AceBasis.hpp)
/// on an optional fixed-charge baseline,
///   E = E_baseline + Σ_i c_{Z_i} · B(i) + Σ_e N_e ε_e,
/// with analytic forces and virial, and the Bayesian predictive uncertainty of a linear model:
/// for a structure with feature vector φ (AceBasis), var(E) = κ_E² (φᵀ Σ φ + N² σ²_e (1 + α ḡ²₊)),
/// where Σ is the posterior covariance of the coefficients, σ²_e the per-atom energy noise, ḡ²₊
/// the mean over atoms of (g_i² − 1)_+ (g_i the extrapolation grade), and κ_E, α the calibration
/// (MlipModel). Registry name "mlip".
#include <memory>
#include <string>
#include <vector>

#include "neb/AceBasis.hpp"
#include "neb/MlipModel.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// An uncertainty split into its parts [eV²]; std_eV is the calibrated standard deviation.
struct MlipEnergyUncertainty {
  double parametric_eV2 = 0.0;  ///< from the coefficients' posterior: gᵀ Σ g
  double noise_eV2 = 0.0;       ///< from the fit's residual noise
  double calibration = 1.0;     ///< κ applied
  double variance_eV2() const { return calibration * calibration * (parametric_eV2 + noise_eV2); }
  double std_eV() const;
};

/// How far a structure's atoms lie outside the training data: per atom
///   g_i = √( (B(i) − μ_e)ᵀ (C_e + δ I)⁻¹ (B(i) − μ_e) / F ),
/// the Mahalanobis distance of the atom's descriptor from the training descriptors of its
/// element (mean μ_e, covariance C_e), normalised by the descriptor count F so that atoms like
/// the training atoms have g ≈ 1. δI stands for the ridge 1e-6 diag(C_e) + 1e-12 mean(diag C_e) I
/// that keeps directions of (near) zero training variance finite.
struct MlipExtrapolationGrade {
  std::vector<double> per_atom;
  double max = 0.0;
  std::size_t worst_atom = 0;
};

struct LinearAcePotentialOptions {
  /// Fill PotentialResult::energy_variance_eV2 in compute() (costs one P² product).
  bool report_variance = true;
};

class LinearAcePotential final : public Potential {
 public:
  /// Throws PotentialSpecError for an inconsistent model (sizes) or an invalid baseline.
  explicit LinearAcePotential(MlipModel model, LinearAcePotentialOptions options = {});

  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;
  PotentialCapabilities capabilities() const override;
  std::string name() const override { return "mlip"; }

  const MlipModel& model() const { return model_; }
  const AceBasis& basis() const { return basis_; }
  bool has_uncertainty() const { return model_.covariance.size() > 0; }

  /// The ML part alone (no baseline): energy, forces, virial as asked.
  PotentialResult compute_ml(const lattice::Structure& s, const ComputeRequest& req = {}) const;
  /// The baseline alone (zero energy if the model has none).
  PotentialResult compute_baseline(const lattice::Structure& s, const ComputeRequest& req = {}) const;

  /// φ, the structure's feature vector (AceBasis::coefficient_count()).
  Eigen::VectorXd features(const lattice::Structure& s) const;
  /// Uncertainty of the total energy E [eV] (noise N² σ²_e (1 + α ḡ²₊), calibration κ_E).
  MlipEnergyUncertainty energy_uncertainty(const lattice::Structure& s) const;
  /// ḡ²₊ = mean over atoms of (g_i² − 1)_+, the excess squared extrapolation grade that scales
  /// the energy noise; 0 if the model has no descriptor statistics.
  double mean_excess_grade2(const lattice::Structure& s) const;
  /// Uncertainty of E_a − E_b, exact for a linear model in its parametric part:
  ///   (φ_a − φ_b)ᵀ Σ (φ_a − φ_b) + 2 σ²_e,
  /// the noise term counting one atom's energy noise in each structure (a local change such as
  /// a hop), calibration κ_D. This is the σ of a barrier E_saddle − E_initial.
  MlipEnergyUncertainty energy_difference_uncertainty(const lattice::Structure& a, const lattice::Structure& b) const;
  /// Calibrated standard deviation of every force component [eV/Å], 3×N (builds the structure's
  /// design block: costs about as much as one training frame).
  Eigen::Matrix3Xd force_std(const lattice::Structure& s) const;
  /// The extrapolation grade; throws std::logic_error if the model has no descriptor statistics.
  MlipExtrapolationGrade extrapolation_grade(const lattice::Structure& s) const;

 private:
  MlipModel model_;
  LinearAcePotentialOptions options_;
  AceBasis basis_;
  std::unique_ptr<Potential> baseline_;
  /// Per element: factor L of (C_e + δI) = L Lᵀ (lower), for the grade.
  std::vector<Eigen::MatrixXd> grade_factor_;
  /// Per-atom grades from per-atom descriptors (F × N).
  std::vector<double> atom_grades(const lattice::Structure& s, const Eigen::MatrixXd& atom_descriptors) const;
  /// ḡ²₊ from per-atom descriptors (0 without descriptor statistics).
  double mean_excess_grade2(const lattice::Structure& s, const Eigen::MatrixXd& atom_descriptors) const;
  /// Whether the energy noise needs the grade (α > 0 and descriptor statistics).
  bool graded_noise() const { return model_.calibration.energy_grade_slope > 0.0 && !grade_factor_.empty(); }
};

}  // namespace ionhop::neb
