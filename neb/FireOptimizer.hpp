#pragma once
/// FIRE: the Fast Inertial Relaxation Engine.
/// Bitzek, Koskinen, Gähler, Moseler & Gumbsch, Phys. Rev. Lett. 97, 170201 (2006).
#include "neb/RelaxOptimizer.hpp"

namespace ionhop::neb {

/// FIRE parameters: the paper's standard values (N_min 5, f_inc 1.1, f_dec 0.5, α_start 0.1,
/// f_α 0.99) with the time step of ASE's implementation. Unit mass: time is measured in
/// √(eV⁻¹·Å²) units, so that a force of 1 eV/Å accelerates by 1 Å per unit time squared.
struct FireParams {
  double dt_start = 0.1;      ///< initial time step
  double dt_max = 1.0;        ///< largest time step
  int n_min = 5;              ///< downhill steps before the time step may grow
  double f_inc = 1.1;         ///< time-step growth factor
  double f_dec = 0.5;         ///< time-step shrink factor after an uphill step
  double alpha_start = 0.1;   ///< initial velocity-mixing parameter
  double f_alpha = 0.99;      ///< mixing decay factor
  double max_step_A = 0.2;    ///< largest atomic displacement per step [Å]
};

class FireOptimizer final : public StepOptimizer {
 public:
  explicit FireOptimizer(const FireParams& p = {});
  Eigen::VectorXd step(const Eigen::VectorXd& x, const Eigen::VectorXd& force,
                       const RelaxObjective& metric) override;
  void reset() override;
  /// Current time step (for tests and logs).
  double time_step() const { return dt_; }

 private:
  FireParams p_;
  Eigen::VectorXd v_;
  double dt_;
  double alpha_;
  int n_downhill_ = 0;
};

}  // namespace ionhop::neb
