#include "neb/RelaxObjective.hpp"

#include <algorithm>
#include <stdexcept>

namespace ionhop::neb {

double max_block_norm(const Eigen::VectorXd& v, Eigen::Index block) {
  if (block < 1 || v.size() % block != 0) {
    throw std::invalid_argument("max_block_norm: vector size is not a multiple of the block size");
  }
  double m = 0.0;
  for (Eigen::Index i = 0; i < v.size(); i += block) m = std::max(m, v.segment(i, block).norm());
  return m;
}

double RelaxObjective::max_block_norm(const Eigen::VectorXd& v) const { return neb::max_block_norm(v, 3); }

}  // namespace ionhop::neb
