#include "neb/NeighborList.hpp"

#include <algorithm>
#include <stdexcept>

#include "neb/CellList.hpp"

namespace ionhop::neb {
namespace {

bool positive_image(const Eigen::Vector3i& s) {
  if (s[0] != 0) return s[0] > 0;
  if (s[1] != 0) return s[1] > 0;
  return s[2] > 0;
}

}  // namespace

NeighborList::NeighborList(const NeighborListParams& params) : params_(params) {
  if (!(params.cutoff_A > 0.0)) throw std::invalid_argument("NeighborList: cutoff must be positive");
  if (!(params.skin_A >= 0.0)) throw std::invalid_argument("NeighborList: skin must be non-negative");
}

bool NeighborList::needs_rebuild(const lattice::Structure& s) const {
  if (builds_ == 0 || static_cast<Eigen::Index>(s.size()) != reference_positions_.cols()) return true;
  if (s.cell != reference_cell_ || s.pbc != reference_pbc_) return true;
  const double limit2 = 0.25 * params_.skin_A * params_.skin_A;
  for (Eigen::Index i = 0; i < reference_positions_.cols(); ++i)
    if ((s.positions.col(i) - reference_positions_.col(i)).squaredNorm() > limit2) return true;
  return false;
}

bool NeighborList::update(const lattice::Structure& s) {
  if (!needs_rebuild(s)) return false;
  build(s);
  return true;
}

void NeighborList::build(const lattice::Structure& s) {
  const CellList cells(s, params_.cutoff_A + params_.skin_A);
  const std::size_t n = s.size();
  std::vector<std::vector<int>> per_atom_j(n);
  std::vector<std::vector<Eigen::Vector3i>> per_atom_image(n);
#pragma omp parallel for schedule(dynamic, 64) if (n >= kMinAtomsPerParallelLoop)
  for (std::size_t i = 0; i < n; ++i) {
    cells.for_each_neighbor(i, [&](std::size_t j, const Eigen::Vector3i& image, const Eigen::Vector3d&, double) {
      if (params_.half && !(j > i || (j == i && positive_image(image)))) return;
      per_atom_j[i].push_back(static_cast<int>(j));
      per_atom_image[i].push_back(image);
    });
  }
  offsets_.assign(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) offsets_[i + 1] = offsets_[i] + per_atom_j[i].size();
  neighbors_.resize(offsets_[n]);
  images_.resize(offsets_[n]);
  for (std::size_t i = 0; i < n; ++i) {
    std::copy(per_atom_j[i].begin(), per_atom_j[i].end(), neighbors_.begin() + static_cast<std::ptrdiff_t>(offsets_[i]));
    std::copy(per_atom_image[i].begin(), per_atom_image[i].end(), images_.begin() + static_cast<std::ptrdiff_t>(offsets_[i]));
  }
  reference_positions_ = s.positions;
  reference_cell_ = s.cell;
  reference_pbc_ = s.pbc;
  ++builds_;
}

Eigen::Vector3d NeighborList::displacement(const lattice::Structure& s, std::size_t i, std::size_t k) const {
  const std::size_t entry = offsets_[i] + k;
  return s.positions.col(neighbors_[entry]) + s.cell * images_[entry].cast<double>() - s.positions.col(static_cast<Eigen::Index>(i));
}

}  // namespace ionhop::neb
