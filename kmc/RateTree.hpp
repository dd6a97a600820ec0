#pragma once
/// Rejection-free selection over many rates in O(log N): rates are grouped into blocks of
/// kBlock contiguous leaves; block sums sit at the leaves of a binary sum tree. Updating a leaf
/// marks its block; flush() recomputes each marked block and its ancestors from scratch (no
/// incremental += drift), so the totals are a pure function of the current rates.
/// Blocks keep the tree small (under 2·8/kBlock bytes per leaf) and the last step of a
/// selection a scan of adjacent leaves.
#include <cstdint>
#include <vector>

namespace ionhop::kmc {

class RateTree {
 public:
  static constexpr int kBlock = 16;  ///< leaves per block; a multiple of 4

  explicit RateTree(std::int64_t n_leaves = 0);

  std::int64_t size() const { return static_cast<std::int64_t>(leaves_.size()); }
  double rate(std::int64_t i) const { return leaves_[i]; }
  /// Sets a leaf; takes effect in total()/select() after flush().
  void set(std::int64_t i, double rate) {
    leaves_[i] = rate;
    const std::int64_t b = i / kBlock;
    if (!dirty_[b]) {
      dirty_[b] = 1;
      dirty_list_.push_back(b);
    }
  }
  void flush();
  double total() const { return tree_[1]; }
  /// The leaf i with prefix(i) ≤ target < prefix(i) + rate(i), for 0 ≤ target < total();
  /// never a zero-rate leaf.
  std::int64_t select(double target) const;
  /// Recomputes everything from the leaves.
  void rebuild();
  std::size_t bytes() const;

 private:
  void recompute_block(std::int64_t b);
  std::vector<double> leaves_;
  std::vector<double> tree_;  // 1-based heap; tree_[first_block_ + b] is block b's sum
  std::vector<std::uint8_t> dirty_;
  std::vector<std::int64_t> dirty_list_;
  std::int64_t n_blocks_ = 0;
  std::int64_t first_block_ = 1;
};

}  // namespace ionhop::kmc
