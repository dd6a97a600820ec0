// The HDF5 MLIP data set: frames round-trip bit for bit (ragged atom counts, absent labels,
// fixed atoms, weights, config types, other labels), metadata, layout checks on reading, and an
// atomic write that leaves an existing file intact when it fails.
#include "app/MlipDatasetFile.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <filesystem>

#include "app/H5File.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using namespace ionhop;
using namespace ionhop::app;

namespace {

class MlipDatasetFileTest : public ionhop::testing::ScratchDirTest {
 protected:
  MlipDatasetFileTest() : ScratchDirTest("mlipdata") {}
};

lattice::XyzFrame frame(int atoms, unsigned seed) {
  std::srand(seed);
  lattice::XyzFrame f;
  f.structure.cell = Eigen::Matrix3d::Random() + 6.0 * Eigen::Matrix3d::Identity();
  for (int i = 0; i < atoms; ++i) f.structure.species.push_back(i % 3 == 0 ? "O" : "Li");
  f.structure.positions = Eigen::Matrix3Xd::Random(3, atoms) * 3.0;
  f.energy_eV = -3.7 * atoms + 1e-9 * seed;
  f.forces_eV_per_A = Eigen::Matrix3Xd::Random(3, atoms);
  f.stress_eV_per_A3 = Eigen::Matrix3d::Random() * 1e-2;
  f.weight = 0.25 * seed;
  f.set_config_type("md");
  f.info["temperature_K"] = "300";
  return f;
}

void expect_equal(const lattice::XyzFrame& a, const lattice::XyzFrame& b) {
  EXPECT_EQ(a.structure.cell, b.structure.cell);
  EXPECT_EQ(a.structure.pbc, b.structure.pbc);
  EXPECT_EQ(a.structure.species, b.structure.species);
  EXPECT_EQ(a.structure.positions, b.structure.positions);
  EXPECT_EQ(a.structure.fixed, b.structure.fixed);
  EXPECT_EQ(a.energy_eV, b.energy_eV);
  ASSERT_EQ(a.forces_eV_per_A.has_value(), b.forces_eV_per_A.has_value());
  if (a.forces_eV_per_A) {
    EXPECT_EQ(*a.forces_eV_per_A, *b.forces_eV_per_A);
  }
  ASSERT_EQ(a.stress_eV_per_A3.has_value(), b.stress_eV_per_A3.has_value());
  if (a.stress_eV_per_A3) {
    EXPECT_EQ(*a.stress_eV_per_A3, *b.stress_eV_per_A3);
  }
  EXPECT_EQ(a.weight, b.weight);
  EXPECT_EQ(a.info, b.info);
}

TEST_F(MlipDatasetFileTest, FramesRoundTripBitForBit) {
  std::vector<lattice::XyzFrame> frames{frame(12, 1), frame(11, 2), frame(13, 3)};
  frames[1].energy_eV.reset();
  frames[1].stress_eV_per_A3.reset();
  frames[1].set_config_type("");
  frames[1].info["note"] = "two words \"quoted\"";
  frames[2].forces_eV_per_A.reset();
  frames[2].structure.fixed.assign(13, 0);
  frames[2].structure.fixed[4] = 1;
  lattice::XyzFrame molecule;  // non-periodic, identity cell, no labels
  molecule.structure.pbc = {false, false, false};
  molecule.structure.species = {"H", "H"};
  molecule.structure.positions = Eigen::Matrix3Xd::Zero(3, 2);
  molecule.structure.positions(2, 1) = 0.74;
  frames.push_back(molecule);

  const fs::path path = dir_ / "data.h5";
  write_mlip_dataset(path, frames, {{"job_name", "test"}, {"seed", "42"}});
  const auto back = read_mlip_dataset(path);
  ASSERT_EQ(back.size(), frames.size());
  for (std::size_t k = 0; k < frames.size(); ++k) {
    SCOPED_TRACE(k);
    expect_equal(frames[k], back[k]);
  }
  EXPECT_EQ(read_mlip_dataset_metadata(path), (MlipDatasetMetadata{{"job_name", "test"}, {"seed", "42"}}));

  // The layout as documented: ragged atoms with offsets, cell rows, NaN for absent labels.
  const H5File f = H5File::open_read_only(path);
  EXPECT_EQ(f.read_int64_attribute("/", "n_frames"), 4);
  EXPECT_EQ(f.read_int64_attribute("/", "n_atoms_total"), 38);
  EXPECT_EQ(f.read_int64s("/frames/first_atom"), (std::vector<std::int64_t>{0, 12, 23, 36}));
  EXPECT_EQ(f.read_double_array("/frames/cell_A")(0, 1), frames[0].structure.cell(1, 0));  // row a: (ax, ay, az)
  EXPECT_TRUE(std::isnan(f.read_doubles("/frames/energy_eV")[1]));
  EXPECT_TRUE(std::isnan(f.read_double_array("/atoms/forces_eV_A")(23, 0)));
  EXPECT_EQ(f.read_strings("/frames/config_type"), (std::vector<std::string>{"md", "", "md", ""}));
  EXPECT_EQ(f.units("/frames/stress_eV_A3"), "eV/angstrom^3");
}

TEST_F(MlipDatasetFileTest, H5pyReadsAFrameAsDocumented) {
  // The reading recipe of docs/mlip-data.md, run by an independent reader (h5py).
  const std::vector<lattice::XyzFrame> frames{frame(4, 1), frame(3, 2)};
  const fs::path path = dir_ / "data.h5";
  write_mlip_dataset(path, frames);
  if (std::system("/usr/bin/python3 -c 'import h5py' 2>/dev/null") != 0) GTEST_SKIP() << "no python3-h5py";
  const std::string script =
      "import h5py\n"
      "with h5py.File('" + path.string() + "') as f:\n"
      "    k = 1\n"
      "    a, n = f['frames/first_atom'][k], f['frames/n_atoms'][k]\n"
      "    cell = f['frames/cell_A'][k].reshape(3, 3)\n"
      "    pos = f['atoms/positions_A'][a:a + n]\n"
      "    stress = f['frames/stress_eV_A3'][k].reshape(3, 3)\n"
      "    print(repr(float(f['frames/energy_eV'][k])), repr(float(cell[1, 0])), repr(float(pos[2, 1])),\n"
      "          repr(float(stress[0, 2])), f['frames/config_type'][k].decode(), int(n))\n";
  std::ofstream(dir_ / "read.py") << script;
  FILE* pipe = ::popen(("/usr/bin/python3 " + (dir_ / "read.py").string()).c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[512] = {};
  const std::size_t got = std::fread(buffer, 1, sizeof buffer - 1, pipe);
  ASSERT_EQ(::pclose(pipe), 0);
  std::istringstream line(std::string(buffer, got));
  double energy = 0, b_x = 0, y2 = 0, s02 = 0;
  std::string type;
  int n = 0;
  line >> energy >> b_x >> y2 >> s02 >> type >> n;
  const lattice::XyzFrame& f = frames[1];
  EXPECT_EQ(energy, *f.energy_eV);                    // repr() of a double round-trips exactly
  EXPECT_EQ(b_x, f.structure.cell(0, 1));             // row b, x component = column b of the matrix
  EXPECT_EQ(y2, f.structure.positions(1, 2));
  EXPECT_EQ(s02, (*f.stress_eV_per_A3)(0, 2));
  EXPECT_EQ(type, "md");
  EXPECT_EQ(n, 3);
}

TEST_F(MlipDatasetFileTest, AFailedWriteLeavesTheOldFile) {
  const fs::path path = dir_ / "data.h5";
  write_mlip_dataset(path, {frame(5, 1)});
  std::vector<lattice::XyzFrame> bad{frame(5, 2)};
  bad[0].forces_eV_per_A = Eigen::Matrix3Xd::Zero(3, 4);  // 4 forces for 5 atoms
  EXPECT_THROW(write_mlip_dataset(path, bad), MlipDatasetError);
  EXPECT_THROW(write_mlip_dataset(path, {}), MlipDatasetError);
  EXPECT_THROW(write_mlip_dataset(path, {frame(5, 3)}, {{"n_frames", "7"}}), MlipDatasetError);
  expect_equal(read_mlip_dataset(path).at(0), frame(5, 1));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1u);  // no temporary file left behind
}

TEST_F(MlipDatasetFileTest, ReadingChecksFormatAndConsistency) {
  const fs::path other = dir_ / "other.h5";
  {
    H5File f = H5File::create(other);
    f.set_attribute("/", "format", std::string_view("ionhop-neb"));
    f.close();
  }
  EXPECT_THROW(read_mlip_dataset(other), MlipDatasetError);

  const fs::path path = dir_ / "data.h5";
  write_mlip_dataset(path, {frame(5, 1), frame(6, 2)});
  {
    H5File f = H5File::open_read_write(path);
    f.remove("/frames/first_atom");
    f.write_dataset("/frames/first_atom", std::span<const std::int64_t>(std::vector<std::int64_t>{0, 4}), "1");
    f.close();
  }
  try {
    read_mlip_dataset(path);
    FAIL() << "expected MlipDatasetError";
  } catch (const MlipDatasetError& e) {
    EXPECT_NE(std::string(e.what()).find("first_atom"), std::string::npos);
  }
  write_mlip_dataset(path, {frame(5, 1)});
  {
    H5File f = H5File::open_read_write(path);
    f.set_attribute("/", "format_version", std::int64_t{99});
    f.close();
  }
  EXPECT_THROW(read_mlip_dataset(path), MlipDatasetError);
}

}  // namespace
