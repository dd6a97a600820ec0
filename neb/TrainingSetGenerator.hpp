#pragma once
/// Training data for a machine-learned potential, labelled by a reference potential: strained
/// cells, random displacements, vacancies, interstitials, Langevin MD snapshots and the images
/// of a CI-NEB vacancy hop, each frame with energy, forces, stress and its config_type.
///
/// Deterministic: frame k of a kind draws from RandomStream(seed, stream of (kind, k)) and each
/// MD temperature from its own stream, so a seed fixes every frame whatever the thread count.
///
/// Charged defects: a vacancy or interstitial of one ion leaves the cell charged. Nothing is
/// compensated here: the reference energy is whatever the potential gives for that cell (the
/// Ewald term of neb/CoulombEwald adds the uniform neutralising background). For neutral defects
/// list a neutral group, e.g. a Schottky defect in Li₂O: vacancy species {"Li", "Li", "O"}.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// config_type of each kind of frame.
inline constexpr const char* kConfigStrained = "strained";
inline constexpr const char* kConfigDisplaced = "displaced";
inline constexpr const char* kConfigVacancy = "vacancy";
inline constexpr const char* kConfigInterstitial = "interstitial";
inline constexpr const char* kConfigMd = "md";
inline constexpr const char* kConfigNeb = "neb";

/// Homogeneously strained copies of the host (then rattled by displacement_A).
struct StrainedFrames {
  int frames = 0;
  double max_strain = 0.03;      ///< each strain component uniform in [−max, max], in [0, 0.5]
  double displacement_A = 0.02;  ///< Gaussian σ per component after straining [Å], ≥ 0
  double weight = 1.0;
};

/// The host with every free atom displaced.
struct DisplacedFrames {
  int frames = 0;
  double displacement_A = 0.1;  ///< Gaussian σ per Cartesian component [Å], ≥ 0
  double weight = 1.0;
};

/// Host minus one atom of each listed species (vacancy) or plus one of each (interstitial, at
/// the emptiest of many random points), then rattled.
struct DefectFrames {
  int frames = 0;
  std::vector<std::string> species;  ///< e.g. {"Li"}, or {"Li", "Li", "O"} for a Schottky defect
  double displacement_A = 0.05;      ///< Gaussian σ per component [Å], ≥ 0
  double weight = 1.0;
};

/// Langevin (BAOAB) MD of the host at each temperature; snapshots spaced to decorrelate.
struct MdFrames {
  std::vector<double> temperatures_K;    ///< each > 0
  int frames_per_temperature = 0;
  int equilibration_steps = 200;         ///< steps before the first snapshot, ≥ 0
  int steps_between_frames = 20;         ///< ≥ 1
  double timestep_fs = 1.0;              ///< > 0
  double friction_per_fs = 0.02;         ///< γ [1/fs], > 0 (1/γ = 50 fs)
  std::map<std::string, double> masses_u;  ///< overrides of the standard atomic weights [u]
  double weight = 1.0;
};

/// Every image of the CI-NEB band of a vacancy hop in the host (end states relaxed first).
struct NebFrames {
  std::size_t moving_atom = 0;   ///< host index of the hopping ion
  std::size_t vacancy_site = 0;  ///< host index of the removed ion (same species)
  HopParams hop;                 ///< relaxation and band parameters
  double weight = 1.0;
};

struct TrainingSetPlan {
  std::uint64_t seed = 0;
  StrainedFrames strained;
  DisplacedFrames displaced;
  DefectFrames vacancy;
  DefectFrames interstitial;
  MdFrames md;
  std::optional<NebFrames> neb;  ///< no NEB frames when absent
};

/// Frame counts and facts of one generation, for the command's summary.
struct TrainingSetReport {
  std::map<std::string, int> frames_by_config_type;
  double min_interstitial_clearance_A = 0.0;   ///< smallest distance of an inserted ion to its nearest atom
  std::string neb_status;                      ///< "" without NEB, else neb::to_string(HopStatus) / NebStatus
  double neb_barrier_forward_eV = 0.0;         ///< when the band ran
  int neb_force_calls = 0;
};

/// Labels the configurations of `plan` with `reference` (label_with_reference). Frames come in
/// the order strained, displaced, vacancy, interstitial, md (by temperature, then time), neb
/// (by image). Extra info per frame: md → temperature_K, time_fs; neb → image, hop_status,
/// barrier_forward_eV (when the band converged). Throws std::invalid_argument on a bad plan
/// (counts < 0, bad ranges, a non-periodic host, unknown species for a defect, NEB indices out
/// of range or of different species) before any work is done.
std::vector<lattice::XyzFrame> generate_training_set(const lattice::Structure& host, const Potential& reference,
                                                     const TrainingSetPlan& plan, TrainingSetReport* report = nullptr);

}  // namespace ionhop::neb
