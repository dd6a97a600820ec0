#pragma once
/// Wiring shared by `ionhop mlip train | test | learn`: reading the data sets a job names, the
/// held-out split, the training and calibration options from the job's sections, and the
/// checks that need the data (species against the basis), each reported as an
/// inputs::StudyError at the key of the job file that caused it (exit code 2).
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "inputs/MlipJobs.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipTraining.hpp"

namespace ionhop::app {

/// Where a job came from, for errors at a key.
struct MlipJobSource {
  std::string path;                          ///< the job file as given
  const inputs::SourceLocations* locations;  ///< its key positions
};

/// Throws inputs::StudyError with one diagnostic at the position of `key_path`.
[[noreturn]] void fail_at(const MlipJobSource& source, const std::string& key_path, const std::string& message);

/// Every frame of `files` (extended XYZ or HDF5 data sets), in order, except those whose
/// config_type is in `exclude`; a file that cannot be read, or holds no frame, is reported at
/// `<key_path>[i]`, no frame left at all at `key_path`.
std::vector<lattice::XyzFrame> load_mlip_frames(const std::vector<std::filesystem::path>& files, const std::string& key_path,
                                                const MlipJobSource& source, const std::vector<std::string>& exclude = {});

/// Training and held-out frames.
struct MlipSplit {
  std::vector<lattice::XyzFrame> training, held_out;
};

/// Holds out round(fraction × n) frames (at most n − 1) drawn uniformly without replacement with
/// neb::RandomStream(seed, 0); both parts keep the data's order. Deterministic.
MlipSplit split_held_out(std::vector<lattice::XyzFrame> frames, double fraction, std::uint64_t seed);

/// The job's split: [split] held_out_files, or held_out_fraction (default 0.2) of `frames`.
MlipSplit split_job_frames(std::vector<lattice::XyzFrame> frames, const inputs::MlipJobSplit& split, const MlipJobSource& source);

/// neb::MlipTrainingOptions from [basis], [baseline], [fit]; elements default to the species of
/// `frames`, sorted; a species of the frames missing from basis.elements is reported there.
neb::MlipTrainingOptions training_options(const inputs::MlipJobBasis& basis, const inputs::MlipJobBaseline& baseline,
                                          const inputs::MlipJobFit& fit, const std::vector<lattice::XyzFrame>& frames,
                                          const MlipJobSource& source);

/// [fit] applied to a model's own basis and baseline (a learn job with a starting model).
neb::MlipTrainingOptions training_options_for_model(const neb::MlipModel& model, const inputs::MlipJobFit& fit);

neb::MlipCalibrationOptions calibration_options(const inputs::MlipJobCalibration& calibration);

/// Every species of `frames` missing from `elements` is reported at `key_path`.
void check_species(const std::vector<lattice::XyzFrame>& frames, const std::vector<std::string>& elements,
                   const std::string& key_path, const MlipJobSource& source);

/// Prints the cross-validation table and the chosen point.
void print_cross_validation(std::ostream& out, const neb::MlipTrainingReport& report);

/// Prints the error table of `report` (overall, per element, per config_type) with `title`.
void print_error_report(std::ostream& out, const std::string& title, const neb::MlipErrorReport& report);

}  // namespace ionhop::app
