#pragma once
/// A differentiable objective over a flat coordinate vector, as seen by the optimizers.
#include <Eigen/Core>

namespace ionhop::neb {

/// An objective that FIRE and L-BFGS can minimise. Coordinates come in blocks (3 per atom);
/// the convergence measure and the step cap act on the Euclidean norm of each block, so that
/// "fmax" is the largest atomic force [eV/Å] and "max step" the largest atomic displacement [Å].
class RelaxObjective {
 public:
  virtual ~RelaxObjective() = default;
  /// Number of coordinates.
  virtual Eigen::Index dimension() const = 0;
  /// Evaluates at x (size dimension()); writes the force (−gradient, or a projected force) into
  /// `force` and returns the energy [eV]. Force-only optimizers may ignore the energy.
  virtual double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& force) = 0;
  /// Largest block norm of v: per-atom norms of consecutive 3-vectors by default.
  virtual double max_block_norm(const Eigen::VectorXd& v) const;
  /// Convergence measure of a force returned by evaluate(); the max block norm by default.
  virtual double residual(const Eigen::VectorXd& force) const { return max_block_norm(force); }
};

/// Largest Euclidean norm of the consecutive `block`-sized pieces of v (block ≥ 1).
double max_block_norm(const Eigen::VectorXd& v, Eigen::Index block);

}  // namespace ionhop::neb
