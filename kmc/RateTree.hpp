#pragma once
/// Rejection-free selection over many rates in O(log N). Rates (leaves) are grouped into
/// blocks of kBlock contiguous leaves; the block sums are the bottom level of a kFanout-ary sum
/// tree whose sibling nodes share one cache line. Updating a leaf marks its block; flush()
/// recomputes each marked block and the nodes above it from their children (no incremental
/// += drift), so every sum is a pure function of the current rates.
///
/// Why this shape: an event changes the rates of a few dozen sites, and selecting or updating
/// costs one walk between a block and the root. With 8 children per node the walk has a third
/// of the levels of a binary tree, each level one cache line, which matters once the tree no
/// longer fits in cache (10⁶–10⁷ sites). The tree takes under 1 byte per leaf.
#include <cstdint>
#include <vector>

namespace ionhop::kmc {

class RateTree {
 public:
  static constexpr int kBlock = 16;   ///< leaves per block; a multiple of 4
  static constexpr int kFanout = 8;   ///< children per node (8 doubles = one cache line)

  explicit RateTree(std::int64_t n_leaves = 0);

  std::int64_t size() const { return static_cast<std::int64_t>(leaves_.size()); }
  double rate(std::int64_t i) const { return leaves_[i]; }
  /// Sets a leaf; takes effect in total()/select() after flush().
  void set(std::int64_t i, double rate) {
    leaves_[i] = rate;
    // Leaves are mostly set in memory order, so a block already listed is usually the last
    // one; one that comes back later is listed again and recomputed twice, to the same sum.
    const std::int64_t b = i / kBlock;
    if (dirty_list_.empty() || dirty_list_.back() != b) dirty_list_.push_back(b);
  }
  /// Hints that leaf i and its block's sum will soon be updated (a cache prefetch only).
  void prefetch(std::int64_t i) const {
    __builtin_prefetch(&leaves_[i]);
    __builtin_prefetch(&levels_[0][i / (kBlock * kFanout)]);
  }
  void flush();
  double total() const { return total_; }
  /// The leaf i with prefix(i) ≤ target < prefix(i) + rate(i), for 0 ≤ target < total();
  /// never a zero-rate leaf.
  std::int64_t select(double target) const;
  /// Recomputes everything from the leaves.
  void rebuild();
  std::size_t bytes() const;

 private:
  /// The sums of kFanout sibling nodes, on one cache line.
  struct alignas(64) Group {
    double sum[kFanout] = {};
  };
  /// Sum of a group in a fixed order (pairwise), the value of the group's parent node.
  static double group_total(const Group& g) {
    return ((g.sum[0] + g.sum[1]) + (g.sum[2] + g.sum[3])) + ((g.sum[4] + g.sum[5]) + (g.sum[6] + g.sum[7]));
  }
  /// Among the children of a group, the one where `target` (reduced by the sums of the
  /// children before it) falls; never a zero child.
  static int pick(const Group& g, double& target);
  void recompute_block(std::int64_t b);

  std::vector<double> leaves_;
  // levels_[0][g].sum[k] is the sum of block kFanout·g + k; levels_[L + 1][g].sum[k] is the
  // total of group kFanout·g + k of level L. The last level has a single group.
  std::vector<std::vector<Group>> levels_;
  double total_ = 0.0;
  std::vector<std::int64_t> dirty_list_;
  std::int64_t n_blocks_ = 0;
};

}  // namespace ionhop::kmc
