#pragma once
/// MLIP training data in HDF5: the same frames as an extended XYZ file (lattice/StructureExtxyz),
/// stored as ragged arrays (all atoms of all frames concatenated, frame by frame) so a data set
/// of many frames is a handful of datasets that h5py or numpy read in one call each. Layout in
/// docs/mlip-data.md (format "ionhop-mlip-dataset", version 1):
///
///   /                        attributes format, format_version, ionhop_version, created_utc,
///                            n_frames, n_atoms_total, and every MlipDatasetMetadata entry
///   /frames/n_atoms          [F]     atoms per frame
///   /frames/first_atom       [F]     index of the frame's first atom in /atoms/*
///   /frames/cell_A           [F, 9]  lattice vectors as rows a, b, c (extxyz Lattice order) [Å]
///   /frames/pbc              [F, 3]  periodic along a, b, c (0/1)
///   /frames/energy_eV        [F]     energy [eV], NaN where has_energy = 0
///   /frames/has_energy       [F]
///   /frames/has_forces       [F]     0: the frame's rows of /atoms/forces_eV_A are NaN
///   /frames/stress_eV_A3     [F, 9]  3×3 stress, row order, ASE sign (σ = −W/V) [eV/Å³], NaN where has_stress = 0
///   /frames/has_stress       [F]
///   /frames/weight           [F]     per-frame training weight
///   /frames/config_type      [F]     string ("" for none)
///   /frames/info             [F]     string: the other labels as extxyz key=value text
///   /atoms/species           [A]     string
///   /atoms/positions_A       [A, 3]  Cartesian positions [Å]
///   /atoms/forces_eV_A       [A, 3]  forces [eV/Å]
///   /atoms/fixed             [A]     1 for an atom held fixed (extxyz move_mask F)
///
/// Integers are int64, reals f8, strings variable-length UTF-8; every dataset has a "units"
/// attribute. Frames read back equal the frames written (bit for bit).
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/AtomicFile.hpp"
#include "lattice/StructureExtxyz.hpp"

namespace ionhop::app {

inline constexpr const char* kMlipDatasetFormat = "ionhop-mlip-dataset";
inline constexpr int kMlipDatasetFormatVersion = 1;

/// Extra root attributes (strings), e.g. {"job_name", ...}, {"reference_potential", ...}.
/// Names must not collide with the fixed attributes above.
using MlipDatasetMetadata = std::map<std::string, std::string>;

/// A file that is not an ionhop MLIP data set, or whose arrays are inconsistent.
class MlipDatasetError : public std::runtime_error {
 public:
  MlipDatasetError(const std::filesystem::path& file, const std::string& message)
      : std::runtime_error(file.string() + ": " + message) {}
};

/// Writes `frames` to the temporary file of a new AtomicFile for `target` and returns it
/// uncommitted, so a command can commit several outputs together (AtomicFile::commit). Throws
/// MlipDatasetError for frames that cannot be stored (no frames, a forces matrix of the wrong
/// size, a metadata name that is taken) and H5Error for HDF5 failures.
AtomicFile stage_mlip_dataset(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                              const MlipDatasetMetadata& metadata = {});

/// stage_mlip_dataset then commit: `target` is replaced only by a complete file.
void write_mlip_dataset(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                        const MlipDatasetMetadata& metadata = {});

/// Reads every frame. Throws MlipDatasetError (wrong format or version, inconsistent arrays)
/// or H5Error (not an HDF5 file, missing datasets).
std::vector<lattice::XyzFrame> read_mlip_dataset(const std::filesystem::path& path);

/// The metadata attributes written with the data set (the fixed attributes excluded).
MlipDatasetMetadata read_mlip_dataset_metadata(const std::filesystem::path& path);

}  // namespace ionhop::app
