#include "neb/NebPath.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

namespace ionhop::neb {

lattice::Structure unwrap_to(const lattice::Structure& initial, const lattice::Structure& final_state) {
  if (initial.size() != final_state.size() || initial.species != final_state.species ||
      initial.positions.cols() != final_state.positions.cols()) {
    throw std::invalid_argument("NEB end states must have the same atoms in the same order");
  }
  if ((initial.cell - final_state.cell).cwiseAbs().maxCoeff() > 1e-8 || initial.pbc != final_state.pbc) {
    throw std::invalid_argument("NEB end states must share one cell and periodicity");
  }
  lattice::Structure out = final_state;
  const Eigen::Matrix3d inv = initial.cell.inverse();
  for (Eigen::Index i = 0; i < out.positions.cols(); ++i) {
    const Eigen::Vector3d f = inv * (final_state.positions.col(i) - initial.positions.col(i));
    Eigen::Vector3d shift = Eigen::Vector3d::Zero();
    for (int k = 0; k < 3; ++k) {
      if (initial.pbc[k]) shift[k] = std::round(f[k]);
    }
    // Only shift by whole lattice vectors, so an atom that did not cross a boundary keeps its
    // coordinates bit for bit.
    if (!shift.isZero()) out.positions.col(i) -= initial.cell * shift;
  }
  return out;
}

std::vector<lattice::Structure> linear_path(const lattice::Structure& initial, const lattice::Structure& final_state,
                                            int n_intermediate) {
  if (n_intermediate < 1) throw std::invalid_argument("NEB needs at least one intermediate image");
  const lattice::Structure fin = unwrap_to(initial, final_state);
  std::vector<lattice::Structure> band;
  band.reserve(static_cast<std::size_t>(n_intermediate) + 2);
  band.push_back(initial);
  for (int k = 1; k <= n_intermediate; ++k) {
    const double t = static_cast<double>(k) / (n_intermediate + 1);
    lattice::Structure s = initial;
    s.positions = (1.0 - t) * initial.positions + t * fin.positions;
    band.push_back(std::move(s));
  }
  band.push_back(fin);
  return band;
}

std::vector<double> reaction_coordinate(const std::vector<lattice::Structure>& band) {
  std::vector<double> s(band.size(), 0.0);
  for (std::size_t i = 1; i < band.size(); ++i) {
    s[i] = s[i - 1] + (band[i].positions - band[i - 1].positions).norm();
  }
  return s;
}

}  // namespace ionhop::neb
