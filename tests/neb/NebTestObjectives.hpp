#pragma once
// Closed-form objectives and a small pair potential for the optimizer and NEB tests.
#include <Eigen/Dense>
#include <cmath>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"
#include "neb/RelaxObjective.hpp"

namespace ionhop::neb::nebtest {

// f(x) = ½ xᵀAx − bᵀx in 6 coordinates (two "atoms"), A symmetric positive definite.
class Quadratic final : public RelaxObjective {
 public:
  Quadratic() {
    Eigen::MatrixXd q = Eigen::MatrixXd::Identity(6, 6);
    // A fixed rotation mixes all coordinates so the Hessian is not diagonal.
    Eigen::MatrixXd m(6, 6);
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) m(i, j) = std::sin(1.0 + i + 2.0 * j);
    q = Eigen::HouseholderQR<Eigen::MatrixXd>(m).householderQ();
    Eigen::VectorXd eig(6);
    eig << 0.5, 1.0, 2.0, 4.0, 7.0, 10.0;  // eV/Å²
    a = q * eig.asDiagonal() * q.transpose();
    b = Eigen::VectorXd::LinSpaced(6, -1.0, 1.5);
  }
  Eigen::Index dimension() const override { return 6; }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& f) override {
    f = b - a * x;
    return 0.5 * x.dot(a * x) - b.dot(x);
  }
  Eigen::VectorXd minimum() const { return a.ldlt().solve(b); }
  static constexpr double kSmallestEigenvalue = 0.5;
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
};

// Rosenbrock's valley f = (1−x)² + 100 (y − x²)², minimum 0 at (1, 1); one 2-coordinate block.
class Rosenbrock final : public RelaxObjective {
 public:
  Eigen::Index dimension() const override { return 2; }
  double evaluate(const Eigen::VectorXd& v, Eigen::VectorXd& f) override {
    const double x = v[0], y = v[1];
    f.resize(2);
    f[0] = 2.0 * (1.0 - x) + 400.0 * x * (y - x * x);
    f[1] = -200.0 * (y - x * x);
    return (1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x);
  }
  double max_block_norm(const Eigen::VectorXd& v) const override { return neb::max_block_norm(v, 2); }
  // Smallest Hessian eigenvalue at (1, 1): H = [[802, −400], [−400, 200]].
  static constexpr double kSmallestEigenvalue = 0.3993607;
};

// Lennard-Jones 12-6 summed over all periodic images within the cutoff (O(N² · images)); the
// pair energy is shifted to zero at the cutoff as in ASE's LennardJones(smooth=False).
class TestLennardJones final : public Potential {
 public:
  TestLennardJones(double epsilon_eV, double sigma_A, double cutoff_A)
      : eps_(epsilon_eV), sigma_(sigma_A), rc_(cutoff_A) {}
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override {
    const Eigen::Index n = s.positions.cols();
    PotentialResult r;
    r.forces = Eigen::Matrix3Xd::Zero(3, n);
    Eigen::Matrix3d w = Eigen::Matrix3d::Zero();
    const double sr6c = std::pow(sigma_ / rc_, 6);
    const double e_cut = 4.0 * eps_ * (sr6c * sr6c - sr6c);
    // Image ranges along each periodic axis large enough to cover the cutoff.
    const Eigen::Matrix3d inv = s.cell.inverse();
    int reach[3];
    for (int k = 0; k < 3; ++k) reach[k] = s.pbc[k] ? static_cast<int>(std::ceil(rc_ * inv.row(k).norm())) + 1 : 0;
    for (int nx = -reach[0]; nx <= reach[0]; ++nx)
      for (int ny = -reach[1]; ny <= reach[1]; ++ny)
        for (int nz = -reach[2]; nz <= reach[2]; ++nz) {
          const Eigen::Vector3d shift = s.cell * Eigen::Vector3d(nx, ny, nz);
          const bool home = nx == 0 && ny == 0 && nz == 0;
          for (Eigen::Index i = 0; i < n; ++i)
            for (Eigen::Index j = 0; j < n; ++j) {
              if (home && j <= i) continue;
              if (!home && j < i) continue;  // each (i, j, image) pair and its mirror once
              const Eigen::Vector3d d = s.positions.col(j) + shift - s.positions.col(i);
              const double r2 = d.squaredNorm();
              if (r2 >= rc_ * rc_) continue;
              const double sr6 = std::pow(sigma_ * sigma_ / r2, 3);
              // i == j pairs with a nonzero image are counted for both ±shift: half weight.
              const double weight = (!home && j == i) ? 0.5 : 1.0;
              r.energy_eV += weight * (4.0 * eps_ * (sr6 * sr6 - sr6) - e_cut);
              const Eigen::Vector3d fij = weight * (24.0 * eps_ * (2.0 * sr6 * sr6 - sr6) / r2) * d;  // on j
              r.forces.col(j) += fij;
              r.forces.col(i) -= fij;
              w += d * fij.transpose();  // W = Σ r_ij ⊗ f_ij = −dE/dε, σ = −W/V
            }
        }
    // Each unordered pair (i, j, n) ≡ (j, i, −n) of the infinite crystal is visited once.
    if (req.virial) r.virial_eV = w;
    return r;
  }
  PotentialCapabilities capabilities() const override { return {true, false, true}; }
  std::string name() const override { return "test_lennard_jones"; }

 private:
  double eps_, sigma_, rc_;
};

}  // namespace ionhop::neb::nebtest
