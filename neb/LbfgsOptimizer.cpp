#include "neb/LbfgsOptimizer.hpp"

#include <stdexcept>
#include <vector>

namespace ionhop::neb {

LbfgsOptimizer::LbfgsOptimizer(const LbfgsParams& p) : p_(p), h0_(p.initial_inverse_curvature) {
  if (p.memory < 1 || !(p.initial_inverse_curvature > 0.0) || !(p.max_step_A > 0.0)) {
    throw std::invalid_argument("LbfgsOptimizer: invalid parameters");
  }
}

void LbfgsOptimizer::reset() {
  s_.clear();
  y_.clear();
  rho_.clear();
  x_prev_.resize(0);
  f_prev_.resize(0);
  h0_ = p_.initial_inverse_curvature;
}

// Two-loop recursion: returns −H∇E = H·F with the stored pairs.
Eigen::VectorXd LbfgsOptimizer::direction(const Eigen::VectorXd& force) const {
  const std::size_t m = s_.size();
  std::vector<double> alpha(m);
  Eigen::VectorXd q = force;
  for (std::size_t k = m; k-- > 0;) {
    alpha[k] = rho_[k] * s_[k].dot(q);
    q -= alpha[k] * y_[k];
  }
  Eigen::VectorXd z = h0_ * q;
  for (std::size_t k = 0; k < m; ++k) {
    const double beta = rho_[k] * y_[k].dot(z);
    z += s_[k] * (alpha[k] - beta);
  }
  return z;
}

Eigen::VectorXd LbfgsOptimizer::step(const Eigen::VectorXd& x, const Eigen::VectorXd& force,
                                     const RelaxObjective& metric) {
  if (x_prev_.size() == x.size() && f_prev_.size() == force.size()) {
    Eigen::VectorXd s = x - x_prev_;
    Eigen::VectorXd y = f_prev_ - force;  // gradient difference
    const double sy = s.dot(y);
    if (sy > 0.0) {
      s_.push_back(std::move(s));
      rho_.push_back(1.0 / sy);
      // Scale H₀ by the latest curvature (Nocedal & Wright, eq. 7.20).
      h0_ = sy / y.squaredNorm();
      y_.push_back(std::move(y));
      if (static_cast<int>(s_.size()) > p_.memory) {
        s_.pop_front();
        y_.pop_front();
        rho_.pop_front();
      }
    } else if (s.squaredNorm() > 0.0) {
      // Negative curvature along the last step: the quadratic model is wrong, forget it, and
      // (as in eOn's client) move downhill by the largest allowed step, since a concave region
      // has no quadratic minimum to aim for.
      s_.clear();
      y_.clear();
      rho_.clear();
      h0_ = p_.initial_inverse_curvature;
      ++resets_;
      x_prev_ = x;
      f_prev_ = force;
      const double largest = metric.max_block_norm(force);
      if (largest > 0.0) return force * (p_.max_step_A / largest);
      return Eigen::VectorXd::Zero(force.size());
    }
  }
  Eigen::VectorXd d = direction(force);
  if (!(d.dot(force) > 0.0)) {
    s_.clear();
    y_.clear();
    rho_.clear();
    h0_ = p_.initial_inverse_curvature;
    ++resets_;
    d = h0_ * force;
  }
  x_prev_ = x;
  f_prev_ = force;
  return cap_step(std::move(d), p_.max_step_A, metric);
}

}  // namespace ionhop::neb
