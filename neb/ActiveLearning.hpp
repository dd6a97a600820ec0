#pragma once
/// Active learning of the linear ACE MLIP on one hop: run CI-NEB on the current model, label the
/// band images it is unsure about with the reference potential, add them to the training set,
/// refit with the same options, recalibrate on the held-out frames, and repeat until the
/// barrier's calibrated σ is below a tolerance (or an iteration limit).
///
/// The barrier σ is the exact difference uncertainty of the linear model between the saddle
/// image and the initial state (LinearAcePotential::energy_difference_uncertainty, docs/mlip.md).
/// An image is uncertain when σ(E_image − E_initial) or its extrapolation grade exceeds a
/// threshold — the query-by-uncertainty loop of on-the-fly MLIP training (e.g. Podryabinkin &
/// Shapeev, Comput. Mater. Sci. 140, 171 (2017); Vandermause et al., npj Comput. Mater. 6, 20
/// (2020)), here driven by the posterior of a Bayesian linear model instead of a committee.
/// Deterministic: the same inputs give the same models and barriers for any thread count.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lattice/StructureExtxyz.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipModel.hpp"
#include "neb/MlipTraining.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// config_type of the frames the loop labels (info also gets `al_iteration`, `image`).
inline constexpr const char* kConfigActiveLearning = "active_learning";

struct ActiveLearningParams {
  /// Options of every fit (the first and each refit).
  MlipTrainingOptions training;
  /// Calibration of every model on the held-out frames.
  MlipCalibrationOptions calibration;
  /// End-state relaxation and CI-NEB, on the MLIP and (for the comparison) on the reference.
  HopParams hop;
  /// Stop when the calibrated σ of the barrier (saddle − initial) is below this [eV], > 0.
  double barrier_std_tolerance_eV = 0.01;
  /// Label an image when σ(E_image − E_initial) exceeds this [eV] (> 0)…
  double image_std_threshold_eV = 0.01;
  /// …or when its extrapolation grade exceeds this (> 0; grades of training-like atoms are ≈ 1).
  double grade_threshold = 5.0;
  /// Refits at most this many times (≥ 0); the band runs max_refits + 1 times at most.
  int max_refits = 5;
  /// Stop (stalled) when a refit lowered the barrier σ by less than this fraction of its previous
  /// value (both bands converged), in [0, 1): more labels of the same band no longer help; the
  /// remaining σ is the calibrated misfit of the basis.
  double min_std_decrease = 0.05;
  /// At most this many images are labelled per iteration, the most uncertain first (0: no limit).
  std::size_t max_labels_per_iteration = 0;
  /// Training weight of the labelled images (≥ 0).
  double label_weight = 1.0;
  /// Also run the hop on the reference potential, for comparison.
  bool reference_barrier = false;
  /// Hop-like held-out pairs for κ_D: after each band, this many perturbed copies of the band's
  /// (saddle, initial state) pair — one random symmetric strain up to ±pair_strain shared by the
  /// pair, independent displacements up to ±pair_displacement_A per component — are labelled
  /// with the reference (never trained on), and κ_D of the model is refitted on all pairs so far
  /// (MlipFramePair, calibrate_model) before the band's σ is judged and after every refit. 0: κ_D
  /// from the given held-out pairs or consecutive held-out frames only. Costs 2 reference calls
  /// per pair.
  std::size_t calibration_pairs_per_band = 10;
  double pair_strain = 0.01;
  double pair_displacement_A = 0.03;
  std::uint64_t pair_seed = 1;  ///< RandomStream(pair_seed, iteration)
};

