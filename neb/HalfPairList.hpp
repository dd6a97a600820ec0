#pragma once
/// Every interacting pair of a periodic structure once (Newton's third law), from Verlet
/// candidate lists kept between calls (one per cutoff, so a term with a short cutoff walks only
/// the short pairs); and the fixed-order accumulation of a pair kernel over such a list.
#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

class HalfPairList {
 public:
  /// Candidate pairs for one cutoff r_c: every pair (i, j, image) that was within r_c + kSkin_A
  /// when the list was made, each unordered pair once (j > i, or j == i with a lexicographically
  /// positive image), sorted by i, j, image. The current displacement of pair p is
  /// r_ij = (r_j − r_i) + shift[p] from the structure's (unwrapped) positions.
  struct Candidates {
    double cutoff_A = 0.0;              ///< the cutoff r_c these candidates serve [Å]
    std::vector<int> i, j;              ///< atoms of each pair
    std::vector<Eigen::Vector3d> shift; ///< cell·image [Å]
    std::size_t size() const { return i.size(); }
  };

  /// Verlet skin [Å] of the candidate lists kept between builds.
  static constexpr double kSkin_A = 1.0;

  HalfPairList() = default;
  /// See build().
  HalfPairList(const lattice::Structure& s, const std::vector<double>& cutoffs_A) { build(s, cutoffs_A); }

  /// Makes the candidate lists of each distinct cutoff in `cutoffs_A` ready for `s`. They are kept
  /// between builds and made anew only when the atom count, cell, periodicity or the set of
  /// cutoffs changed, or some atom moved more than kSkin_A/2 since they were made (Verlet), so a
  /// pair within r_c now is always a candidate. Because candidates are in canonical order and
  /// r_ij is always formed the same way, every sum over the pairs within r_c is the same bit for
  /// bit whether or not the candidates were reused. Throws std::invalid_argument for an empty or
  /// non-positive cutoff list.
  void build(const lattice::Structure& s, std::vector<double> cutoffs_A);

  std::size_t atom_count() const { return atoms_; }
  /// The candidates of `cutoff_A`, which must be one of the cutoffs of the last build (else
  /// std::invalid_argument).
  const Candidates& candidates(double cutoff_A) const;
  /// Number of times the candidate lists were made (for tests).
  int candidate_builds() const { return candidate_builds_; }

 private:
  bool still_valid(const lattice::Structure& s, const std::vector<double>& cutoffs_A) const;
  void make_candidates(const lattice::Structure& s, const std::vector<double>& cutoffs_A);

  std::size_t atoms_ = 0;
  std::vector<Candidates> lists_;  ///< one per cutoff, ascending
  Eigen::Matrix3Xd ref_positions_;
  Eigen::Matrix3d ref_cell_ = Eigen::Matrix3d::Zero();
  std::array<bool, 3> ref_pbc_{};
  int candidate_builds_ = 0;
};

/// What a pair kernel returns for one pair: its energy [eV] and g = (dφ/dr)/r [eV/Å²]; the force
/// on i is g·r_ij, on j −g·r_ij, and the pair virial −g r_ij r_ijᵀ.
struct PairTerm {
  double energy_eV = 0.0;
  double g_eV_A2 = 0.0;
};

/// Atoms (first pair members) per accumulation chunk. A structure of more than two chunks' atoms
/// is summed in fixed chunks of atoms, each with its own force buffer, added in chunk order; the
/// chunks run in parallel with OpenMP. Chunks depend on the atom count only — not on the number
/// of threads nor on which non-contributing candidates the list holds — so sums are reproducible
/// bit for bit. Smaller structures are summed serially in list order.
inline constexpr std::size_t kAtomsPerChunk = 256;

