#include "neb/MullerBrown.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace ionhop::neb {

namespace {
constexpr std::array<double, 4> kA{-200.0, -100.0, -170.0, 15.0};
constexpr std::array<double, 4> ka{-1.0, -1.0, -6.5, 0.7};
constexpr std::array<double, 4> kb{0.0, 0.0, 11.0, 0.6};
constexpr std::array<double, 4> kc{-10.0, -10.0, -6.5, 0.7};
constexpr std::array<double, 4> kx0{1.0, 0.0, -0.5, -1.0};
constexpr std::array<double, 4> ky0{0.0, 0.5, 1.5, 1.0};
}  // namespace

double MullerBrown::energy(double x, double y) {
  double e = 0.0;
  for (int k = 0; k < 4; ++k) {
    const double dx = x - kx0[k], dy = y - ky0[k];
    e += kA[k] * std::exp(ka[k] * dx * dx + kb[k] * dx * dy + kc[k] * dy * dy);
  }
  return e;
}

Eigen::Vector2d MullerBrown::gradient(double x, double y) {
  Eigen::Vector2d g = Eigen::Vector2d::Zero();
  for (int k = 0; k < 4; ++k) {
    const double dx = x - kx0[k], dy = y - ky0[k];
    const double t = kA[k] * std::exp(ka[k] * dx * dx + kb[k] * dx * dy + kc[k] * dy * dy);
    g.x() += t * (2.0 * ka[k] * dx + kb[k] * dy);
    g.y() += t * (kb[k] * dx + 2.0 * kc[k] * dy);
  }
  return g;
}

lattice::Structure MullerBrown::structure_at(double x, double y) {
  lattice::Structure s;
  s.pbc = {false, false, false};
  s.cell = Eigen::Matrix3d::Identity() * 10.0;
  s.species = {"X"};
  s.positions = Eigen::Matrix3Xd::Zero(3, 1);
  s.positions(0, 0) = x;
  s.positions(1, 0) = y;
  return s;
}

PotentialResult MullerBrown::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  if (s.positions.cols() != 1) throw std::invalid_argument("MullerBrown: the structure must hold exactly one atom");
  const double x = s.positions(0, 0), y = s.positions(1, 0);
  PotentialResult r;
  r.energy_eV = energy(x, y);
  if (req.forces) {
    const Eigen::Vector2d g = gradient(x, y);
    r.forces = Eigen::Matrix3Xd::Zero(3, 1);
    r.forces(0, 0) = -g.x();
    r.forces(1, 0) = -g.y();
  }
  return r;
}

}  // namespace ionhop::neb
