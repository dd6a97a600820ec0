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

#include "kmc/HugePageVector.hpp"

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
    // The list starts with a sentinel (−1, no block), so the comparison with the last entry
    // needs no emptiness test, and the entry is written unconditionally and kept only if new:
    // no data-dependent branch.
    const auto b = static_cast<std::int64_t>(static_cast<std::uint64_t>(i) / kBlock);
    if (dirty_n_ == dirty_capacity_) [[unlikely]]
      grow_dirty_list();
    std::int64_t* list = dirty_list_.data();
    const bool fresh = list[dirty_n_ - 1] != b;
    list[dirty_n_] = b;
    dirty_n_ += fresh;
  }
  /// set(i, rate), but the block is listed only if the rate differs from the stored one;
  /// without a data-dependent branch (for callers whose rates mostly, but unpredictably,
  /// change).
  void set_if_changed(std::int64_t i, double rate) {
    const bool changed = leaves_[i] != rate;
    leaves_[i] = rate;
    const auto b = static_cast<std::int64_t>(static_cast<std::uint64_t>(i) / kBlock);
    if (dirty_n_ == dirty_capacity_) [[unlikely]]
      grow_dirty_list();
    std::int64_t* list = dirty_list_.data();
    const bool fresh = changed & (list[dirty_n_ - 1] != b);
    list[dirty_n_] = b;
    dirty_n_ += fresh;
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
  /// Sum of a full block in a fixed order: four partial sums p_k = x[k] + x[k+4] + x[k+8] +
  /// x[k+12] (left to right), then (p_0 + p_1) + (p_2 + p_3). Independent partial sums do not
  /// wait on one long chain of dependent additions, and the order stays fixed, so the block sum
  /// is a pure function of its leaves.
  static double block_total(const double* x) {
    double p0 = x[0], p1 = x[1], p2 = x[2], p3 = x[3];
    for (int i = 4; i < kBlock; i += 4) {
      p0 += x[i];
      p1 += x[i + 1];
      p2 += x[i + 2];
      p3 += x[i + 3];
    }
    return (p0 + p1) + (p2 + p3);
  }
  void recompute_block(std::int64_t b);

  HugePageVector<double> leaves_;
  // levels_[0][g].sum[k] is the sum of block kFanout·g + k; levels_[L + 1][g].sum[k] is the
  // total of group kFanout·g + k of level L. The last level has a single group.
  std::vector<HugePageVector<Group>> levels_;
  double total_ = 0.0;
  // dirty_list_[1 .. dirty_n_) are the blocks set since the last flush; [0] is a sentinel.
  std::vector<std::int64_t> dirty_list_ = std::vector<std::int64_t>(64, -1);
  std::size_t dirty_n_ = 1;
  std::size_t dirty_capacity_ = 64;  // dirty_list_.size()
  void grow_dirty_list();
  std::int64_t n_blocks_ = 0;
};

}  // namespace ionhop::kmc
