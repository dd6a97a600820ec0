#include "neb/RelaxMinimizer.hpp"

#include <cmath>
#include <string>

namespace ionhop::neb {

namespace {
double checked_evaluate(RelaxObjective& obj, const Eigen::VectorXd& x, Eigen::VectorXd& f, int step) {
  const double e = obj.evaluate(x, f);
  if (!std::isfinite(e) || !f.allFinite()) {
    throw RelaxError("relaxation: non-finite energy or force at step " + std::to_string(step));
  }
  return e;
}
}  // namespace

MinimizeResult minimize(RelaxObjective& objective, StepOptimizer& optimizer, Eigen::VectorXd x0,
                        double tolerance, int max_steps) {
  if (x0.size() != objective.dimension()) throw std::invalid_argument("minimize: x0 has the wrong size");
  if (!(tolerance > 0.0) || max_steps < 0) throw std::invalid_argument("minimize: invalid tolerance or step limit");
  MinimizeResult r;
  r.x = std::move(x0);
  Eigen::VectorXd f(r.x.size());
  r.energy = checked_evaluate(objective, r.x, f, 0);
  r.evaluations = 1;
  for (;;) {
    r.residual = objective.residual(f);
    if (r.residual < tolerance) {
      r.converged = true;
      break;
    }
    if (r.steps >= max_steps) break;
    r.x += optimizer.step(r.x, f, objective);
    ++r.steps;
    r.energy = checked_evaluate(objective, r.x, f, r.steps);
    ++r.evaluations;
  }
  return r;
}

}  // namespace ionhop::neb
