#pragma once
/// Stored neighbour lists (half or full) with periodic image shifts and a Verlet skin: the list
/// holds pairs within cutoff + skin and is rebuilt only when some atom moved more than skin/2
/// since the last build (or the cell, periodicity or atom count changed).
#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

struct NeighborListParams {
  double cutoff_A = 0.0;  ///< interaction cutoff [Å]
  double skin_A = 0.0;    ///< Verlet skin [Å]; pairs within cutoff + skin are stored
  /// Half list: each pair once (j > i, or j == i with a lexicographically positive image);
  /// full list: each pair under both atoms.
  bool half = true;
};

class NeighborList {
 public:
  /// Throws std::invalid_argument for cutoff ≤ 0 or skin < 0.
  explicit NeighborList(const NeighborListParams& params);

  /// Rebuilds when needed (see the file comment); returns true if it rebuilt.
  bool update(const lattice::Structure& s);
  /// Rebuilds unconditionally.
  void build(const lattice::Structure& s);

  const NeighborListParams& params() const { return params_; }
  std::size_t atom_count() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  /// Number of stored (i, j, image) entries.
  std::size_t entry_count() const { return neighbors_.size(); }
  /// Number of builds so far.
  int build_count() const { return builds_; }

  /// Neighbour indices of atom i (increasing within each visited bin, not globally sorted).
  std::span<const int> neighbors(std::size_t i) const {
    return {neighbors_.data() + offsets_[i], neighbors_.data() + offsets_[i + 1]};
  }
  /// Image shifts matching neighbors(i): neighbour k of i sits at r_j + cell·image.
  std::span<const Eigen::Vector3i> images(std::size_t i) const {
    return {images_.data() + offsets_[i], images_.data() + offsets_[i + 1]};
  }
  /// Current displacement of neighbour k of atom i in `s`: r_j + cell·image − r_i [Å].
  Eigen::Vector3d displacement(const lattice::Structure& s, std::size_t i, std::size_t k) const;

 private:
  bool needs_rebuild(const lattice::Structure& s) const;

  NeighborListParams params_;
  std::vector<std::size_t> offsets_;
  std::vector<int> neighbors_;
  std::vector<Eigen::Vector3i> images_;
  Eigen::Matrix3Xd reference_positions_;
  Eigen::Matrix3d reference_cell_ = Eigen::Matrix3d::Zero();
  std::array<bool, 3> reference_pbc_{};
  int builds_ = 0;
};

}  // namespace ionhop::neb
