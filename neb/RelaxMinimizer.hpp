#pragma once
/// The optimisation loop shared by atomic and cell relaxation: evaluate, test, step.
#include <Eigen/Core>
#include <stdexcept>

#include "neb/RelaxObjective.hpp"
#include "neb/RelaxOptimizer.hpp"

namespace ionhop::neb {

/// Thrown when an objective returns a non-finite energy or force.
class RelaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MinimizeResult {
  Eigen::VectorXd x;        ///< final coordinates
  double energy = 0.0;      ///< objective value at x [eV]
  double residual = 0.0;    ///< objective.residual(force) at x (max atomic force [eV/Å])
  int steps = 0;            ///< optimizer steps taken
  int evaluations = 0;      ///< objective evaluations (force calls)
  bool converged = false;   ///< residual < tolerance
};

/// Minimises `objective` from x0 with `optimizer` until residual < tolerance or max_steps steps.
/// Throws RelaxError on non-finite values.
MinimizeResult minimize(RelaxObjective& objective, StepOptimizer& optimizer, Eigen::VectorXd x0,
                        double tolerance, int max_steps);

}  // namespace ionhop::neb
