#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "lattice/StructureCif.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureFileError.hpp"
#include "lattice/StructureGeometry.hpp"
#include "lattice/StructureIO.hpp"
#include "lattice/StructurePoscar.hpp"

namespace ionhop::lattice {
namespace {

Structure sample() {
  Structure s;
  s.cell << 4.1, 0.3, -0.2, 0.0, 3.9, 0.4, 0.0, 0.0, 5.2;
  s.species = {"Li", "O", "Li", "La", "O"};
  s.positions.resize(3, 5);
  for (int i = 0; i < 5; ++i) s.positions.col(i) = s.cell * Eigen::Vector3d(0.1 + 0.17 * i, 0.93 - 0.11 * i, 0.05 * i * i);
  s.fixed = {0, 1, 0, 0, 1};
  return s;
}

TEST(StructurePoscar, RoundTripsDirectAndCartesian) {
  const Structure s = sample();
  for (bool direct : {true, false}) {
    const Structure t = parse_poscar(format_poscar(s, {.comment = "test", .direct = direct}));
    // The writer groups species (Li, Li, O, O, La): compare through that order.
    const std::vector<int> order = {0, 2, 1, 4, 3};
    EXPECT_LT((t.cell - s.cell).cwiseAbs().maxCoeff(), 1e-14);
    for (int k = 0; k < 5; ++k) {
      EXPECT_EQ(t.species[k], s.species[order[k]]);
      EXPECT_LT((t.positions.col(k) - s.positions.col(order[k])).norm(), 1e-13);
      EXPECT_EQ(t.is_fixed(k), s.is_fixed(order[k]));
    }
  }
}

TEST(StructurePoscar, ReadsScaleVolumeCartesianAndSelectiveDynamics) {
  const std::string text =
      "rock salt\n 2.0\n 1 0 0\n 0 1 0\n 0 0 1\n Na Cl\n 1 1\nSelective dynamics\nCartesian\n"
      " 0 0 0 F F F\n 0.5 0.5 0.5 T T T\n";
  const Structure s = parse_poscar(text);
  EXPECT_DOUBLE_EQ(s.cell(0, 0), 2.0);
  EXPECT_DOUBLE_EQ(s.positions(1, 1), 1.0);  // Cartesian coordinates scaled too
  EXPECT_TRUE(s.is_fixed(0));
  EXPECT_FALSE(s.is_fixed(1));
  // A negative scale is the target volume.
  const Structure v = parse_poscar("x\n -27.0\n 1 0 0\n 0 1 0\n 0 0 1\n Na\n 1\nDirect\n 0.5 0.5 0.5\n");
  EXPECT_NEAR(v.volume_A3(), 27.0, 1e-12);
  EXPECT_NEAR(v.positions(0, 0), 1.5, 1e-12);
}

TEST(StructurePoscar, ErrorsCarryTheLine) {
  const std::string text = "x\n 1.0\n 1 0 0\n 0 1 0\n 0 0 1\n Na\n 1\nDirect\n 0.5 0.5x 0.5\n";
  try {
    parse_poscar(text, "bad.vasp");
    FAIL() << "expected StructureFileError";
  } catch (const StructureFileError& e) {
    EXPECT_EQ(e.file(), "bad.vasp");
    EXPECT_EQ(e.line(), 9);
    EXPECT_NE(std::string(e.what()).find("0.5x"), std::string::npos);
  }
  EXPECT_THROW(parse_poscar("x\n1\n1 0 0\n0 1 0\n0 0 1\n1\nDirect\n0 0 0\n"), StructureFileError);  // VASP 4
  EXPECT_THROW(parse_poscar("x\n1\n1 0 0\n0 1 0\n0 0 1\nNa\n1\nS\nDirect\n0 0 0 T F T\n"), StructureFileError);
}

TEST(StructureExtxyz, RoundTripsFramesWithEnergyForcesAndInfo) {
  XyzFrame a{sample(), -12.5, Eigen::Matrix3Xd::Random(3, 5), {{"config_type", "bulk Li"}}};
  Structure molecule;
  molecule.pbc = {false, false, false};
  molecule.species = {"H", "H"};
  molecule.positions = Eigen::Matrix3Xd::Zero(3, 2);
  molecule.positions(2, 1) = 0.74;
  XyzFrame b{molecule, std::nullopt, std::nullopt, {}};
  const auto frames = parse_extxyz(format_extxyz({a, b}));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].structure.cell, a.structure.cell);           // 17 digits: exact
  EXPECT_EQ(frames[0].structure.positions, a.structure.positions);
  EXPECT_EQ(frames[0].structure.species, a.structure.species);
  EXPECT_EQ(frames[0].structure.fixed, a.structure.fixed);
  EXPECT_EQ(*frames[0].energy_eV, -12.5);
  EXPECT_EQ(*frames[0].forces_eV_per_A, *a.forces_eV_per_A);
  EXPECT_EQ(frames[0].info.at("config_type"), "bulk Li");
  EXPECT_EQ(frames[1].structure.pbc, (std::array<bool, 3>{false, false, false}));
  EXPECT_FALSE(frames[1].energy_eV.has_value());
  EXPECT_DOUBLE_EQ(frames[1].structure.positions(2, 1), 0.74);
}

