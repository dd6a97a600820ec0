// Extended XYZ training labels: stress (ASE sign and layouts), virial, per-frame weight,
// config_type, and their exact round trip.
#include <gtest/gtest.h>

#include <string>

#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureFileError.hpp"

namespace ionhop::lattice {
namespace {

// Written by ASE 3.22.1 (Debian 12 python3-ase):
//   a = Atoms('NaCl', positions=[[0,0,0],[1.4,1.5,1.6]],
//             cell=[[3,0,0],[0.1,3.1,0],[0,0.2,3.2]], pbc=True)
//   a.info['config_type'] = 'md 300K'; a.info['weight'] = 2.5
//   a.calc = SinglePointCalculator(a, energy=-1.5, forces=[[.1,.2,.3],[-.1,-.2,-.3]],
//                                  stress=[0.01, 0.02, 0.03, 0.004, 0.005, 0.006])   # Voigt
//   ase.io.write(f, a, format='extxyz')
const char* const kAseFrame =
    "2\n"
    "Lattice=\"3.0 0.0 0.0 0.1 3.1 0.0 0.0 0.2 3.2\" Properties=species:S:1:pos:R:3:forces:R:3 "
    "config_type=\"md 300K\" weight=2.5 energy=-1.5 "
    "stress=\"0.01 0.006 0.005 0.006 0.02 0.004 0.005 0.004 0.03\" pbc=\"T T T\"\n"
    "Na       0.00000000       0.00000000       0.00000000       0.10000000       0.20000000       0.30000000\n"
    "Cl       1.40000000       1.50000000       1.60000000      -0.10000000      -0.20000000      -0.30000000\n";

Eigen::Matrix3d ase_stress() {
  Eigen::Matrix3d s;
  s << 0.01, 0.006, 0.005,  //
      0.006, 0.02, 0.004,   //
      0.005, 0.004, 0.03;
  return s;
}

TEST(StructureExtxyzLabels, ReadsAseStressWeightAndConfigType) {
  const auto frames = parse_extxyz(kAseFrame, "ase.xyz");
  ASSERT_EQ(frames.size(), 1u);
  const XyzFrame& f = frames[0];
  ASSERT_TRUE(f.stress_eV_per_A3.has_value());
  EXPECT_EQ(*f.stress_eV_per_A3, ase_stress());
  EXPECT_EQ(f.weight, 2.5);
  EXPECT_EQ(f.config_type(), "md 300K");
  EXPECT_FALSE(f.info.contains("stress"));
  EXPECT_FALSE(f.info.contains("weight"));
}

TEST(StructureExtxyzLabels, VoigtSixValuesGiveTheSameMatrixAsNine) {
  // ASE's Voigt order is xx yy zz yz xz xy.
  std::string text = kAseFrame;
  const std::string nine = "stress=\"0.01 0.006 0.005 0.006 0.02 0.004 0.005 0.004 0.03\"";
  text.replace(text.find(nine), nine.size(), "stress=\"0.01 0.02 0.03 0.004 0.005 0.006\"");
  EXPECT_EQ(*parse_extxyz(text)[0].stress_eV_per_A3, ase_stress());
}

TEST(StructureExtxyzLabels, VirialIsMinusStressTimesVolume) {
  std::string text = kAseFrame;
  const std::string nine = "stress=\"0.01 0.006 0.005 0.006 0.02 0.004 0.005 0.004 0.03\"";
  // V = det of the Lattice rows = 3.0 · 3.1 · 3.2 = 29.76 Å³ (lower triangular rows).
  const double volume = 3.0 * 3.1 * 3.2;
  const Eigen::Matrix3d w = -ase_stress() * volume;
  std::string virial = "virial=\"";
  char buf[64];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      std::snprintf(buf, sizeof buf, "%.17g ", w(r, c));
      virial += buf;
    }
  virial.back() = '"';
  std::string only_virial = text;
  only_virial.replace(only_virial.find(nine), nine.size(), virial);
  const Eigen::Matrix3d from_virial = *parse_extxyz(only_virial)[0].stress_eV_per_A3;
  EXPECT_LT((from_virial - ase_stress()).cwiseAbs().maxCoeff(), 1e-15);

