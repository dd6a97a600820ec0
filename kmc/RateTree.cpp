#include "kmc/RateTree.hpp"

#include <algorithm>

namespace ionhop::kmc {

RateTree::RateTree(std::int64_t n) : leaves_(n, 0.0) {
  n_blocks_ = std::max<std::int64_t>(1, (n + kBlock - 1) / kBlock);
  first_block_ = 1;
  while (first_block_ < n_blocks_) first_block_ *= 2;
  tree_.assign(2 * first_block_, 0.0);
  dirty_.assign(n_blocks_, 0);
}

void RateTree::recompute_block(std::int64_t b) {
  const std::int64_t lo = b * kBlock;
  const double* x = leaves_.data() + lo;
  double s;
  if (lo + kBlock <= size()) {
    // Four independent partial sums: a fixed summation order (so still a pure function of
    // the leaves) that does not wait on one long chain of dependent additions.
    double p[4] = {0.0, 0.0, 0.0, 0.0};
    for (int i = 0; i < kBlock; i += 4)
      for (int k = 0; k < 4; ++k) p[k] += x[i + k];
    s = (p[0] + p[1]) + (p[2] + p[3]);
  } else {
    s = 0.0;
    for (std::int64_t i = lo; i < size(); ++i) s += leaves_[i];
  }
  tree_[first_block_ + b] = s;
}

void RateTree::flush() {
  // Each dirty block is summed again and its path to the root recomputed from the children.
  // An ancestor shared by several dirty blocks is last recomputed on the path of the last of
  // them, when every block below it is already final, so the result does not depend on the
  // order of the list; with a handful of dirty blocks per event this is cheaper than sorting
  // the list to visit shared ancestors once.
  for (const std::int64_t b : dirty_list_) {
    recompute_block(b);
    dirty_[b] = 0;
    for (std::int64_t p = (first_block_ + b) / 2; p >= 1; p /= 2) tree_[p] = tree_[2 * p] + tree_[2 * p + 1];
  }
  dirty_list_.clear();
}

void RateTree::rebuild() {
  for (std::int64_t b = 0; b < n_blocks_; ++b) recompute_block(b);
  for (std::int64_t p = first_block_ - 1; p >= 1; --p) tree_[p] = tree_[2 * p] + tree_[2 * p + 1];
  std::fill(dirty_.begin(), dirty_.end(), 0);
  dirty_list_.clear();
}

std::int64_t RateTree::select(double target) const {
  std::int64_t node = 1;
  while (node < first_block_) {
    const double left = tree_[2 * node];
    if (target < left || tree_[2 * node + 1] <= 0.0) {
      node = 2 * node;
    } else {
      target -= left;
      node = 2 * node + 1;
    }
  }
  const std::int64_t lo = (node - first_block_) * kBlock;
  const std::int64_t hi = std::min<std::int64_t>(lo + kBlock, size());
  std::int64_t last_nonzero = -1;
  for (std::int64_t i = lo; i < hi; ++i) {
    if (leaves_[i] <= 0.0) continue;
    last_nonzero = i;
    if (target < leaves_[i]) return i;
    target -= leaves_[i];
  }
  // Rounding can leave target ≥ the block's remaining sum: take its last non-zero leaf.
  return last_nonzero;
}

std::size_t RateTree::bytes() const {
  return leaves_.size() * sizeof(double) + tree_.size() * sizeof(double) + dirty_.size();
}

}  // namespace ionhop::kmc
