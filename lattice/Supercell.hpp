#pragma once
/// A supercell of a crystal: integer site indexing and periodic neighbour lookup.
/// Site index = ((i·n_b + j)·n_c + k)·n_basis + b for cell (i, j, k), so the basis sites of one
/// cell, and cells adjacent along c, are adjacent in memory.
#include <Eigen/Dense>
#include <array>
#include <cstdint>

#include "lattice/Crystal.hpp"

namespace ionhop::lattice {

using SiteIndex = std::int32_t;

struct SiteAddress {
  std::array<int, 3> cell{0, 0, 0};
  int basis = 0;
};

class Supercell {
 public:
  Supercell(Crystal crystal, std::array<int, 3> repetitions);

  const Crystal& crystal() const { return crystal_; }
  const std::array<int, 3>& repetitions() const { return reps_; }
  int n_basis() const { return n_basis_; }
  SiteIndex n_sites() const { return n_sites_; }
  /// Supercell matrix (columns are the supercell vectors) [Å].
  Eigen::Matrix3d cell_A() const;
  double volume_A3() const { return std::abs(cell_A().determinant()); }

  SiteIndex index(const SiteAddress& a) const {
    return static_cast<SiteIndex>(((a.cell[0] * reps_[1] + a.cell[1]) * reps_[2] + a.cell[2]) * n_basis_ + a.basis);
  }
  SiteAddress address(SiteIndex s) const {
    SiteAddress a;
    a.basis = s % n_basis_;
    int c = s / n_basis_;
    a.cell[2] = c % reps_[2];
    c /= reps_[2];
    a.cell[1] = c % reps_[1];
    a.cell[0] = c / reps_[1];
    return a;
  }
  int basis_of(SiteIndex s) const { return s % n_basis_; }
  int type_of(SiteIndex s) const { return crystal_.basis[basis_of(s)].type; }
  /// The site `to_basis` in the cell `offset` away from the cell of `from`, wrapped periodically.
  SiteIndex neighbor(const SiteAddress& from, int to_basis, const Eigen::Vector3i& offset) const {
    SiteAddress t;
    t.basis = to_basis;
    for (int k = 0; k < 3; ++k) {
      int c = (from.cell[k] + offset[k]) % reps_[k];
      t.cell[k] = c < 0 ? c + reps_[k] : c;
    }
    return index(t);
  }
  /// Cartesian position of a site in the supercell [Å].
  Eigen::Vector3d position_A(SiteIndex s) const;
  /// Fractional position of a site along the supercell vectors, in [0, 1).
  Eigen::Vector3d supercell_fractional(SiteIndex s) const;

 private:
  Crystal crystal_;
  std::array<int, 3> reps_;
  int n_basis_;
  SiteIndex n_sites_;
};

}  // namespace ionhop::lattice
