#include "kmc/RateTree.hpp"

#include <algorithm>

namespace ionhop::kmc {

RateTree::RateTree(std::int64_t n) : leaves_(n, 0.0) {
  n_blocks_ = std::max<std::int64_t>(1, (n + kBlock - 1) / kBlock);
  std::int64_t nodes = n_blocks_;
  do {
    const std::int64_t groups = (nodes + kFanout - 1) / kFanout;
    levels_.emplace_back(groups);
    nodes = groups;
  } while (nodes > 1);
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
  levels_[0][b / kFanout].sum[b % kFanout] = s;
}

void RateTree::flush() {
  // Level by level: the dirty blocks are summed again, then each node above them is recomputed
  // once from its children, after all of its children are final. Every sum is therefore the
  // same pure function of the leaves as after rebuild(), whatever the order of the list.
  // Blocks are listed in the order set() saw them, the engine's affected-site order, which is
  // memory order: nodes shared by several blocks are adjacent in the list and collapse by
  // comparing each one with the previous one; a node listed twice anyway (wrapped neighbours)
  // is just recomputed twice, to the same value. An event dirties ≈ 5–12 blocks that share most of their ancestors.
  std::int64_t* nodes = dirty_list_.data();
  std::size_t n = dirty_list_.size();
  if (n == 0) return;
  for (std::size_t i = 0; i < n; ++i) recompute_block(nodes[i]);
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level) {
    // nodes[] holds nodes of level `level` (block ids at level 0); their groups are parents.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t g = nodes[i] / kFanout;
      if (kept == 0 || nodes[kept - 1] != g) nodes[kept++] = g;
    }
    n = kept;
    std::vector<Group>& up = levels_[level + 1];
    const std::vector<Group>& here = levels_[level];
    for (std::size_t i = 0; i < n; ++i) up[nodes[i] / kFanout].sum[nodes[i] % kFanout] = group_total(here[nodes[i]]);
  }
  total_ = group_total(levels_.back()[0]);
  dirty_list_.clear();
}

void RateTree::rebuild() {
  for (std::int64_t b = 0; b < n_blocks_; ++b) recompute_block(b);
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level)
    for (std::size_t g = 0; g < levels_[level].size(); ++g)
      levels_[level + 1][g / kFanout].sum[g % kFanout] = group_total(levels_[level][g]);
  total_ = group_total(levels_.back()[0]);
  dirty_list_.clear();
}

int RateTree::pick(const Group& g, double& target) {
  int last_nonzero = -1;
  for (int k = 0; k < kFanout; ++k) {
    if (g.sum[k] <= 0.0) continue;
    last_nonzero = k;
    if (target < g.sum[k]) return k;
    target -= g.sum[k];
  }
  // The parent is the pairwise sum of the children, the target was reduced sequentially:
  // rounding can leave it at or above the last child. Take the last non-zero child.
  return last_nonzero;
}

std::int64_t RateTree::select(double target) const {
  std::int64_t g = 0;
  for (std::size_t level = levels_.size(); level-- > 0;) g = g * kFanout + pick(levels_[level][g], target);
  const std::int64_t lo = g * kBlock;
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
  std::size_t groups = 0;
  for (const auto& level : levels_) groups += level.size();
  return leaves_.size() * sizeof(double) + groups * sizeof(Group);
}

}  // namespace ionhop::kmc
