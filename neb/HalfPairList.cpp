#include "neb/HalfPairList.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "neb/CellList.hpp"

namespace ionhop::neb {
namespace {

std::vector<double> sorted_unique(std::vector<double> cutoffs_A) {
  if (cutoffs_A.empty()) throw std::invalid_argument("HalfPairList: no cutoff");
  std::sort(cutoffs_A.begin(), cutoffs_A.end());
  cutoffs_A.erase(std::unique(cutoffs_A.begin(), cutoffs_A.end()), cutoffs_A.end());
  if (!(cutoffs_A.front() > 0.0)) throw std::invalid_argument("HalfPairList: cutoffs must be positive");
  return cutoffs_A;
}

}  // namespace

bool HalfPairList::still_valid(const lattice::Structure& s, const std::vector<double>& cutoffs_A) const {
  if (candidate_builds_ == 0 || lists_.size() != cutoffs_A.size()) return false;
  for (std::size_t k = 0; k < cutoffs_A.size(); ++k)
    if (lists_[k].cutoff_A != cutoffs_A[k]) return false;
  if (static_cast<Eigen::Index>(s.size()) != ref_positions_.cols() || s.cell != ref_cell_ || s.pbc != ref_pbc_) return false;
  const double limit2 = 0.25 * kSkin_A * kSkin_A;
  for (Eigen::Index i = 0; i < ref_positions_.cols(); ++i)
    if ((s.positions.col(i) - ref_positions_.col(i)).squaredNorm() > limit2) return false;
  return true;
}

void HalfPairList::make_candidates(const lattice::Structure& s, const std::vector<double>& cutoffs_A) {
  const std::size_t n = s.size();
  const std::size_t count = cutoffs_A.size();
  lists_.resize(count);
  std::vector<double> reach2(count);
  for (std::size_t k = 0; k < count; ++k) {
    Candidates& c = lists_[k];
    c.cutoff_A = cutoffs_A[k];
    c.i.clear();
    c.j.clear();
    c.shift.clear();
    reach2[k] = (cutoffs_A[k] + kSkin_A) * (cutoffs_A[k] + kSkin_A);
  }
  const CellList cells(s, cutoffs_A.back() + kSkin_A);
  struct Candidate {
    int j;
    Eigen::Vector3i image;
    double r2;
  };
  std::vector<Candidate> row;
  for (std::size_t i = 0; i < n; ++i) {
    row.clear();
    cells.for_each_half_neighbor(i, [&](std::size_t j, const Eigen::Vector3i& image, const Eigen::Vector3d&, double r2) {
      row.push_back({static_cast<int>(j), image, r2});
    });
    // Canonical order (j, then image), independent of how atoms fell into bins.
    std::sort(row.begin(), row.end(), [](const Candidate& a, const Candidate& b) {
      if (a.j != b.j) return a.j < b.j;
      for (int k = 0; k < 3; ++k)
        if (a.image[k] != b.image[k]) return a.image[k] < b.image[k];
      return false;
    });
    for (const Candidate& c : row) {
      const Eigen::Vector3d shift = s.cell * c.image.cast<double>();
      for (std::size_t k = 0; k < count; ++k) {
        if (c.r2 >= reach2[k]) continue;
        lists_[k].i.push_back(static_cast<int>(i));
        lists_[k].j.push_back(c.j);
        lists_[k].shift.push_back(shift);
      }
    }
  }
  ref_positions_ = s.positions;
  ref_cell_ = s.cell;
  ref_pbc_ = s.pbc;
  ++candidate_builds_;
}

void HalfPairList::build(const lattice::Structure& s, std::vector<double> cutoffs_A) {
  cutoffs_A = sorted_unique(std::move(cutoffs_A));
  atoms_ = s.size();
  if (!still_valid(s, cutoffs_A)) make_candidates(s, cutoffs_A);
}

const HalfPairList::Candidates& HalfPairList::candidates(double cutoff_A) const {
  for (const Candidates& c : lists_)
    if (c.cutoff_A == cutoff_A) return c;
  throw std::invalid_argument("HalfPairList: " + std::to_string(cutoff_A) + " A is not one of the cutoffs");
}

}  // namespace ionhop::neb
