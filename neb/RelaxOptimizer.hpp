#pragma once
/// Step-by-step optimizers (FIRE, L-BFGS) that use forces only, shared by relaxation and NEB.
#include <Eigen/Core>
#include <memory>
#include <string>

#include "neb/RelaxObjective.hpp"

namespace ionhop::neb {

/// Which optimizer drives a relaxation or a band.
enum class RelaxMethod { fire, lbfgs };

/// "fire" or "lbfgs"; throws std::invalid_argument for other names.
RelaxMethod relax_method_from_name(const std::string& name);
std::string to_string(RelaxMethod m);

/// An optimizer that proposes a displacement from the current coordinates and force. It keeps its
/// own history (FIRE velocities, L-BFGS pairs); reset() forgets it, e.g. when the force field
/// changes under it (the climbing image switching on).
class StepOptimizer {
 public:
  virtual ~StepOptimizer() = default;
  /// Displacement to add to x, given the force at x; `metric` defines per-atom norms for the
  /// step cap. Successive calls must be made along one trajectory.
  virtual Eigen::VectorXd step(const Eigen::VectorXd& x, const Eigen::VectorXd& force,
                               const RelaxObjective& metric) = 0;
  virtual void reset() = 0;
};

/// An optimizer with its standard parameters and the largest atomic displacement per step [Å].
std::unique_ptr<StepOptimizer> make_step_optimizer(RelaxMethod method, double max_step_A);

/// Scales d so that no block (atom) moves by more than max_step; returns d unchanged otherwise.
Eigen::VectorXd cap_step(Eigen::VectorXd d, double max_step, const RelaxObjective& metric);

}  // namespace ionhop::neb
