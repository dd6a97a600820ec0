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
  const std::int64_t hi = std::min<std::int64_t>(lo + kBlock, size());
  double s = 0.0;
  for (std::int64_t i = lo; i < hi; ++i) s += leaves_[i];
  tree_[first_block_ + b] = s;
}

void RateTree::flush() {
  if (dirty_list_.empty()) return;
  // Sorting makes shared ancestors adjacent, so each is recomputed once per level.
  std::sort(dirty_list_.begin(), dirty_list_.end());
  std::vector<std::int64_t>& nodes = dirty_list_;
  for (auto& b : nodes) {
    recompute_block(b);
    dirty_[b] = 0;
    b += first_block_;
  }
  while (nodes.front() > 1) {
    std::int64_t last = -1;
    std::size_t w = 0;
    for (std::size_t r = 0; r < nodes.size(); ++r) {
      const std::int64_t p = nodes[r] / 2;
      if (p == last) continue;
      tree_[p] = tree_[2 * p] + tree_[2 * p + 1];
      nodes[w++] = last = p;
    }
    nodes.resize(w);
  }
  nodes.clear();
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
