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
    s = block_total(x);
  } else {
    s = 0.0;
    for (std::int64_t i = lo; i < size(); ++i) s += leaves_[i];
  }
  levels_[0][static_cast<std::uint64_t>(b) / kFanout].sum[static_cast<std::uint64_t>(b) % kFanout] = s;
}

void RateTree::flush() {
  // Level by level: the dirty blocks are summed again, then each node above them is recomputed
  // once from its children, after all of its children are final. Every sum is therefore the
  // same pure function of the leaves as after rebuild(), whatever the order of the list.
  // Blocks are listed in the order set() saw them, the engine's affected-site order, which is
  // memory order: nodes shared by several blocks are adjacent in the list and collapse by
  // comparing each one with the previous one; a node listed twice anyway (wrapped neighbours)
  // is just recomputed twice, to the same value. An event dirties ≈ 5–12 blocks that share
  // most of their ancestors. Node ids are non-negative: unsigned shifts instead of divisions.
  std::int64_t* nodes = dirty_list_.data() + 1;
  std::size_t n = dirty_n_ - 1;
  if (n == 0) return;
  const double* leaves = leaves_.data();
  const std::int64_t full_blocks = size() / kBlock;
  Group* bottom = levels_[0].data();
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = static_cast<std::uint64_t>(nodes[i]);
    if (static_cast<std::int64_t>(b) < full_blocks)
      bottom[b / kFanout].sum[b % kFanout] = block_total(leaves + b * kBlock);
    else
      recompute_block(static_cast<std::int64_t>(b));
  }
  const std::size_t n_levels = levels_.size();
  for (std::size_t level = 0; level + 1 < n_levels; ++level) {
    // nodes[] holds nodes of level `level` (block ids at level 0), all final; their groups are
    // the nodes of level + 1, recomputed here (each once per run of equal ids).
    Group* up = levels_[level + 1].data();
    const Group* here = levels_[level].data();
    // Collapse runs of equal parents without a data-dependent branch, then recompute them.
    std::size_t kept = 0;
    std::uint64_t last = ~std::uint64_t{0};
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t g = static_cast<std::uint64_t>(nodes[i]) / kFanout;
      nodes[kept] = static_cast<std::int64_t>(g);
      kept += g != last;
      last = g;
    }
    n = kept;
    for (std::size_t i = 0; i < n; ++i) {
      const auto g = static_cast<std::uint64_t>(nodes[i]);
      up[g / kFanout].sum[g % kFanout] = group_total(here[g]);
    }
  }
  total_ = group_total(levels_.back()[0]);
  dirty_n_ = 1;
}

void RateTree::grow_dirty_list() {
  dirty_list_.resize(2 * dirty_list_.size());
  dirty_capacity_ = dirty_list_.size();
}

void RateTree::rebuild() {
  for (std::int64_t b = 0; b < n_blocks_; ++b) recompute_block(b);
  for (std::size_t level = 0; level + 1 < levels_.size(); ++level)
    for (std::size_t g = 0; g < levels_[level].size(); ++g)
      levels_[level + 1][g / kFanout].sum[g % kFanout] = group_total(levels_[level][g]);
  total_ = group_total(levels_.back()[0]);
  dirty_n_ = 1;
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
