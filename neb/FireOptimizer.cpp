#include "neb/FireOptimizer.hpp"

#include <stdexcept>

namespace ionhop::neb {

FireOptimizer::FireOptimizer(const FireParams& p) : p_(p), dt_(p.dt_start), alpha_(p.alpha_start) {
  if (!(p.dt_start > 0.0) || !(p.dt_max >= p.dt_start) || !(p.max_step_A > 0.0) ||
      !(p.f_dec > 0.0 && p.f_dec < 1.0) || !(p.f_inc >= 1.0) || p.n_min < 0) {
    throw std::invalid_argument("FireOptimizer: invalid parameters");
  }
}

void FireOptimizer::reset() {
  v_.resize(0);
  dt_ = p_.dt_start;
  alpha_ = p_.alpha_start;
  n_downhill_ = 0;
}

Eigen::VectorXd FireOptimizer::step(const Eigen::VectorXd& /*x*/, const Eigen::VectorXd& force,
                                    const RelaxObjective& metric) {
  if (v_.size() != force.size()) {
    v_ = Eigen::VectorXd::Zero(force.size());
  } else {
    const double power = force.dot(v_);
    if (power > 0.0) {
      // Mix the velocity towards the force direction (the "inertial" steering of FIRE).
      const double fnorm = force.norm();
      if (fnorm > 0.0) v_ = (1.0 - alpha_) * v_ + alpha_ * v_.norm() / fnorm * force;
      if (n_downhill_ > p_.n_min) {
        dt_ = std::min(dt_ * p_.f_inc, p_.dt_max);
        alpha_ *= p_.f_alpha;
      }
      ++n_downhill_;
    } else {
      // Uphill: stop, shrink the step, restart the mixing.
      v_.setZero();
      alpha_ = p_.alpha_start;
      dt_ *= p_.f_dec;
      n_downhill_ = 0;
    }
  }
  // Semi-implicit Euler step with unit mass.
  v_ += dt_ * force;
  return cap_step(dt_ * v_, p_.max_step_A, metric);
}

}  // namespace ionhop::neb
