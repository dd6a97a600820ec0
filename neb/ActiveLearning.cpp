#include "neb/ActiveLearning.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <utility>

#include "neb/LinearAcePotential.hpp"
#include "neb/RandomStream.hpp"
#include "neb/ReferenceLabel.hpp"

namespace ionhop::neb {

std::string to_string(ActiveLearningStatus s) {
  switch (s) {
    case ActiveLearningStatus::converged: return "converged";
    case ActiveLearningStatus::stalled: return "stalled";
    case ActiveLearningStatus::refit_limit: return "refit_limit";
  }
  return "?";
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void check(const ActiveLearningParams& p, const ActiveLearningData& data) {
  auto positive = [](double v) { return std::isfinite(v) && v > 0.0; };
  if (!positive(p.barrier_std_tolerance_eV)) throw std::invalid_argument("active learning: barrier_std_tolerance_eV must be > 0");
  if (!positive(p.image_std_threshold_eV)) throw std::invalid_argument("active learning: image_std_threshold_eV must be > 0");
  if (!positive(p.grade_threshold)) throw std::invalid_argument("active learning: grade_threshold must be > 0");
  if (p.max_refits < 0) throw std::invalid_argument("active learning: max_refits must be >= 0");
  if (!(p.min_std_decrease >= 0.0 && p.min_std_decrease < 1.0))
    throw std::invalid_argument("active learning: min_std_decrease must be in [0, 1)");
  if (!(std::isfinite(p.label_weight) && p.label_weight >= 0.0))
    throw std::invalid_argument("active learning: label_weight must be >= 0");
  if (data.training.empty()) throw std::invalid_argument("active learning: no training frames");
  if (!(std::isfinite(p.pair_strain) && p.pair_strain >= 0.0 && p.pair_strain < 0.5))
    throw std::invalid_argument("active learning: pair_strain must be in [0, 0.5)");
  if (!(std::isfinite(p.pair_displacement_A) && p.pair_displacement_A >= 0.0))
    throw std::invalid_argument("active learning: pair_displacement_A must be >= 0");
}

/// A fitted, calibrated model and the reports of its fit.
struct Fit {
  MlipModel model;
  MlipTrainingReport training;
  MlipCalibrationReport calibration;
  double seconds = 0.0;
};

/// Calibrates on the held-out frames, and κ_D on the held-out pairs if there are any.
MlipCalibrationReport calibrate(MlipModel& model, const std::vector<lattice::XyzFrame>& held_out,
                                const std::vector<MlipFramePair>& pairs, const MlipCalibrationOptions& o) {
  return pairs.empty() ? calibrate_model(model, held_out, o) : calibrate_model(model, held_out, pairs, o);
}

Fit fit(const std::vector<lattice::XyzFrame>& training, const std::vector<lattice::XyzFrame>& held_out,
        const std::vector<MlipFramePair>& pairs, const ActiveLearningParams& p) {
  const auto start = Clock::now();
  TrainedLinearAce t = train_linear_ace(training, p.training);
  Fit f{std::move(t.model), std::move(t.report), {}, 0.0};
  if (!held_out.empty() || !pairs.empty()) f.calibration = calibrate(f.model, held_out, pairs, p.calibration);
  f.seconds = seconds_since(start);
  return f;
}

/// `count` perturbed copies of the pair (a, b), labelled with the reference: one random
/// symmetric strain up to ±max_strain for both, independent uniform displacements up to
/// ±max_displacement_A per component.
std::vector<MlipFramePair> perturbed_pairs(const lattice::Structure& a, const lattice::Structure& b, std::size_t count,
                                           const ActiveLearningParams& p, std::uint64_t stream, const Potential& reference) {
  RandomStream rng(p.pair_seed, stream);
  std::vector<lattice::Structure> structures;
  for (std::size_t k = 0; k < count; ++k) {
    Eigen::Matrix3d strain = Eigen::Matrix3d::Identity();
    for (int i = 0; i < 3; ++i)
      for (int j = i; j < 3; ++j) {
        const double e = rng.uniform(-p.pair_strain, p.pair_strain) * (i == j ? 1.0 : 0.5);
        strain(i, j) += e;
        if (i != j) strain(j, i) += e;
      }
    for (const lattice::Structure* source : {&a, &b}) {
      lattice::Structure s = *source;
      s.cell = strain * s.cell;
      s.positions = strain * s.positions;
      for (Eigen::Index i = 0; i < s.positions.size(); ++i)
        s.positions.data()[i] += rng.uniform(-p.pair_displacement_A, p.pair_displacement_A);
      structures.push_back(std::move(s));
    }
  }
  std::vector<lattice::XyzFrame> labelled = label_all_with_reference(structures, reference, "calibration_pair");
  std::vector<MlipFramePair> pairs;
  for (std::size_t k = 0; k < count; ++k) pairs.push_back({std::move(labelled[2 * k]), std::move(labelled[2 * k + 1])});
  return pairs;
}

/// The structures the loop can label after a hop: the band's images, or — when no band ran —
/// the two relaxed end states (whatever went wrong happened there).
std::vector<lattice::Structure> candidates(const HopResult& r) {
  if (r.status == HopStatus::ok && !r.neb.images.empty()) return r.neb.images;
  return {r.initial_relaxed.structure, r.final_relaxed.structure};
}

struct Scored {
  std::size_t index = 0;
  double std_eV = 0.0;  ///< σ(E_k − E_0)
  double grade = 0.0;
  double score = 0.0;   ///< max(σ / threshold, grade / threshold)
};

}  // namespace

ActiveLearningResult run_active_learning(const HopEndStates& hop, const Potential& reference, ActiveLearningData data,
                                         const ActiveLearningParams& params, const ActiveLearningObserver& observer) {
  check(params, data);
  ActiveLearningResult result;
  result.training_frames = std::move(data.training);
  const std::vector<lattice::XyzFrame>& held_out = data.held_out;
  std::vector<MlipFramePair>& pairs = result.calibration_pairs;
  pairs = std::move(data.held_out_pairs);

  Fit current;
  if (data.initial_model) {
    current.model = std::move(*data.initial_model);
  } else {
    current = fit(result.training_frames, held_out, pairs, params);
  }

  bool initial_labelled = false;  // the initial state of a band is in the training set
  for (int iteration = 0;; ++iteration) {
    std::optional<LinearAcePotential> band_mlip(std::in_place, current.model);
    ActiveLearningIteration it;
    it.iteration = iteration;
    it.training_frames = data.initial_model && iteration == 0 ? current.model.training_frames : result.training_frames.size();
    it.regularisation = current.model.regularisation;
    it.fit_seconds = current.seconds;

    auto start = Clock::now();
    HopResult band = run_hop(hop, *band_mlip, params.hop);
    it.band_seconds = seconds_since(start);
    it.hop_status = band.status;
    it.neb_status = band.neb.status;
    it.band_converged = band.status == HopStatus::ok && band.neb.converged;

    // Hop-like held-out pairs around this band, and κ_D refitted on them (energies and forces
    // do not depend on κ, so the band stands; only the σ judged below change).
    if (params.calibration_pairs_per_band > 0 && band.status == HopStatus::ok && band_mlip->has_uncertainty()) {
      start = Clock::now();
      for (MlipFramePair& p : perturbed_pairs(band.neb.images[band.neb.saddle_index], band.neb.images.front(),
                                              params.calibration_pairs_per_band, params, static_cast<std::uint64_t>(iteration),
                                              reference))
        pairs.push_back(std::move(p));
      MlipCalibrationOptions o = params.calibration;
      o.forces = false;  // κ_E and α come out as before; κ_F is kept
      current.calibration = calibrate(current.model, held_out, pairs, o);
      band_mlip.emplace(current.model);
      it.label_seconds = seconds_since(start);
    }
    const LinearAcePotential& mlip = *band_mlip;
    it.calibration = current.model.calibration;
    it.calibration_pairs = pairs.size();
    // Uncertainty of every candidate relative to the initial state, and its novelty.
    const std::vector<lattice::Structure> structures = candidates(band);
    const bool graded = !current.model.descriptor_statistics.empty();
    std::vector<Scored> scored(structures.size());
    for (std::size_t k = 0; k < structures.size(); ++k) {
      Scored& s = scored[k];
      s.index = k;
      if (k > 0 && mlip.has_uncertainty()) s.std_eV = mlip.energy_difference_uncertainty(structures[k], structures[0]).std_eV();
      if (graded) s.grade = mlip.extrapolation_grade(structures[k]).max;
      s.score = std::max(s.std_eV / params.image_std_threshold_eV, s.grade / params.grade_threshold);
      it.max_image_std_eV = std::max(it.max_image_std_eV, s.std_eV);
      it.max_grade = std::max(it.max_grade, s.grade);
    }
    std::size_t saddle = 0;
    if (band.status == HopStatus::ok) {
      saddle = band.neb.saddle_index;
      it.barrier_forward_eV = band.neb.barrier_forward_eV;
      if (mlip.has_uncertainty()) {
        const MlipEnergyUncertainty u = mlip.energy_difference_uncertainty(band.neb.images[saddle], band.neb.images.front());
        it.barrier_std_eV = u.std_eV();
        it.barrier_noise_std_eV = u.calibration * std::sqrt(u.noise_eV2);
      }
    }
    if (observer) observer(it);

    const bool done = it.band_converged && it.barrier_std_eV < params.barrier_std_tolerance_eV;
    const ActiveLearningIteration* previous = result.iterations.empty() ? nullptr : &result.iterations.back();
    const bool stalled = !done && previous != nullptr && previous->band_converged && it.band_converged &&
                         it.barrier_std_eV > (1.0 - params.min_std_decrease) * previous->barrier_std_eV;
    if (done || stalled || iteration == params.max_refits) {
      result.status = done ? ActiveLearningStatus::converged
                           : (stalled ? ActiveLearningStatus::stalled : ActiveLearningStatus::refit_limit);
      result.iterations.push_back(std::move(it));
      result.final_hop = std::move(band);
      break;
    }

    // Images over a threshold, the most uncertain first; if none, the two structures whose
    // difference is the barrier (or, with no band, the end states).
    std::vector<Scored> chosen;
    for (const Scored& s : scored)
      if (s.std_eV > params.image_std_threshold_eV || s.grade > params.grade_threshold) chosen.push_back(s);
    std::stable_sort(chosen.begin(), chosen.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    if (params.max_labels_per_iteration > 0 && chosen.size() > params.max_labels_per_iteration)
      chosen.resize(params.max_labels_per_iteration);
    if (chosen.empty()) {
      chosen.push_back(scored[0]);
      if (band.status == HopStatus::ok) {
        if (saddle != 0) chosen.push_back(scored[saddle]);
      } else if (scored.size() > 1) {
        chosen.push_back(scored[1]);
      }
    }
    // σ(E_k − E_0) is a difference: labelling image k alone leaves the initial state's side
    // unconstrained, so the initial state is labelled with the first images chosen.
    const bool has_initial = std::any_of(chosen.begin(), chosen.end(), [](const Scored& s) { return s.index == 0; });
    if (!has_initial && !initial_labelled) chosen.push_back(scored[0]);
    initial_labelled = true;
    std::sort(chosen.begin(), chosen.end(), [](const Scored& a, const Scored& b) { return a.index < b.index; });

    start = Clock::now();
    std::vector<lattice::Structure> to_label;
    for (const Scored& s : chosen) {
      to_label.push_back(structures[s.index]);
      it.labelled_images.push_back(s.index);
    }
    std::vector<lattice::XyzFrame> labelled = label_all_with_reference(to_label, reference, kConfigActiveLearning);
    for (std::size_t k = 0; k < labelled.size(); ++k) {
      labelled[k].weight = params.label_weight;
      labelled[k].info["al_iteration"] = std::to_string(iteration);
      labelled[k].info["image"] = std::to_string(chosen[k].index);
      result.training_frames.push_back(labelled[k]);
      result.labelled_frames.push_back(std::move(labelled[k]));
    }
    it.label_seconds += seconds_since(start);
    result.iterations.push_back(std::move(it));

    current = fit(result.training_frames, held_out, pairs, params);
  }

  result.model = std::move(current.model);
  result.training_report = std::move(current.training);
  result.calibration_report = current.calibration;
  if (params.reference_barrier) result.reference_hop = run_hop(hop, reference, params.hop);
  return result;
}

}  // namespace ionhop::neb