  // Both given and consistent: accepted; inconsistent (sign flipped): an error on line 2.
  std::string both = text;
  both.replace(both.find("pbc="), 0, virial + " ");
  EXPECT_NO_THROW(parse_extxyz(both));
  std::string flipped = text;
  flipped.replace(flipped.find("pbc="), 0, "virial=\"0.2976 0 0 0 0.5952 0 0 0 0.8928\" ");
  try {
    parse_extxyz(flipped, "x.xyz");
    FAIL() << "expected StructureFileError";
  } catch (const StructureFileError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(std::string(e.what()).find("disagree"), std::string::npos);
  }
}

TEST(StructureExtxyzLabels, RoundTripsEveryLabelExactly) {
  XyzFrame a;
  a.structure.cell << 5.1, 0.2, -0.1,  //
      0.0, 4.9, 0.3,                   //
      0.0, 0.0, 5.3;
  a.structure.species = {"Li", "Li", "O"};
  a.structure.positions = Eigen::Matrix3Xd::Random(3, 3) * 2.0;
  a.energy_eV = -14.123456789012345;
  a.forces_eV_per_A = Eigen::Matrix3Xd::Random(3, 3);
  Eigen::Matrix3d stress = Eigen::Matrix3d::Random() * 1e-3;
  a.stress_eV_per_A3 = (stress + stress.transpose()) / 3.0;
  a.weight = 0.1;
  a.set_config_type("vacancy \"Li\"");  // blank and quotes: quoted and escaped
  a.info["note"] = "a=b";
  XyzFrame b = a;
  b.stress_eV_per_A3.reset();
  b.weight = 1.0;
  b.set_config_type("");
  b.info.clear();

  const std::string text = format_extxyz({a, b});
  const auto frames = parse_extxyz(text);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(*frames[0].stress_eV_per_A3, *a.stress_eV_per_A3);
  EXPECT_EQ(frames[0].weight, 0.1);
  EXPECT_EQ(frames[0].config_type(), "vacancy \"Li\"");
  EXPECT_EQ(frames[0].info, a.info);
  EXPECT_EQ(*frames[0].energy_eV, *a.energy_eV);
  EXPECT_EQ(*frames[0].forces_eV_per_A, *a.forces_eV_per_A);
  EXPECT_FALSE(frames[1].stress_eV_per_A3.has_value());
  EXPECT_EQ(frames[1].weight, 1.0);
  EXPECT_EQ(frames[1].config_type(), "");
  EXPECT_TRUE(frames[1].info.empty());
  // A default weight is not written; the second frame's comment line has no weight key.
  const std::size_t second = text.find("\n3\n");
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(text.find("weight=", second), std::string::npos);
}

TEST(StructureExtxyzLabels, InfoTextRoundTrips) {
  const std::map<std::string, std::string> info{{"config_type", "md 1500 K"}, {"empty", ""}, {"q", "say \"hi\""}, {"x", "1"}};
  EXPECT_EQ(parse_extxyz_info(format_extxyz_info(info)), info);
}

TEST(StructureExtxyzLabels, RejectsBadLabels) {
  const std::string head = "1\nLattice=\"3 0 0 0 3 0 0 0 3\" Properties=species:S:1:pos:R:3 ";
  const std::string atom = "\nNa 0 0 0\n";
  EXPECT_THROW(parse_extxyz(head + "stress=\"1 2 3 4 5\"" + atom), StructureFileError);       // 5 values
  EXPECT_THROW(parse_extxyz(head + "virial=\"1 2 3 4 5 6\"" + atom), StructureFileError);     // virial: 9 only
  EXPECT_THROW(parse_extxyz(head + "weight=-1" + atom), StructureFileError);                  // negative
  EXPECT_THROW(parse_extxyz(head + "weight=nan" + atom), StructureFileError);                 // not finite
  EXPECT_THROW(parse_extxyz(head + "weight=1 config_weight=2" + atom), StructureFileError);   // two weights
  EXPECT_EQ(parse_extxyz(head + "config_weight=3" + atom)[0].weight, 3.0);                    // MACE's key
  EXPECT_THROW(parse_extxyz("1\nProperties=species:S:1:pos:R:3 stress=\"1 2 3 4 5 6\"\nNa 0 0 0\n"),
               StructureFileError);  // stress without a cell
  XyzFrame f = parse_extxyz(head + atom)[0];
  f.info["weight"] = "2";  // would be written twice
  EXPECT_THROW(format_extxyz({f}), StructureFileError);
}

}  // namespace
}  // namespace ionhop::lattice
