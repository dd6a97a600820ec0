#pragma once
/// Output files of `ionhop relax` and `ionhop neb`: extended XYZ structures and the NEB record
/// (HDF5), each written atomically (app/AtomicFile.hpp). Layouts in docs/relax-neb-format.md.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/AtomicFile.hpp"
#include "inputs/RelaxNebJob.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/HopBuilder.hpp"

namespace ionhop::app {

/// Format name and version of the NEB record (root attributes `format`, `format_version`).
inline constexpr const char* kNebRecordFormat = "ionhop-neb";
inline constexpr int kNebRecordFormatVersion = 1;

/// Run facts stored with the record.
struct NebRunMetadata {
  int threads = 1;
  double wall_time_s = 0.0;
  int host_force_calls = 0;  ///< force calls of the host cell relaxation (0 if none)
};

/// Staged output files: each is written to its temporary name first; commit_all() renames them
/// all onto their targets only once every one is complete, so a failure leaves no output file.
class OutputSet {
 public:
  /// Writes `frames` as extended XYZ to the temporary file of `target`.
  void add_extxyz(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames);
  /// Writes the NEB record to the temporary file of `target`.
  void add_neb_record(const std::filesystem::path& target, const inputs::AtomisticJob& job,
                      const neb::HopResult& hop, const NebRunMetadata& meta);
  /// Renames every staged file onto its target.
  void commit_all();

 private:
  std::vector<AtomicFile> files_;  ///< uncommitted ones delete their temporary file when destroyed
};

/// The frames of the NEB band: one per image with `energy`, `image`, `reaction_coordinate_A`.
std::vector<lattice::XyzFrame> band_frames(const neb::NebResult& neb);

}  // namespace ionhop::app
