// Prototype lattices, space groups, hop classes and network dimensionality.
#include "lattice/HopNetwork.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "lattice/LatticeError.hpp"
#include "lattice/NeighborShells.hpp"
#include "lattice/Prototypes.hpp"
#include "lattice/Supercell.hpp"

using namespace ionhop::lattice;

namespace {

struct PrototypeCase {
  const char* name;
  int sites_per_cell;
  int space_group_order;   // operations of the conventional cell (point group × centring)
  int coordination;        // nearest-neighbour hops per site
  int dimension;
  double nn_distance;      // in units of a
};

// Names the case in test output (ctest lists parameters by their PrintTo).
void PrintTo(const PrototypeCase& c, std::ostream* os) { *os << c.name; }

class PrototypeTest : public ::testing::TestWithParam<PrototypeCase> {};

TEST_P(PrototypeTest, NearestNeighbourNetworkHasOneClassAndTheRightDimension) {
  const PrototypeCase& c = GetParam();
  const Crystal crystal = make_prototype(c.name, 1.0);
  ASSERT_EQ(static_cast<int>(crystal.basis.size()), c.sites_per_cell);
  const auto ops = find_space_group(crystal);
  EXPECT_EQ(static_cast<int>(ops.size()), c.space_group_order);
  const HopNetwork net(crystal, {HopRule{0, 0, 1, {}}}, ops);
  ASSERT_EQ(net.classes().size(), 1u);
  EXPECT_EQ(net.classes()[0].templates_per_cell, c.sites_per_cell * c.coordination);
  for (int b = 0; b < c.sites_per_cell; ++b)
    EXPECT_EQ(static_cast<int>(net.templates_from(b).size()), c.coordination);
  EXPECT_NEAR(net.classes()[0].distance_A, c.nn_distance, 1e-12);
  EXPECT_EQ(net.dimension(), c.dimension);
}

INSTANTIATE_TEST_SUITE_P(
    Prototypes, PrototypeTest,
    ::testing::Values(PrototypeCase{"chain", 1, 16, 2, 1, 1.0},
                      PrototypeCase{"square", 1, 16, 4, 2, 1.0},
                      PrototypeCase{"triangular", 1, 24, 6, 2, 1.0},
                      PrototypeCase{"honeycomb", 2, 24, 3, 2, 1.0 / std::sqrt(3.0)},
                      PrototypeCase{"sc", 1, 48, 6, 3, 1.0},
                      PrototypeCase{"bcc", 2, 96, 8, 3, std::sqrt(3.0) / 2},
                      PrototypeCase{"fcc", 4, 192, 12, 3, std::sqrt(0.5)},
                      PrototypeCase{"diamond", 8, 192, 4, 3, std::sqrt(3.0) / 4},
                      PrototypeCase{"bcc_anion_T", 12, 96, 4, 3, std::sqrt(2.0) / 4}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(HopNetwork, FccTetrahedralOctahedralHopsFormOneReversibleClass) {
  const Crystal c = make_prototype("fcc_anion_TO", 1.0);
  const int T = c.type_index("T"), O = c.type_index("O");
  const HopNetwork net(c, {HopRule{T, O, 1, {}}}, find_space_group(c));
  ASSERT_EQ(net.classes().size(), 1u);
  // 8 T sites with 4 O neighbours each, 4 O sites with 8 T neighbours each.
  EXPECT_EQ(net.classes()[0].templates_per_cell, 8 * 4 + 4 * 8);
  EXPECT_NEAR(net.classes()[0].distance_A, std::sqrt(3.0) / 4, 1e-12);
  EXPECT_EQ(net.dimension(), 3);
}

TEST(HopNetwork, HcpTetrahedralPairsAloneDoNotPercolate) {
  const Crystal c = make_prototype("hcp_anion_TO", 1.0);
  const int T = c.type_index("T"), O = c.type_index("O");
  const auto ops = find_space_group(c);
  EXPECT_EQ(ops.size(), 24u);  // P6_3/mmc
  const HopNetwork pairs(c, {HopRule{T, T, 1, {}}}, ops);
  EXPECT_EQ(pairs.dimension(), 0);  // face-sharing T–T pairs are isolated dimers
  EXPECT_NEAR(pairs.classes()[0].distance_A, std::sqrt(8.0 / 3.0) / 4, 1e-12);
  const HopNetwork with_o(c, {HopRule{T, T, 1, {}}, HopRule{T, O, 1, {}}}, ops);
  EXPECT_EQ(with_o.dimension(), 3);
  EXPECT_EQ(with_o.classes().size(), 2u);
}

TEST(HopNetwork, SecondShellOfSimpleCubicIsADistinctClass) {
  const Crystal c = make_prototype("sc", 2.0);
  const HopNetwork net(c, {HopRule{0, 0, 1, {}}, HopRule{0, 0, 2, {}}}, find_space_group(c));
  ASSERT_EQ(net.classes().size(), 2u);
  EXPECT_NEAR(net.classes()[1].distance_A, 2.0 * std::sqrt(2.0), 1e-12);
  EXPECT_EQ(net.classes()[1].templates_per_cell, 12);
}

TEST(HopNetwork, WithoutSymmetryEveryHopPairIsItsOwnClass) {
  // Only the identity: classes are just {hop, reverse} pairs: 3 in simple cubic.
  const Crystal c = make_prototype("sc", 1.0);
  std::vector<SymmetryOperation> identity{{Eigen::Matrix3i::Identity(), Eigen::Vector3d::Zero()}};
  const HopNetwork net(c, {HopRule{0, 0, 1, {}}}, identity);
  EXPECT_EQ(net.classes().size(), 3u);
}

TEST(HopNetwork, MissingShellIsAClearError) {
  const Crystal c = make_prototype("fcc_anion_TO", 1.0);
  EXPECT_THROW(HopNetwork(c, {HopRule{0, 5, 1, {}}}, {}), LatticeError);
}

TEST(NeighborShells, SimpleCubicShellsAndCounts) {
  const NeighborShells shells(make_prototype("sc", 1.0), 3);
  ASSERT_EQ(shells.n_shells(), 3);
  EXPECT_NEAR(shells.distances_A()[0], 1.0, 1e-12);
  EXPECT_NEAR(shells.distances_A()[1], std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(shells.distances_A()[2], std::sqrt(3.0), 1e-12);
  int count[4] = {0, 0, 0, 0};
  for (const auto& n : shells.neighbors_of(0)) count[n.shell]++;
  EXPECT_EQ(count[1], 6);
  EXPECT_EQ(count[2], 12);
  EXPECT_EQ(count[3], 8);
}

TEST(Supercell, IndexAddressRoundTripAndPeriodicNeighbours) {
  const Supercell sc(make_prototype("fcc", 1.0), {3, 4, 5});
  EXPECT_EQ(sc.n_sites(), 4 * 60);
  for (SiteIndex s = 0; s < sc.n_sites(); ++s) EXPECT_EQ(sc.index(sc.address(s)), s);
  SiteAddress a;
  a.cell = {2, 3, 4};
  a.basis = 1;
  const SiteIndex n = sc.neighbor(a, 1, Eigen::Vector3i(1, 1, 1));
  const SiteAddress b = sc.address(n);
  EXPECT_EQ(b.cell, (std::array<int, 3>{0, 0, 0}));
  EXPECT_NEAR(sc.volume_A3(), 60.0, 1e-12);
}

TEST(Prototypes, UnknownNameThrows) { EXPECT_THROW(make_prototype("hexagonal_ice", 1.0), LatticeError); }

}  // namespace
