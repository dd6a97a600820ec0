#pragma once
/// O(N) cell (bin) lists over a periodic, possibly triclinic cell, visiting every neighbour of an
/// atom through every periodic image within the cutoff — also when the cell is narrower than
/// twice the cutoff, where one atom has several images (and itself) as neighbours.
#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

/// Below this many atoms the potentials' loops run serially: starting a parallel region costs
/// more than the work (and much more on an oversubscribed machine).
inline constexpr std::size_t kMinAtomsPerParallelLoop = 256;

/// Bins atoms (wrapped into the cell along periodic axes) into bins of about two atoms each, at
/// most cutoff/2 wide in every perpendicular direction; a search visits a precomputed stencil of
/// bin offsets within ⌈cutoff/bin width⌉ of the atom's bin, through periodic images when the
/// range exceeds the cell, leaving out offsets whose bins cannot hold a point within the cutoff
/// (so the visited volume stays close to the cutoff sphere even in cells smaller than the cutoff).
/// Visiting order is fixed (bin offsets in lexicographic order, atoms by index), so results do
/// not depend on threading.
class CellList {
 public:
  /// Throws std::invalid_argument for cutoff ≤ 0 or a degenerate cell.
  CellList(const lattice::Structure& s, double cutoff_A);

  double cutoff_A() const { return cutoff_; }
  std::size_t atom_count() const { return atom_bin_.size(); }

  /// Calls f(j, image, r_ij, r2) for every atom j and image with 0 < |r_ij| < cutoff, where
  /// r_ij = r_j + cell·image − r_i in the *unwrapped* positions of the structure [Å],
  /// r2 = |r_ij|² [Å²]. Each (j, image) appears once; i itself appears for non-zero images.
  template <class F>
  void for_each_neighbor(std::size_t i, F&& f) const {
    visit<false>(i, f);
  }
  /// As for_each_neighbor, restricted to one member of each unordered pair: j > i, or j == i with
  /// a lexicographically positive image (the others are skipped before their distance is formed).
  template <class F>
  void for_each_half_neighbor(std::size_t i, F&& f) const {
    visit<true>(i, f);
  }

 private:
  template <bool Half, class F>
  void visit(std::size_t i, F& f) const;

  Eigen::Matrix3d cell_;
  double cutoff_ = 0.0;
  std::array<bool, 3> pbc_{};
  std::array<int, 3> bins_{1, 1, 1};
  std::array<int, 3> reach_{0, 0, 0};
  std::vector<std::array<int, 3>> stencil_;   ///< bin offsets visited, lexicographic order
  /// Per axis, for bin b and offset o: {neighbour bin or −1 outside an open axis, image shift},
  /// at index b·(2 reach + 1) + o + reach.
  std::array<std::vector<std::array<int, 2>>, 3> offset_table_;
  Eigen::Matrix3Xd wrapped_;                  ///< wrapped Cartesian positions, 3×N [Å]
  std::vector<Eigen::Vector3i> wrap_shift_;   ///< wrapped = position + cell·wrap_shift
  std::vector<std::array<int, 3>> atom_bin_;  ///< bin coordinates of each atom
  std::vector<int> bin_start_;                ///< CSR over bins (size bins+1)
  std::vector<int> bin_atoms_;                ///< atom indices ordered by bin, then index
};

template <bool Half, class F>
void CellList::visit(std::size_t i, F& f) const {
  const double cutoff2 = cutoff_ * cutoff_;
  const std::array<int, 3>& b = atom_bin_[i];
  const Eigen::Vector3d ri = wrapped_.col(static_cast<Eigen::Index>(i));
  for (const std::array<int, 3>& offset : stencil_) {
    int nb[3], shift[3];
    bool inside = true;
    for (int k = 0; k < 3; ++k) {
      // Precomputed per axis: (bin, offset) → neighbour bin and image shift (−1 bin: outside).
      const auto& entry = offset_table_[k][static_cast<std::size_t>(b[k] * (2 * reach_[k] + 1) + offset[k] + reach_[k])];
      nb[k] = entry[0];
      shift[k] = entry[1];
      inside = inside && entry[0] >= 0;
    }
    if (!inside) continue;
    const Eigen::Vector3i s(shift[0], shift[1], shift[2]);
    const Eigen::Vector3d translation = cell_ * s.cast<double>() - ri;
    const int bin = (nb[0] * bins_[1] + nb[1]) * bins_[2] + nb[2];
    for (int k = bin_start_[bin]; k < bin_start_[bin + 1]; ++k) {
      const int j = bin_atoms_[k];
      if constexpr (Half) {
        if (static_cast<std::size_t>(j) < i) continue;
        if (static_cast<std::size_t>(j) == i) {
          // j == i: the image is s itself (equal wrap shifts); keep the positive half.
          const bool positive = s[0] != 0 ? s[0] > 0 : s[1] != 0 ? s[1] > 0 : s[2] > 0;
          if (!positive) continue;
        }
      }
      const Eigen::Vector3d r = wrapped_.col(j) + translation;
      const double r2 = r.squaredNorm();
      if (r2 >= cutoff2) continue;
      if (static_cast<std::size_t>(j) == i && s.isZero()) continue;
      const Eigen::Vector3i image = s + wrap_shift_[static_cast<std::size_t>(j)] - wrap_shift_[i];
      f(static_cast<std::size_t>(j), image, r, r2);
    }
  }
}

}  // namespace ionhop::neb
