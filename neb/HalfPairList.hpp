#pragma once
/// Every interacting pair of a periodic structure once (Newton's third law), with its current
/// displacement, sorted into distance shells so that a term with a short cutoff walks only the
/// short pairs; and the fixed-order accumulation of a pair kernel over such a list.
#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

class HalfPairList {
 public:
  /// The pairs of one distance shell, cutoff_{k−1} ≤ r < cutoff_k, ordered by i, then in the
  /// cell list's visiting order.
  struct Shell {
    double cutoff_A = 0.0;     ///< outer radius of the shell [Å]
    std::vector<int> i, j;     ///< atoms of each pair
    std::vector<double> d;     ///< r_ij = r_j + cell·image − r_i, 3 per pair [Å]
    std::vector<double> r2;    ///< |r_ij|² [Å²]
    std::size_t count = 0;     ///< pairs in the shell (the vectors may be longer: reused storage)
    std::size_t size() const { return count; }
  };

  /// Verlet skin [Å] of the candidate list kept between builds.
  static constexpr double kSkin_A = 1.0;

  HalfPairList() = default;
  /// See build().
  HalfPairList(const lattice::Structure& s, const std::vector<double>& shell_cutoffs_A) { build(s, shell_cutoffs_A); }

  /// Lists the pairs (i, j, image) with 0 < |r_ij| < the largest of `shell_cutoffs_A`, each
  /// unordered pair once (j > i, or j == i with a lexicographically positive image), one shell per
  /// distinct cutoff, r_ij = (r_j − r_i) + cell·image from the structure's (unwrapped) positions.
  ///
  /// The pairs come from a candidate list (pairs within the largest cutoff + kSkin_A, sorted by
  /// i, j, image) that is kept between builds and made anew only when the atom count, cell or
  /// periodicity changed, the largest cutoff grew, or some atom moved more than kSkin_A/2 since it
  /// was made (Verlet). Because the candidates are in canonical order and r_ij is always formed
  /// the same way, the list — and every sum over it — is the same bit for bit whether or not the
  /// candidates were reused. Throws std::invalid_argument for an empty or non-positive cutoff list.
  void build(const lattice::Structure& s, std::vector<double> shell_cutoffs_A);

  /// Number of times the candidate list was made (for tests).
  int candidate_builds() const { return candidate_builds_; }

  std::size_t atom_count() const { return atoms_; }
  const std::vector<Shell>& shells() const { return shells_; }
  /// Number of leading shells holding exactly the pairs with r < cutoff_A, which must be one of
  /// the shell cutoffs. Throws std::invalid_argument otherwise.
  std::size_t shells_within(double cutoff_A) const;
  /// Total number of pairs.
  std::size_t size() const;

 private:
  bool candidates_valid(const lattice::Structure& s, double cutoff_A) const;
  void make_candidates(const lattice::Structure& s, double cutoff_A);

  std::size_t atoms_ = 0;
  std::vector<Shell> shells_;
  // Candidate pairs (within reference cutoff + skin), canonical order, and their reference state.
  std::vector<int> cand_i_, cand_j_;
  std::vector<Eigen::Vector3d> cand_shift_;  ///< cell·image [Å]
  double cand_cutoff_A_ = 0.0;
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

/// Pairs per accumulation chunk. When the pairs within the cutoff fill more than two chunks,
/// each shell is split into fixed chunks, each with its own force buffer, summed in chunk order:
/// the result depends on the list only, never on the number of threads (no atomics), and the
/// chunks run in parallel with OpenMP. Smaller lists are summed serially in list order.
inline constexpr std::size_t kPairChunk = 1 << 15;

/// Adds Σ kernel(i, j, r2) over the pairs with r < cutoff_A (a shell cutoff of the list) to
/// result: energy; forces and virial if requested. kernel must be thread safe.
template <class Kernel>
void accumulate_pairs(const HalfPairList& pairs, double cutoff_A, const ComputeRequest& req, PotentialResult& result, Kernel&& kernel) {
  struct Chunk {
    const HalfPairList::Shell* shell;
    std::size_t lo, hi;
  };
  struct Sums {
    double energy = 0.0;
    Eigen::Matrix3d virial = Eigen::Matrix3d::Zero();
  };
  std::vector<Chunk> chunks;
  const std::size_t shell_count = pairs.shells_within(cutoff_A);
  for (std::size_t k = 0; k < shell_count; ++k) {
    const HalfPairList::Shell& sh = pairs.shells()[k];
    for (std::size_t lo = 0; lo < sh.size(); lo += kPairChunk) chunks.push_back({&sh, lo, std::min(sh.size(), lo + kPairChunk)});
  }
  // One chunk into (energy, virial) and a force array f (3 per atom, or null).
  auto run = [&](const Chunk& c, Sums& sums, double* f) {
    const int* pi = c.shell->i.data();
    const int* pj = c.shell->j.data();
    const double* d = c.shell->d.data();
    const double* r2 = c.shell->r2.data();
    double e = 0.0;
    double w00 = 0, w01 = 0, w02 = 0, w11 = 0, w12 = 0, w22 = 0;
    for (std::size_t p = c.lo; p < c.hi; ++p) {
      const PairTerm t = kernel(pi[p], pj[p], r2[p]);
      e += t.energy_eV;
      const double g = t.g_eV_A2;
      const double x = d[3 * p], y = d[3 * p + 1], z = d[3 * p + 2];
      if (f != nullptr) {
        double* fi = f + 3 * static_cast<std::ptrdiff_t>(pi[p]);
        double* fj = f + 3 * static_cast<std::ptrdiff_t>(pj[p]);
        fi[0] += g * x, fi[1] += g * y, fi[2] += g * z;
        fj[0] -= g * x, fj[1] -= g * y, fj[2] -= g * z;
      }
      if (req.virial) {
        w00 -= g * x * x, w01 -= g * x * y, w02 -= g * x * z;
        w11 -= g * y * y, w12 -= g * y * z, w22 -= g * z * z;
      }
    }
    sums.energy += e;
    if (req.virial) {
      Eigen::Matrix3d w;
      w << w00, w01, w02, w01, w11, w12, w02, w12, w22;
      sums.virial += w;
    }
  };
  if (chunks.size() <= 2) {
    Sums sums;
    for (const Chunk& c : chunks) run(c, sums, req.forces ? result.forces.data() : nullptr);
    result.energy_eV += sums.energy;
    if (req.virial && result.virial_eV) *result.virial_eV += sums.virial;
    return;
  }
  const auto n = static_cast<Eigen::Index>(pairs.atom_count());
  std::vector<Sums> sums(chunks.size());
  std::vector<Eigen::Matrix3Xd> buffers(req.forces ? chunks.size() : 0);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    double* f = nullptr;
    if (req.forces) {
      buffers[c] = Eigen::Matrix3Xd::Zero(3, n);
      f = buffers[c].data();
    }
    run(chunks[c], sums[c], f);
  }
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    result.energy_eV += sums[c].energy;
    if (req.virial && result.virial_eV) *result.virial_eV += sums[c].virial;
    if (req.forces) result.forces += buffers[c];
  }
}

}  // namespace ionhop::neb
