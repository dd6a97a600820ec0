#pragma once
/// The typed content of the MLIP job files of `ionhop mlip train`, `ionhop mlip test` and
/// `ionhop mlip learn`. The schema is inputs/MlipJobSchema.hpp, documented in docs/mlip.md.
///
/// Numbers the file does not give are std::nullopt: their defaults live in neb/
/// (MlipTrainingOptions, AceBasisSpec, MlipCalibrationOptions, ActiveLearningParams) and are
/// applied by the command, so they are defined once. Relative file names are resolved against
/// the job file's directory.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inputs/RelaxNebJob.hpp"
#include "inputs/SourceLocations.hpp"
#include "neb/PotentialSpec.hpp"

namespace ionhop::inputs {

/// `[data]`: labelled frames, from extended XYZ (`.xyz`, `.extxyz`) or HDF5 data sets (`.h5`).
struct MlipJobData {
  std::vector<std::filesystem::path> files;  ///< resolved, in the order given
  std::vector<std::string> exclude_config_types;  ///< frames of these config types are left out
};

/// `[split]`: which frames are held out for calibration (never trained on).
struct MlipJobSplit {
  /// Fraction of the `[data]` frames held out, drawn at random with `seed` (default 0.2 when
  /// no held_out_files are given).
  std::optional<double> held_out_fraction;
  /// Held-out frames from these files instead (resolved); then every `[data]` frame is trained on.
  std::vector<std::filesystem::path> held_out_files;
  std::uint64_t seed = 0;
};

/// `[basis]`: the ACE basis (neb::AceBasisSpec).
struct MlipJobBasis {
  std::vector<std::string> elements;  ///< empty: the species of the data, sorted
  std::optional<double> cutoff_A;     ///< [Å]
  std::optional<double> inner_A;      ///< [Å]
  std::optional<double> radial_exponent;
  std::optional<int> radial_size_2;
  std::optional<int> radial_size_3;
  std::vector<int> radial_sizes_3;    ///< CV candidates for radial_size_3 (empty: none)
  std::optional<int> lmax;
  std::optional<int> body_order;
  std::optional<int> radial_size_4;
  std::optional<int> lmax_4;
};

/// `[baseline]`: the fixed-charge Ewald baseline, or none.
struct MlipJobBaseline {
  /// The coulomb_ewald spec (charges and settings); nullopt for `type = "none"` or no section.
  std::optional<neb::PotentialSpec> spec;
  std::filesystem::path charges_from;  ///< the potential file the charges came from (resolved), if any
};

/// `[fit]`: the least-squares fit (neb::MlipTrainingOptions).
struct MlipJobFit {
  std::optional<double> energy_sigma_eV_per_atom;
  std::optional<double> force_sigma_eV_per_A;
  std::optional<double> stress_sigma_eV_per_A3;
  std::vector<double> lambdas;  ///< empty: the default grid
  std::optional<int> folds;
  std::optional<int> frames_per_batch;
};

/// `[calibration]`: neb::MlipCalibrationOptions.
struct MlipJobCalibration {
  std::optional<double> coverage;
  std::optional<bool> forces;
};

/// `ionhop mlip train JOB.toml`: fit a model and write `<name>.h5`.
struct MlipTrainJob {
  std::string name;  ///< `[job] name`; names the model file
  std::string description;
  std::string source_path;
  std::string source_text;
  MlipJobData data;
  MlipJobSplit split;
  MlipJobBasis basis;
  MlipJobBaseline baseline;
  MlipJobFit fit;
  MlipJobCalibration calibration;
  SourceLocations locations;
};

/// `ionhop mlip test JOB.toml`: errors of a model on data sets; parity data in `<name>.h5`.
struct MlipTestJob {
  std::string name;
  std::string description;
  std::string source_path;
  std::string source_text;
  std::filesystem::path model;  ///< `[model] file`, resolved
  MlipJobData data;
  bool force_uncertainty = true;  ///< `[test] force_sigma`: σ of every force component
  SourceLocations locations;
};

/// `[learn]`: the active-learning loop (neb::ActiveLearningParams).
struct MlipJobLearn {
  std::optional<double> barrier_std_tolerance_eV;
  std::optional<double> image_std_threshold_eV;
  std::optional<double> grade_threshold;
  std::optional<int> max_refits;
  std::optional<double> min_std_decrease;
  std::optional<int> max_labels_per_iteration;
  std::optional<double> label_weight;
  std::optional<int> calibration_pairs_per_band;
  bool reference_barrier = false;
};

/// `ionhop mlip learn JOB.toml`: the NEB job's sections ([job], [structure], [potential] = the
/// reference, [relax], [neb], [hop]) plus the training sections and [learn]; writes the final
/// model `<name>.h5` and the augmented data set `<name>_data.h5`.
struct MlipLearnJob {
  AtomisticJob hop_job;  ///< the NEB job view: structure, reference potential, relax, band, hop
  MlipJobData data;      ///< starting training data
  std::filesystem::path model;  ///< `[model] file` (resolved): the first band runs on it; empty: fit the data first
  MlipJobSplit split;
  MlipJobBasis basis;
  MlipJobBaseline baseline;
  MlipJobFit fit;
  MlipJobCalibration calibration;
  MlipJobLearn learn;
  SourceLocations locations;  ///< of the whole file
};

}  // namespace ionhop::inputs
