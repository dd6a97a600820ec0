#include "neb/Relax.hpp"

#include <stdexcept>

#include "neb/RelaxFreeAtoms.hpp"
#include "neb/RelaxMinimizer.hpp"

namespace ionhop::neb {

namespace {

// Energy and forces of the free atoms of one structure.
class FreeAtomsObjective final : public RelaxObjective {
 public:
  FreeAtomsObjective(lattice::Structure s, const Potential& pot)
      : s_(std::move(s)), pot_(pot), free_(free_atom_indices(s_)) {}
  Eigen::Index dimension() const override { return 3 * static_cast<Eigen::Index>(free_.size()); }
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& force) override {
    scatter_atoms(x, free_, s_.positions);
    const PotentialResult r = pot_.compute(s_, ComputeRequest{true, false});
    force = gather_atoms(r.forces, free_);
    return r.energy_eV;
  }
  Eigen::VectorXd initial() const { return gather_atoms(s_.positions, free_); }
  lattice::Structure structure_at(const Eigen::VectorXd& x) const {
    lattice::Structure out = s_;
    scatter_atoms(x, free_, out.positions);
    return out;
  }

 private:
  lattice::Structure s_;
  const Potential& pot_;
  std::vector<Eigen::Index> free_;
};

}  // namespace

std::string to_string(RelaxStatus s) { return s == RelaxStatus::converged ? "converged" : "step_limit"; }

RelaxResult relax(const lattice::Structure& s, const Potential& potential, const RelaxParams& params) {
  if (!(params.fmax_eV_A > 0.0) || params.max_steps < 0 || !(params.max_step_A > 0.0)) {
    throw std::invalid_argument("relax: fmax_eV_A and max_step_A must be > 0, max_steps ≥ 0");
  }
  FreeAtomsObjective objective(s, potential);
  auto optimizer = make_step_optimizer(params.method, params.max_step_A);
  const MinimizeResult m = minimize(objective, *optimizer, objective.initial(), params.fmax_eV_A, params.max_steps);
  RelaxResult r;
  r.structure = objective.structure_at(m.x);
  r.energy_eV = m.energy;
  r.fmax_eV_A = m.residual;
  r.steps = m.steps;
  r.force_calls = m.evaluations;
  r.converged = m.converged;
  r.status = m.converged ? RelaxStatus::converged : RelaxStatus::step_limit;
  return r;
}

}  // namespace ionhop::neb
