#include "neb/RelaxFreeAtoms.hpp"

#include <stdexcept>

namespace ionhop::neb {

std::vector<Eigen::Index> free_atom_indices(const lattice::Structure& s) {
  if (!s.fixed.empty() && s.fixed.size() != s.size()) {
    throw std::invalid_argument("Structure: fixed flags and species differ in size");
  }
  if (s.positions.cols() != static_cast<Eigen::Index>(s.size())) {
    throw std::invalid_argument("Structure: positions and species differ in size");
  }
  std::vector<Eigen::Index> idx;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!s.is_fixed(i)) idx.push_back(static_cast<Eigen::Index>(i));
  }
  return idx;
}

Eigen::VectorXd gather_atoms(const Eigen::Matrix3Xd& m, const std::vector<Eigen::Index>& atoms) {
  Eigen::VectorXd v(3 * static_cast<Eigen::Index>(atoms.size()));
  for (std::size_t k = 0; k < atoms.size(); ++k) v.segment<3>(3 * static_cast<Eigen::Index>(k)) = m.col(atoms[k]);
  return v;
}

void scatter_atoms(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& atoms, Eigen::Matrix3Xd& m) {
  for (std::size_t k = 0; k < atoms.size(); ++k) m.col(atoms[k]) = v.segment<3>(3 * static_cast<Eigen::Index>(k));
}

}  // namespace ionhop::neb
