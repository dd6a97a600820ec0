#include "neb/NeighborList.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "neb/CellList.hpp"
#include "tests/neb/PotentialTestStructures.hpp"

namespace ionhop::neb {
namespace {

using Entry = std::tuple<int, int, int, int, int>;  // i, j, image

/// All (i, j, image) with 0 < |r_j + cell·image − r_i| < cutoff, by looping over a box of images
/// large enough for any cell: |image_k| ≤ ⌈cutoff / width_k⌉ + 1.
std::vector<Entry> brute_force(const lattice::Structure& s, double cutoff, bool half) {
  const Eigen::Vector3d w = lattice::perpendicular_widths_A(s.cell);
  int range[3];
  for (int k = 0; k < 3; ++k) range[k] = s.pbc[k] ? static_cast<int>(std::ceil(cutoff / w[k])) + 2 : 0;
  std::vector<Entry> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      for (int a = -range[0]; a <= range[0]; ++a)
        for (int b = -range[1]; b <= range[1]; ++b)
          for (int c = -range[2]; c <= range[2]; ++c) {
            const Eigen::Vector3d r = s.positions.col(static_cast<Eigen::Index>(j)) + s.cell * Eigen::Vector3d(a, b, c) -
                                      s.positions.col(static_cast<Eigen::Index>(i));
            if (r.norm() >= cutoff || (i == j && a == 0 && b == 0 && c == 0)) continue;
            const bool positive = a != 0 ? a > 0 : (b != 0 ? b > 0 : c > 0);
            if (half && !(j > i || (j == i && positive))) continue;
            out.emplace_back(static_cast<int>(i), static_cast<int>(j), a, b, c);
          }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Entry> listed(const NeighborList& list) {
  std::vector<Entry> out;
  for (std::size_t i = 0; i < list.atom_count(); ++i)
    for (std::size_t k = 0; k < list.neighbors(i).size(); ++k) {
      const auto& im = list.images(i)[k];
      out.emplace_back(static_cast<int>(i), list.neighbors(i)[k], im[0], im[1], im[2]);
    }
  std::sort(out.begin(), out.end());
  return out;
}

void expect_equal_to_brute_force(const lattice::Structure& s, double cutoff) {
  for (bool half : {true, false}) {
    NeighborList list({.cutoff_A = cutoff, .skin_A = 0.0, .half = half});
    list.build(s);
    const auto expected = brute_force(s, cutoff, half);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(listed(list), expected) << "half=" << half << " cutoff=" << cutoff;
  }
}

TEST(NeighborList, EqualsBruteForceInLargeOrthorhombicCell) {
  auto s = lattice::make_supercell(testing::rock_salt(4.0), {3, 3, 2});
  expect_equal_to_brute_force(s, 4.5);
}

TEST(NeighborList, EqualsBruteForceWhenCellIsSmallerThanTwiceTheCutoff) {
  // A 2-atom cell 3 Å wide with a 7.5 Å cutoff: every atom sees many images of itself.
  auto s = testing::cesium_chloride(3.0);
  expect_equal_to_brute_force(s, 7.5);
}

TEST(NeighborList, EqualsBruteForceInSkewedTriclinicCell) {
  auto s = testing::distorted_triclinic();
  // Strong skew on top: c leans far over a and b.
  s.cell.col(2) += 0.8 * s.cell.col(0) + 0.6 * s.cell.col(1);
  expect_equal_to_brute_force(s, 6.0);
  expect_equal_to_brute_force(s, 2.9);
}

TEST(NeighborList, UnwrappedPositionsOutsideTheCellGiveImagesRelativeToThem) {
  auto s = testing::distorted_triclinic();
  s.positions.col(3) += s.cell * Eigen::Vector3d(2, -1, 3);  // the same atom, three cells away
  s.positions.col(5) -= s.cell.col(1);
  expect_equal_to_brute_force(s, 5.0);
}

TEST(NeighborList, NonPeriodicAxisHasNoImages) {
  auto s = testing::distorted_triclinic();
  s.pbc = {true, false, true};
  expect_equal_to_brute_force(s, 6.0);
}

TEST(NeighborList, RebuildsOnlyWhenAnAtomMovedMoreThanHalfTheSkin) {
  auto s = testing::distorted_triclinic();
  NeighborList list({.cutoff_A = 4.0, .skin_A = 0.5, .half = true});
  EXPECT_TRUE(list.update(s));
  s.positions(0, 2) += 0.24;  // below skin/2
  EXPECT_FALSE(list.update(s));
  EXPECT_EQ(list.build_count(), 1);
  // Every pair within the cutoff must still be in the (not rebuilt) list.
  const auto stored = listed(list);
  for (const auto& e : brute_force(s, 4.0, true)) EXPECT_TRUE(std::binary_search(stored.begin(), stored.end(), e));
  s.positions(1, 2) += 0.2;  // now |Δr| > skin/2
  EXPECT_TRUE(list.update(s));
  EXPECT_EQ(list.build_count(), 2);
  s.cell(0, 0) += 0.01;
  EXPECT_TRUE(list.update(s));
}

TEST(NeighborList, DisplacementUsesCurrentPositions) {
  auto s = testing::distorted_triclinic();
  NeighborList list({.cutoff_A = 4.0, .skin_A = 0.3, .half = false});
  list.build(s);
  s.positions(2, 0) += 0.1;
  const auto& im = list.images(0)[0];
  const int j = list.neighbors(0)[0];
  const Eigen::Vector3d expected = s.positions.col(j) + s.cell * im.cast<double>() - s.positions.col(0);
  EXPECT_LT((list.displacement(s, 0, 0) - expected).norm(), 1e-14);
}

TEST(CellList, RejectsNonPositiveCutoff) {
  EXPECT_THROW(CellList(testing::rock_salt(4.0), 0.0), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
