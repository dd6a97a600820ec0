#include "neb/CellRelax.hpp"

#include <algorithm>
#include <stdexcept>

#include "neb/RelaxFreeAtoms.hpp"
#include "neb/RelaxMinimizer.hpp"

namespace ionhop::neb {

namespace {

// Coordinates: [F⁻¹ r of the free atoms (3 per atom), y (1 or 3 strain coordinates)], with
// F = diag(1 + y/c) (isotropic: (1 + y/(3c)) I). The energy derivative with respect to a strain
// applied on top of the current state is dE/dε = −W (σ = −W/V = (1/V) dE/dε), which gives
// dE/de_k = −W_kk / (1 + e_k) for F_kk = 1 + e_k; atoms: dE/du = F (−f).
class CellObjective final : public RelaxObjective {
 public:
  CellObjective(const lattice::Structure& s, const Potential& pot, const CellRelaxParams& p)
      : s0_(s), s_(s), pot_(pot), free_(free_atom_indices(s)), iso_(p.mode == CellRelaxMode::isotropic) {
    n_strain_ = iso_ ? 1 : 3;
    scale_ = s.volume_A3() * p.stress_tol_eV_A3 / p.relax.fmax_eV_A;
  }
  Eigen::Index dimension() const override { return 3 * static_cast<Eigen::Index>(free_.size()) + n_strain_; }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& force) override {
    const Eigen::Index na = 3 * static_cast<Eigen::Index>(free_.size());
    const Eigen::Vector3d diag = stretch(x);
    const Eigen::Matrix3d F = diag.asDiagonal();
    s_.cell = F * s0_.cell;
    s_.positions = F * s0_.positions;  // fixed atoms follow the cell
    Eigen::Matrix3Xd u = s0_.positions;
    scatter_atoms(x.head(na), free_, u);
    for (Eigen::Index k : free_) s_.positions.col(k) = F * u.col(k);
    const PotentialResult r = pot_.compute(s_, ComputeRequest{true, true});
    if (!r.virial_eV) throw std::invalid_argument("relax_cell: the potential returned no virial");
    last_virial_ = *r.virial_eV;
    last_forces_ = r.forces;
    force.resize(dimension());
    Eigen::Matrix3Xd fu = F * r.forces;
    force.head(na) = gather_atoms(fu, free_);
    const Eigen::Matrix3d& w = *r.virial_eV;
    if (iso_) {
      force[na] = w.trace() / (diag[0] * 3.0 * scale_);
    } else {
      for (int k = 0; k < 3; ++k) force[na + k] = w(k, k) / (diag[k] * scale_);
    }
    return r.energy_eV;
  }
  double max_block_norm(const Eigen::VectorXd& v) const override {
    const Eigen::Index na = 3 * static_cast<Eigen::Index>(free_.size());
    double m = na > 0 ? neb::max_block_norm(v.head(na), 3) : 0.0;
    return std::max(m, v.tail(n_strain_).cwiseAbs().maxCoeff());
  }
  Eigen::VectorXd initial() const {
    Eigen::VectorXd x = Eigen::VectorXd::Zero(dimension());
    x.head(3 * static_cast<Eigen::Index>(free_.size())) = gather_atoms(s0_.positions, free_);
    return x;
  }
  const lattice::Structure& current() const { return s_; }
  const Eigen::Matrix3d& virial() const { return last_virial_; }
  double atom_fmax() const { return free_.empty() ? 0.0 : neb::max_block_norm(gather_atoms(last_forces_, free_), 3); }
  bool isotropic() const { return iso_; }

 private:
  Eigen::Vector3d stretch(const Eigen::VectorXd& x) const {
    const Eigen::Index na = 3 * static_cast<Eigen::Index>(free_.size());
    if (iso_) return Eigen::Vector3d::Constant(1.0 + x[na] / (3.0 * scale_));
    return Eigen::Vector3d::Ones() + x.tail(3) / scale_;
  }

  lattice::Structure s0_, s_;
  const Potential& pot_;
  std::vector<Eigen::Index> free_;
  bool iso_;
  Eigen::Index n_strain_ = 1;
  double scale_ = 1.0;  // c: y = c·e
  Eigen::Matrix3d last_virial_ = Eigen::Matrix3d::Zero();
  Eigen::Matrix3Xd last_forces_;
};

}  // namespace

CellRelaxResult relax_cell(const lattice::Structure& s, const Potential& potential, const CellRelaxParams& params) {
  const RelaxParams& rp = params.relax;
  if (!(rp.fmax_eV_A > 0.0) || rp.max_steps < 0 || !(rp.max_step_A > 0.0) || !(params.stress_tol_eV_A3 > 0.0)) {
    throw std::invalid_argument("relax_cell: fmax_eV_A, max_step_A and stress_tol_eV_A3 must be > 0, max_steps ≥ 0");
  }
  if (!potential.capabilities().virial) {
    throw std::invalid_argument("relax_cell: potential '" + potential.name() + "' cannot compute the virial");
  }
  if (!(s.pbc[0] && s.pbc[1] && s.pbc[2])) throw std::invalid_argument("relax_cell: the structure must be periodic in 3D");
  CellObjective objective(s, potential, params);
  auto optimizer = make_step_optimizer(rp.method, rp.max_step_A);
  const MinimizeResult m = minimize(objective, *optimizer, objective.initial(), rp.fmax_eV_A, rp.max_steps);
  CellRelaxResult r;
  r.structure = objective.current();
  r.energy_eV = m.energy;
  r.stress_eV_A3 = -objective.virial() / r.structure.volume_A3();
  r.fmax_eV_A = objective.atom_fmax();
  r.max_stress_eV_A3 = objective.isotropic() ? std::abs(r.stress_eV_A3.trace()) / 3.0
                                             : r.stress_eV_A3.diagonal().cwiseAbs().maxCoeff();
  r.steps = m.steps;
  r.force_calls = m.evaluations;
  r.converged = m.converged;
  r.status = m.converged ? RelaxStatus::converged : RelaxStatus::step_limit;
  return r;
}

}  // namespace ionhop::neb