TEST(StructureExtxyz, ReadsAseOutputWithExtraColumns) {
  // As written by ase.io.write(..., format="extxyz") for a calculator result.
  const std::string text =
      "2\n"
      "Lattice=\"3.0 0.0 0.0 0.0 3.0 0.0 0.0 0.0 3.0\" Properties=species:S:1:pos:R:3:magmoms:R:1:forces:R:3 "
      "energy=-1.25 free_energy=-1.25 pbc=\"T T F\"\n"
      "Na 0.0 0.0 0.0 0.0 0.1 0.2 0.3\n"
      "Cl 1.5 1.5 1.5 0.0 -0.1 -0.2 -0.3\n";
  const auto frames = parse_extxyz(text, "ase.xyz");
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].structure.pbc, (std::array<bool, 3>{true, true, false}));
  EXPECT_DOUBLE_EQ((*frames[0].forces_eV_per_A)(2, 1), -0.3);
  EXPECT_EQ(frames[0].info.at("free_energy"), "-1.25");
  try {
    parse_extxyz("1\nProperties=species:S:1:pos:R:3\nNa 0 0 zero\n", "bad.xyz");
    FAIL();
  } catch (const StructureFileError& e) {
    EXPECT_EQ(e.line(), 3);
  }
}

TEST(StructureCif, ExpandsSymmetryAndReportsPartialSites) {
  // Rock salt from its asymmetric unit, plus a half-occupied interstitial site (8c, 8 copies).
  const std::string text =
      "data_test\n_cell_length_a 5.64\n_cell_length_b 5.64\n_cell_length_c 5.64(2)\n"
      "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n"
      "_symmetry_space_group_name_H-M 'F m -3 m'\n"
      "loop_\n_atom_site_label\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\n"
      "_atom_site_occupancy\n"
      "Na1 Na+ 0 0 0 1\nCl1 Cl- 0.5 0.5 0.5 1.0\nLi1 Li 0.25 0.25 0.25 0.5\n";
  const CifStructure cif = parse_cif(text, "nacl.cif");
  EXPECT_EQ(cif.symmetry_operations, 192);
  ASSERT_EQ(cif.structure.size(), 8u);
  EXPECT_EQ(std::count(cif.structure.species.begin(), cif.structure.species.end(), "Na"), 4);
  EXPECT_NEAR(cif.structure.volume_A3(), std::pow(5.64, 3), 1e-9);
  ASSERT_EQ(cif.partial_sites.size(), 8u);
  EXPECT_EQ(cif.partial_sites[0].label, "Li1");
  EXPECT_EQ(cif.partial_sites[0].species, "Li");
  EXPECT_DOUBLE_EQ(cif.partial_sites[0].occupancy, 0.5);
  // Exact rock salt: each atom has its 6 nearest neighbours at a/2, which in this 8-atom cell are
  // the ±a/2 images of 3 distinct atoms.
  for (std::size_t i = 0; i < 8; ++i) {
    int count = 0;
    for (std::size_t j = 0; j < 8; ++j)
      if (i != j && std::abs(minimum_image(cif.structure, i, j).distance_A - 2.82) < 1e-9) ++count;
    EXPECT_EQ(count, 3);
  }
}

TEST(StructureCif, SymmetryOperationsListTakesPrecedence) {
  const std::string text =
      "data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n_cell_angle_alpha 90\n_cell_angle_beta 90\n"
      "_cell_angle_gamma 90\nloop_\n_space_group_symop_operation_xyz\n'x, y, z'\n'-x, -y, -z'\n"
      "loop_\n_atom_site_label\n_atom_site_fract_x\n_atom_site_fract_y\n_atom_site_fract_z\nO1 0.1 0.2 0.3\n";
  const CifStructure cif = parse_cif(text);
  ASSERT_EQ(cif.structure.size(), 2u);
  EXPECT_NEAR(cif.structure.positions(0, 1), 0.9 * 4, 1e-12);
  EXPECT_THROW(parse_cif("data_x\n_cell_length_a 4\nloop_\n_atom_site_label\n"), StructureFileError);
}

TEST(MinimumImage, MatchesSearchOverManyImagesInSkewedCell) {
  Structure s = sample();
  s.cell.col(2) += 2.5 * s.cell.col(0) - 1.7 * s.cell.col(1);  // strongly skewed
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j) {
      double best = 1e300;
      for (int a = -5; a <= 5; ++a)
        for (int b = -5; b <= 5; ++b)
          for (int c = -5; c <= 5; ++c)
            best = std::min(best, (s.positions.col(j) + s.cell * Eigen::Vector3d(a, b, c) - s.positions.col(i)).norm());
      const ImageDisplacement d = minimum_image(s, i, j);
      EXPECT_NEAR(d.distance_A, best, 1e-12);
      EXPECT_LT((s.positions.col(j) + s.cell * d.image.cast<double>() - s.positions.col(i) - d.vector_A).norm(), 1e-12);
    }
}

TEST(StructureIO, DispatchesOnFileName) {
  const auto dir = std::filesystem::temp_directory_path() / "ionhop_structure_io_test";
  std::filesystem::create_directories(dir);
  const Structure s = sample();
  for (const char* name : {"POSCAR", "relaxed.extxyz", "x.vasp"}) {
    const std::string path = (dir / name).string();
    write_structure(path, s);
    const Structure t = read_structure(path);
    EXPECT_EQ(t.size(), s.size()) << name;
    EXPECT_NEAR(t.volume_A3(), s.volume_A3(), 1e-10) << name;
  }
  EXPECT_THROW(read_structure((dir / "structure.pdb").string()), StructureFileError);
  EXPECT_THROW(read_structure((dir / "missing.cif").string()), StructureFileError);
}

}  // namespace
}  // namespace ionhop::lattice