/// Adds Σ kernel(i, j, r²) over the pairs of s with r < cutoff_A (a cutoff of the list's last
/// build, made for s) to result: energy; forces and virial if requested. kernel must be thread
/// safe.
template <class Kernel>
void accumulate_pairs(const HalfPairList& pairs, const lattice::Structure& s, double cutoff_A, const ComputeRequest& req,
                      PotentialResult& result, Kernel&& kernel) {
  struct Sums {
    double energy = 0.0;
    Eigen::Matrix3d virial = Eigen::Matrix3d::Zero();
  };
  const HalfPairList::Candidates& list = pairs.candidates(cutoff_A);
  const double cutoff2 = cutoff_A * cutoff_A;
  const double* x = s.positions.data();
  // Candidates [lo, hi) into (energy, virial) and a force array f (3 per atom, or null).
  auto run = [&](std::size_t lo, std::size_t hi, Sums& sums, double* f) {
    const int* pi = list.i.data();
    const int* pj = list.j.data();
    const Eigen::Vector3d* shift = list.shift.data();
    double e = 0.0;
    double w00 = 0, w01 = 0, w02 = 0, w11 = 0, w12 = 0, w22 = 0;
    for (std::size_t p = lo; p < hi; ++p) {
      const double* xi = x + 3 * static_cast<std::ptrdiff_t>(pi[p]);
      const double* xj = x + 3 * static_cast<std::ptrdiff_t>(pj[p]);
      const double dx = (xj[0] - xi[0]) + shift[p][0], dy = (xj[1] - xi[1]) + shift[p][1], dz = (xj[2] - xi[2]) + shift[p][2];
      const double r2 = dx * dx + dy * dy + dz * dz;
      if (r2 >= cutoff2) continue;
      const PairTerm t = kernel(pi[p], pj[p], r2);
      e += t.energy_eV;
      const double g = t.g_eV_A2;
      if (f != nullptr) {
        double* fi = f + 3 * static_cast<std::ptrdiff_t>(pi[p]);
        double* fj = f + 3 * static_cast<std::ptrdiff_t>(pj[p]);
        fi[0] += g * dx, fi[1] += g * dy, fi[2] += g * dz;
        fj[0] -= g * dx, fj[1] -= g * dy, fj[2] -= g * dz;
      }
      if (req.virial) {
        w00 -= g * dx * dx, w01 -= g * dx * dy, w02 -= g * dx * dz;
        w11 -= g * dy * dy, w12 -= g * dy * dz, w22 -= g * dz * dz;
      }
    }
    sums.energy += e;
    if (req.virial) {
      Eigen::Matrix3d w;
      w << w00, w01, w02, w01, w11, w12, w02, w12, w22;
      sums.virial += w;
    }
  };
  const std::size_t atoms = pairs.atom_count();
  const std::size_t chunks = (atoms + kAtomsPerChunk - 1) / kAtomsPerChunk;
  if (chunks <= 2) {
    Sums sums;
    run(0, list.size(), sums, req.forces ? result.forces.data() : nullptr);
    result.energy_eV += sums.energy;
    if (req.virial && result.virial_eV) *result.virial_eV += sums.virial;
    return;
  }
  const auto n = static_cast<Eigen::Index>(pairs.atom_count());
  std::vector<Sums> sums(chunks);
  std::vector<Eigen::Matrix3Xd> buffers(req.forces ? chunks : 0);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t c = 0; c < chunks; ++c) {
    double* f = nullptr;
    if (req.forces) {
      buffers[c] = Eigen::Matrix3Xd::Zero(3, n);
      f = buffers[c].data();
    }
    // Candidates are sorted by i: the chunk's atoms own one contiguous range.
    const auto first = std::lower_bound(list.i.begin(), list.i.end(), static_cast<int>(c * kAtomsPerChunk));
    const auto last = std::lower_bound(first, list.i.end(), static_cast<int>(std::min(atoms, (c + 1) * kAtomsPerChunk)));
    run(static_cast<std::size_t>(first - list.i.begin()), static_cast<std::size_t>(last - list.i.begin()), sums[c], f);
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    result.energy_eV += sums[c].energy;
    if (req.virial && result.virial_eV) *result.virial_eV += sums[c].virial;
    if (req.forces) result.forces += buffers[c];
  }
}

}  // namespace ionhop::neb
