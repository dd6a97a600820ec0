#pragma once
/// Limited-memory BFGS driven by forces only (no line search), as used for atomistic relaxation
/// and for the whole band in NEB: Nocedal, Math. Comp. 35, 773 (1980); Liu & Nocedal,
/// Math. Prog. 45, 503 (1989); global band L-BFGS: Sheppard, Terrell & Henkelman,
/// J. Chem. Phys. 128, 134106 (2008).
#include <deque>

#include "neb/RelaxOptimizer.hpp"

namespace ionhop::neb {

struct LbfgsParams {
  int memory = 20;                            ///< number of stored (s, y) pairs
  double initial_inverse_curvature = 1.0 / 70.0;  ///< H₀ before any curvature is known [Å²/eV]
  double max_step_A = 0.2;                    ///< largest atomic displacement per step [Å]
};

/// Safeguards: a pair with non-positive curvature s·y ≤ 0 (the objective is locally concave, or
/// the force is not a gradient, as in NEB) clears the memory and moves max_step_A along the
/// force (the largest atomic displacement equals the cap); a proposed direction that points
/// uphill (d·F ≤ 0) is replaced by a steepest-descent step H₀F with cleared memory. Steps are
/// capped at max_step_A per atom.
class LbfgsOptimizer final : public StepOptimizer {
 public:
  explicit LbfgsOptimizer(const LbfgsParams& p = {});
  Eigen::VectorXd step(const Eigen::VectorXd& x, const Eigen::VectorXd& force,
                       const RelaxObjective& metric) override;
  void reset() override;
  /// Number of memory resets forced by negative curvature or uphill directions.
  int safeguard_resets() const { return resets_; }

 private:
  Eigen::VectorXd direction(const Eigen::VectorXd& force) const;

  LbfgsParams p_;
  std::deque<Eigen::VectorXd> s_, y_;
  std::deque<double> rho_;
  Eigen::VectorXd x_prev_, f_prev_;
  double h0_;
  int resets_ = 0;
};

}  // namespace ionhop::neb
