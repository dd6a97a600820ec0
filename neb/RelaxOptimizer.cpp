#include "neb/RelaxOptimizer.hpp"

#include <stdexcept>

#include "neb/FireOptimizer.hpp"
#include "neb/LbfgsOptimizer.hpp"

namespace ionhop::neb {

RelaxMethod relax_method_from_name(const std::string& name) {
  if (name == "fire") return RelaxMethod::fire;
  if (name == "lbfgs") return RelaxMethod::lbfgs;
  throw std::invalid_argument("unknown optimizer '" + name + "' (expected \"fire\" or \"lbfgs\")");
}

std::string to_string(RelaxMethod m) { return m == RelaxMethod::fire ? "fire" : "lbfgs"; }

std::unique_ptr<StepOptimizer> make_step_optimizer(RelaxMethod method, double max_step_A) {
  if (method == RelaxMethod::fire) {
    FireParams p;
    p.max_step_A = max_step_A;
    return std::make_unique<FireOptimizer>(p);
  }
  LbfgsParams p;
  p.max_step_A = max_step_A;
  return std::make_unique<LbfgsOptimizer>(p);
}

Eigen::VectorXd cap_step(Eigen::VectorXd d, double max_step, const RelaxObjective& metric) {
  const double largest = metric.max_block_norm(d);
  if (largest > max_step) d *= max_step / largest;
  return d;
}

}  // namespace ionhop::neb
