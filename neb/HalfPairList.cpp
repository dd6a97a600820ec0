#include "neb/HalfPairList.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "neb/CellList.hpp"

namespace ionhop::neb {

bool HalfPairList::candidates_valid(const lattice::Structure& s, double cutoff_A) const {
  if (candidate_builds_ == 0 || cutoff_A > cand_cutoff_A_) return false;
  if (static_cast<Eigen::Index>(s.size()) != ref_positions_.cols() || s.cell != ref_cell_ || s.pbc != ref_pbc_) return false;
  const double limit2 = 0.25 * kSkin_A * kSkin_A;
  for (Eigen::Index i = 0; i < ref_positions_.cols(); ++i)
    if ((s.positions.col(i) - ref_positions_.col(i)).squaredNorm() > limit2) return false;
  return true;
}

void HalfPairList::make_candidates(const lattice::Structure& s, double cutoff_A) {
  const std::size_t n = s.size();
  const CellList cells(s, cutoff_A + kSkin_A);
  struct Candidate {
    int j;
    Eigen::Vector3i image;
  };
  std::vector<Candidate> row;
  cand_i_.clear();
  cand_j_.clear();
  cand_shift_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    row.clear();
    cells.for_each_half_neighbor(i, [&](std::size_t j, const Eigen::Vector3i& image, const Eigen::Vector3d&, double) {
      row.push_back({static_cast<int>(j), image});
    });
    // Canonical order (j, then image), independent of how atoms fell into bins.
    std::sort(row.begin(), row.end(), [](const Candidate& a, const Candidate& b) {
      if (a.j != b.j) return a.j < b.j;
      for (int k = 0; k < 3; ++k)
        if (a.image[k] != b.image[k]) return a.image[k] < b.image[k];
      return false;
    });
    for (const Candidate& c : row) {
      cand_i_.push_back(static_cast<int>(i));
      cand_j_.push_back(c.j);
      cand_shift_.push_back(s.cell * c.image.cast<double>());
    }
  }
  cand_cutoff_A_ = cutoff_A;
  ref_positions_ = s.positions;
  ref_cell_ = s.cell;
  ref_pbc_ = s.pbc;
  ++candidate_builds_;
}

void HalfPairList::build(const lattice::Structure& s, std::vector<double> shell_cutoffs_A) {
  if (shell_cutoffs_A.empty()) throw std::invalid_argument("HalfPairList: no cutoff");
  std::sort(shell_cutoffs_A.begin(), shell_cutoffs_A.end());
  shell_cutoffs_A.erase(std::unique(shell_cutoffs_A.begin(), shell_cutoffs_A.end()), shell_cutoffs_A.end());
  if (!(shell_cutoffs_A.front() > 0.0)) throw std::invalid_argument("HalfPairList: cutoffs must be positive");
  atoms_ = s.size();
  const std::size_t count = shell_cutoffs_A.size();
  shells_.resize(count);
  std::vector<double> cut2(count);
  for (std::size_t k = 0; k < count; ++k) {
    Shell& sh = shells_[k];
    sh.cutoff_A = shell_cutoffs_A[k];
    sh.count = 0;
    cut2[k] = sh.cutoff_A * sh.cutoff_A;
  }
  if (!candidates_valid(s, shell_cutoffs_A.back())) make_candidates(s, shell_cutoffs_A.back());
  // Room for every candidate in every shell (storage only grows, so this is rarely a reallocation).
  const std::size_t room = cand_i_.size();
  for (Shell& sh : shells_)
    if (sh.i.size() < room) {
      sh.i.resize(room);
      sh.j.resize(room);
      sh.d.resize(3 * room);
      sh.r2.resize(room);
    }
  const double* x = s.positions.data();
  const double max2 = cut2.back();
  for (std::size_t p = 0; p < cand_i_.size(); ++p) {
    const double* xi = x + 3 * static_cast<std::ptrdiff_t>(cand_i_[p]);
    const double* xj = x + 3 * static_cast<std::ptrdiff_t>(cand_j_[p]);
    const Eigen::Vector3d& t = cand_shift_[p];
    const double dx = (xj[0] - xi[0]) + t[0], dy = (xj[1] - xi[1]) + t[1], dz = (xj[2] - xi[2]) + t[2];
    const double r2 = dx * dx + dy * dy + dz * dz;
    if (r2 >= max2) continue;
    std::size_t k = 0;
    while (r2 >= cut2[k]) ++k;
    Shell& sh = shells_[k];
    const std::size_t c = sh.count++;
    sh.i[c] = cand_i_[p];
    sh.j[c] = cand_j_[p];
    sh.d[3 * c] = dx;
    sh.d[3 * c + 1] = dy;
    sh.d[3 * c + 2] = dz;
    sh.r2[c] = r2;
  }
}

std::size_t HalfPairList::shells_within(double cutoff_A) const {
  for (std::size_t k = 0; k < shells_.size(); ++k)
    if (shells_[k].cutoff_A == cutoff_A) return k + 1;
  throw std::invalid_argument("HalfPairList: " + std::to_string(cutoff_A) + " A is not one of the shell cutoffs");
}

std::size_t HalfPairList::size() const {
  std::size_t total = 0;
  for (const Shell& sh : shells_) total += sh.size();
  return total;
}

}  // namespace ionhop::neb
