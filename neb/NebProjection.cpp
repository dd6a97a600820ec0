#include "neb/NebProjection.hpp"

namespace ionhop::neb {

Eigen::VectorXd perpendicular_force(const Eigen::VectorXd& force, const Eigen::VectorXd& tangent) {
  return force - force.dot(tangent) * tangent;
}

Eigen::VectorXd climbing_force(const Eigen::VectorXd& force, const Eigen::VectorXd& tangent) {
  return force - 2.0 * force.dot(tangent) * tangent;
}

}  // namespace ionhop::neb
