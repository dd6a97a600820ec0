#pragma once
// Storage for the engine's per-site and per-ion arrays. Blocks of 8 MiB and more are aligned to
// 2 MiB and marked for transparent huge pages (Linux madvise): at 10⁷ sites every event touches
// a dozen random places in arrays of tens of MB, and with 4 KiB pages most of those also miss
// the TLB (measured: −15 % time per event at 10⁷ sites, docs/performance.md). Smaller blocks,
// and other systems, get a plain allocation. Contents and results are unchanged.
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ionhop::kmc {

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr std::size_t kPage = std::size_t{2} << 20;      // 2 MiB
  static constexpr std::size_t kThreshold = std::size_t{8} << 20;  // ≤ 25 % rounding waste

  HugePageAllocator() noexcept = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kThreshold) return std::allocator<T>().allocate(n);
    const std::size_t rounded = (bytes + kPage - 1) / kPage * kPage;
    void* p = std::aligned_alloc(kPage, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure leaves ordinary pages
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kThreshold) std::allocator<T>().deallocate(p, n);
    else std::free(p);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

/// A std::vector whose large blocks live on huge pages.
template <typename T>
using HugePageVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace ionhop::kmc