/// One run of the band on the current model, and what was labelled after it.
struct ActiveLearningIteration {
  int iteration = 0;                  ///< 0 for the starting model
  std::size_t training_frames = 0;    ///< frames the model was fitted to
  double regularisation = 0.0;        ///< the model's λ (CV choice)
  MlipCalibration calibration;        ///< the model's κ
  HopStatus hop_status = HopStatus::ok;
  NebStatus neb_status = NebStatus::step_limit;
  bool band_converged = false;        ///< hop ok and the band converged
  double barrier_forward_eV = 0.0;    ///< E_saddle − E_initial on the model (valid when the band ran)
  double barrier_std_eV = 0.0;        ///< calibrated σ of that difference
  std::size_t calibration_pairs = 0;  ///< held-out pairs κ_D (calibration.difference) was fitted on
  /// Its noise part κ_D √(2σ²_e): the fit's residual misfit, which labelling does not remove
  /// (a floor for barrier_std_eV unless the refit lowers σ²_e or κ_D) [eV].
  double barrier_noise_std_eV = 0.0;
  double max_image_std_eV = 0.0;      ///< largest σ(E_image − E_initial) over the band
  double max_grade = 0.0;             ///< largest extrapolation grade over the band
  std::vector<std::size_t> labelled_images;  ///< band indices labelled after this iteration
  double fit_seconds = 0.0;           ///< training + calibration of this model
  double band_seconds = 0.0;          ///< relaxations + CI-NEB
  double label_seconds = 0.0;         ///< reference labelling
};

/// Why the loop stopped.
enum class ActiveLearningStatus {
  converged,       ///< the band converged and its barrier σ is below the tolerance
  stalled,         ///< a refit lowered the barrier σ by less than min_std_decrease
  refit_limit,     ///< max_refits reached without either
};
std::string to_string(ActiveLearningStatus s);

struct ActiveLearningResult {
  ActiveLearningStatus status = ActiveLearningStatus::refit_limit;
  std::vector<ActiveLearningIteration> iterations;
  MlipModel model;                               ///< the last model (calibrated)
  MlipTrainingReport training_report;            ///< its fit
  MlipCalibrationReport calibration_report;      ///< its calibration
  std::vector<lattice::XyzFrame> training_frames;  ///< the augmented training set of `model`
  std::vector<lattice::XyzFrame> labelled_frames;  ///< the frames the loop added, in order
  std::vector<MlipFramePair> calibration_pairs;    ///< held-out pairs (given and labelled), in order
  HopResult final_hop;                           ///< the hop on `model`
  std::optional<HopResult> reference_hop;        ///< on the reference (params.reference_barrier)
};

/// The data the loop starts from.
struct ActiveLearningData {
  std::vector<lattice::XyzFrame> training;  ///< labelled training frames (the fit needs them at every refit)
  std::vector<lattice::XyzFrame> held_out;  ///< calibration frames, never trained on (may be empty: κ = 1)
  /// A model to run the first band on instead of fitting `training` first (e.g. read from a file);
  /// it is used as given (its calibration included).
  std::optional<MlipModel> initial_model;
  /// Held-out hop-like pairs for κ_D (never trained on); the loop adds its own with
  /// ActiveLearningParams::calibration_pairs_per_band.
  std::vector<MlipFramePair> held_out_pairs = {};
};

/// Called after each iteration's band has run (before any labelling of that iteration, so
/// labelled_images is still empty) — for progress output.
using ActiveLearningObserver = std::function<void(const ActiveLearningIteration&)>;

/// Runs the loop on the unrelaxed end states `hop` (neb/HopBuilder.hpp), labelling with
/// `reference` (neb/ReferenceLabel.hpp). Images are selected when above a threshold; if none is
/// but the barrier σ is still above the tolerance (or the band did not converge), the saddle and
/// the initial state are labelled, so that every refit sees new data where the barrier is
/// measured. The first labelling always includes the initial state (the other end of every
/// σ(E_image − E_initial)). Throws std::invalid_argument for bad parameters or no training frames.
ActiveLearningResult run_active_learning(const HopEndStates& hop, const Potential& reference, ActiveLearningData data,
                                         const ActiveLearningParams& params, const ActiveLearningObserver& observer = {});

}  // namespace ionhop::neb
