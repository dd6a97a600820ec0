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
    const auto u = static_cast<std::uint32_t>(s);
    const std::uint32_t c = div_basis_.quotient(u);
    a.basis = static_cast<int>(u - c * static_cast<std::uint32_t>(n_basis_));
    const std::uint32_t ij = div_c_.quotient(c);
    a.cell[2] = static_cast<int>(c - ij * static_cast<std::uint32_t>(reps_[2]));
    const std::uint32_t i = div_b_.quotient(ij);
    a.cell[1] = static_cast<int>(ij - i * static_cast<std::uint32_t>(reps_[1]));
    a.cell[0] = static_cast<int>(i);
    return a;
  }
  int basis_of(SiteIndex s) const {
    const auto u = static_cast<std::uint32_t>(s);
    return static_cast<int>(u - div_basis_.quotient(u) * static_cast<std::uint32_t>(n_basis_));
  }
  int type_of(SiteIndex s) const { return crystal_.basis[basis_of(s)].type; }
  /// The site `to_basis` in the cell `offset` away from the cell of `from`, wrapped periodically.
  SiteAddress shifted(const SiteAddress& from, int to_basis, const std::array<int, 3>& offset) const {
    SiteAddress t;
    t.basis = to_basis;
    for (int k = 0; k < 3; ++k) t.cell[k] = wrap(from.cell[k] + offset[k], reps_[k]);
    return t;
  }
  SiteIndex neighbor(const SiteAddress& from, int to_basis, const std::array<int, 3>& offset) const {
    return index(shifted(from, to_basis, offset));
  }
  SiteIndex neighbor(const SiteAddress& from, int to_basis, const Eigen::Vector3i& offset) const {
    return neighbor(from, to_basis, std::array<int, 3>{offset[0], offset[1], offset[2]});
  }
  /// index(shifted(a, to_basis, offset)) − index(a) for any address a of basis `from_basis`
  /// from which the step does not wrap around the supercell.
  SiteIndex index_step(int from_basis, int to_basis, const std::array<int, 3>& offset) const {
    return static_cast<SiteIndex>(((offset[0] * reps_[1] + offset[1]) * reps_[2] + offset[2]) * n_basis_ +
                                  (to_basis - from_basis));
  }
  /// Cartesian position of a site in the supercell [Å].
  Eigen::Vector3d position_A(SiteIndex s) const;
  /// Fractional position of a site along the supercell vectors, in [0, 1).
  Eigen::Vector3d supercell_fractional(SiteIndex s) const;

 private:
  /// Unsigned 32-bit division by a divisor fixed at construction, as a multiply-high
  /// (Lemire, Kaser & Kurz, Softw. Pract. Exper. 49, 953 (2019)): exact for every 32-bit
  /// numerator. Decoding a site index is on the KMC engine's hot path, and hardware division
  /// costs several times a multiplication.
  class Divisor {
   public:
    explicit Divisor(std::uint32_t d = 1) : d_(d), m_(d > 1 ? ~std::uint64_t{0} / d + 1 : 0) {}
    std::uint32_t quotient(std::uint32_t n) const {
      if (d_ == 1) return n;
      return static_cast<std::uint32_t>((static_cast<__uint128_t>(m_) * n) >> 64);
    }

   private:
    std::uint32_t d_;
    std::uint64_t m_;  // ⌈2⁶⁴/d⌉
  };

  /// c wrapped into [0, n). Offsets of less than one supercell (the usual case) need a
  /// comparison only; larger ones fall back to the remainder.
  static int wrap(int c, int n) {
    if (c >= n) {
      c -= n;
      if (c >= n) c %= n;
    } else if (c < 0) {
      c += n;
      if (c < 0) {
        c %= n;
        if (c < 0) c += n;
      }
    }
    return c;
  }

  Crystal crystal_;
  std::array<int, 3> reps_;
  int n_basis_;
  SiteIndex n_sites_;
  Divisor div_basis_, div_c_, div_b_;  // by n_basis, reps[2], reps[1]
};

}  // namespace ionhop::lattice
