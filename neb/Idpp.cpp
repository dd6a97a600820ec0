#include "neb/Idpp.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <memory>
#include <stdexcept>

#include "neb/FireOptimizer.hpp"
#include "neb/NebBand.hpp"
#include "neb/NebPath.hpp"
#include "neb/RelaxMinimizer.hpp"

namespace ionhop::neb {

namespace {

Eigen::Vector3d minimum_image(const lattice::Structure& s, const Eigen::Matrix3d& inv, Eigen::Vector3d d) {
  Eigen::Vector3d f = inv * d;
  for (int k = 0; k < 3; ++k) {
    if (s.pbc[k]) f[k] -= std::round(f[k]);
  }
  return s.cell * f;
}

Eigen::MatrixXd pair_distances(const lattice::Structure& s) {
  const Eigen::Index n = s.positions.cols();
  const Eigen::Matrix3d inv = s.cell.inverse();
  Eigen::MatrixXd d = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      d(i, j) = d(j, i) = minimum_image(s, inv, s.positions.col(j) - s.positions.col(i)).norm();
    }
  return d;
}

}  // namespace

IdppPotential::IdppPotential(const lattice::Structure& initial, const lattice::Structure& final_state, double tau) {
  if (!(tau >= 0.0 && tau <= 1.0)) throw std::invalid_argument("IdppPotential: tau must lie in [0, 1]");
  target_ = (1.0 - tau) * pair_distances(initial) + tau * pair_distances(final_state);
}

PotentialResult IdppPotential::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  const Eigen::Index n = s.positions.cols();
  if (n != target_.rows()) throw std::invalid_argument("IdppPotential: atom count differs from the end states");
  const Eigen::Matrix3d inv = s.cell.inverse();
  PotentialResult r;
  if (req.forces) r.forces = Eigen::Matrix3Xd::Zero(3, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j) {
      const Eigen::Vector3d v = minimum_image(s, inv, s.positions.col(j) - s.positions.col(i));
      const double d = v.norm();
      if (d == 0.0) throw std::invalid_argument("IdppPotential: two atoms coincide");
      const double dev = d - target_(i, j);
      const double w = 1.0 / (d * d * d * d);
      r.energy_eV += w * dev * dev;
      if (req.forces) {
        const double dsdd = 2.0 * w * dev - 4.0 * w * dev * dev / d;  // dS/dd
        const Eigen::Vector3d fj = -dsdd * v / d;
        r.forces.col(j) += fj;
        r.forces.col(i) -= fj;
      }
    }
  return r;
}

std::vector<lattice::Structure> idpp_path(const lattice::Structure& initial, const lattice::Structure& final_state,
                                          int n_intermediate, const IdppParams& params) {
  std::vector<lattice::Structure> band = linear_path(initial, final_state, n_intermediate);
  const lattice::Structure& fin = band.back();
  std::vector<std::unique_ptr<IdppPotential>> owned;
  std::vector<const Potential*> pots;
  for (std::size_t k = 0; k < band.size(); ++k) {
    owned.push_back(std::make_unique<IdppPotential>(initial, fin, static_cast<double>(k) / (band.size() - 1)));
    pots.push_back(owned.back().get());
  }
  NebSpringParams springs;
  springs.k_eV_A2 = params.spring;
  NebBand idpp_band(std::move(band), std::move(pots), springs);
  FireParams fp;
  fp.max_step_A = params.max_step_A;
  FireOptimizer fire(fp);
  // minimize() evaluates last at its final coordinates, so the band's images are those.
  minimize(idpp_band, fire, idpp_band.coordinates(), params.fmax, params.max_iterations);
  return idpp_band.images();
}

}  // namespace ionhop::neb
