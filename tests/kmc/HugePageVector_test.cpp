// The engine's large-array storage: blocks of 8 MiB and more start on a 2 MiB boundary (the
// condition for the kernel to back them with huge pages), smaller ones are ordinary; contents
// behave as in any std::vector (growth copies, equality).
#include "kmc/HugePageVector.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace ionhop::kmc {
namespace {

TEST(HugePageVector, LargeBlocksAreHugePageAlignedAndHoldTheirValues) {
  constexpr std::size_t n = (std::size_t{16} << 20) / sizeof(double);  // 16 MiB
  HugePageVector<double> v(n);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % HugePageAllocator<double>::kPage, 0u);
  std::iota(v.begin(), v.end(), 0.0);
  v.push_back(-1.0);  // regrowth copies into a new block
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % HugePageAllocator<double>::kPage, 0u);
  ASSERT_EQ(v.size(), n + 1);
  EXPECT_EQ(v[12345], 12345.0);
  EXPECT_EQ(v[n - 1], static_cast<double>(n - 1));
  EXPECT_EQ(v.back(), -1.0);
  const HugePageVector<double> copy = v;
  EXPECT_EQ(copy, v);
}

TEST(HugePageVector, SmallBlocksAreOrdinaryAllocations) {
  struct alignas(64) Line {
    double x[8];
  };
  HugePageVector<Line> lines(100);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(lines.data()) % alignof(Line), 0u);
  HugePageVector<std::uint8_t> bytes(1000, 7);
  EXPECT_EQ(bytes[999], 7);
}

}  // namespace
}  // namespace ionhop::kmc
