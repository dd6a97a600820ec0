// `ionhop mlip generate` end to end through run_cli: both files written with the same frames,
// labels equal to the reference recomputed, the same files whatever the thread count; a bad job
// exits 2 with file:line:column and writes nothing; the `mlip` dispatcher.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/MlipDatasetFile.hpp"
#include "inputs/PotentialFileReader.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using ionhop::testing::cli;
using ionhop::testing::CliResult;

namespace {

const fs::path kJobs = fs::path(IONHOP_SOURCE_DIR) / "inputs/jobs";

/// A small Li2O job (12 atoms, one frame or two of each kind) on the files of inputs/jobs.
std::string small_job(const std::string& replace_from = "", const std::string& replace_to = "") {
  std::string text = "[job]\nname = \"li2o_small\"\n\n[structure]\nfile = \"" + (kJobs / "Li2O.cif").string() +
                     "\"\n\n[potential]\nfile = \"" + (kJobs / "../potentials/pedone.toml").string() +
                     "\"\n\n[generate]\nseed = 5\n\n[strained]\nframes = 2\n\n[displaced]\nframes = 2\ndisplacement_A = 0.05\n\n"
                     "[vacancy]\nframes = 1\nspecies = [\"Li\"]\n\n[interstitial]\nframes = 1\nspecies = [\"Li\"]\n\n"
                     "[md]\ntemperatures_K = [600, 1200]\nframes_per_temperature = 2\nequilibration_steps = 20\n"
                     "steps_between_frames = 10\n\n[neb]\nmoving_atom = 10\nvacancy_site = 4\nimages = 3\n";
  if (!replace_from.empty()) {
    const std::size_t at = text.find(replace_from);
    EXPECT_NE(at, std::string::npos) << replace_from;
    text.replace(at, replace_from.size(), replace_to);
  }
  return text;
}

class MlipGenerateCommand : public ionhop::testing::ScratchDirTest {
 protected:
  MlipGenerateCommand() : ScratchDirTest("mlipgen", {"out"}) {}
};

TEST_F(MlipGenerateCommand, WritesTheSameFramesToBothFiles) {
  const fs::path job = write("gen.toml", small_job());
  const CliResult r = cli({"mlip", "generate", job.string(), "--outdir", (dir_ / "out").string(), "--threads", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(file_names("out"), (std::vector<std::string>{"li2o_small.h5", "li2o_small.xyz"}));
  EXPECT_NE(r.out.find("neb: converged"), std::string::npos) << r.out;

  const auto xyz = ionhop::lattice::read_extxyz((dir_ / "out/li2o_small.xyz").string());
  const auto h5 = ionhop::app::read_mlip_dataset(dir_ / "out/li2o_small.h5");
  ASSERT_EQ(xyz.size(), 2u + 2u + 1u + 1u + 4u + 5u);
  ASSERT_EQ(h5.size(), xyz.size());
  for (std::size_t k = 0; k < xyz.size(); ++k) {
    SCOPED_TRACE(k);
    EXPECT_EQ(xyz[k].structure.positions, h5[k].structure.positions);
    EXPECT_EQ(*xyz[k].energy_eV, *h5[k].energy_eV);
    EXPECT_EQ(*xyz[k].forces_eV_per_A, *h5[k].forces_eV_per_A);
    EXPECT_EQ(*xyz[k].stress_eV_per_A3, *h5[k].stress_eV_per_A3);
    EXPECT_EQ(xyz[k].config_type(), h5[k].config_type());
    EXPECT_EQ(xyz[k].info, h5[k].info);
  }
  EXPECT_EQ(h5.back().config_type(), "neb");
  EXPECT_EQ(ionhop::app::read_mlip_dataset_metadata(dir_ / "out/li2o_small.h5").at("reference_potential"), "pedone2006");

  // The labels are the reference's: recompute one MD frame from its stored structure.
  const auto file = ionhop::inputs::read_potential_file((kJobs / "../potentials/pedone.toml").string());
  const auto pedone = ionhop::neb::make_potential(file.potential);
  const auto& md = xyz[7];
  ASSERT_EQ(md.config_type(), "md");
  const auto again = pedone->compute(md.structure, {.forces = true, .virial = true});
  EXPECT_NEAR(*md.energy_eV, again.energy_eV, 1e-12 * std::abs(again.energy_eV));
  EXPECT_LT((*md.forces_eV_per_A - again.forces).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((*md.stress_eV_per_A3 + *again.virial_eV / md.structure.volume_A3()).cwiseAbs().maxCoeff(), 1e-15);

  // One thread: the same bytes of extended XYZ.
  fs::create_directories(dir_ / "one");
  ASSERT_EQ(cli({"mlip", "generate", job.string(), "--outdir", (dir_ / "one").string(), "--threads", "1"}).code, 0);
  EXPECT_EQ(read(dir_ / "one/li2o_small.xyz"), read(dir_ / "out/li2o_small.xyz"));
}

TEST_F(MlipGenerateCommand, OutputFormatsSelectTheFiles) {
  const fs::path job = write("gen.toml", small_job("[neb]\nmoving_atom = 10\nvacancy_site = 4\nimages = 3\n",
                                                   "[output]\nformats = [\"xyz\"]\n"));
  const CliResult r = cli({"mlip", "generate", job.string(), "--outdir", (dir_ / "out").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(file_names("out"), (std::vector<std::string>{"li2o_small.xyz"}));
}

TEST_F(MlipGenerateCommand, BadJobsExitTwoAndWriteNothing) {
  struct Case {
    std::string from, to, expected;
  };
  const std::vector<Case> cases{
      {"frames = 2\n\n[displaced]", "frame = 2\n\n[displaced]", "did you mean 'frames'"},     // unknown key
      {"vacancy_site = 4", "vacancy_site = 400", "atom 400 does not exist"},                  // index past the host
      {"vacancy_site = 4", "vacancy_site = 0", "two atoms of one species"},                   // O vs Li
      {"species = [\"Li\"]\n\n[md]", "species = [\"Xe\"]\n\n[md]", "species 'Xe'"},           // not in the potential
      {"[vacancy]\nframes = 1\nspecies = [\"Li\"]", "[vacancy]\nframes = 1\nspecies = [\"Na\"]", "too few"},
      {"seed = 5", "seed = -5", "seed"},
      {"[generate]", "[generate", "TOML"},                                                    // syntax
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.to);
    const fs::path job = write("bad.toml", small_job(c.from, c.to));
    const CliResult r = cli({"mlip", "generate", job.string(), "--outdir", (dir_ / "out").string()});
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(job.string() + ":"), std::string::npos) << r.err;  // file:line:column
    EXPECT_TRUE(file_names("out").empty());
  }
  EXPECT_EQ(cli({"mlip", "generate"}).code, 2);
  EXPECT_EQ(cli({"mlip", "generate", "x.toml", "--outdir", (dir_ / "missing").string()}).code, 2);
  EXPECT_EQ(cli({"mlip", "generate", (dir_ / "none.toml").string()}).code, 2);  // cannot open
}

TEST(MlipCommand, DispatchesSubcommands) {
  const CliResult help = cli({"mlip", "--help"});
  EXPECT_EQ(help.code, 0);
  for (const char* word : {"generate", "train", "test"}) EXPECT_NE(help.out.find(word), std::string::npos) << word;
  EXPECT_EQ(cli({"mlip"}).code, 2);
  EXPECT_EQ(cli({"mlip", "fit"}).code, 2);
  // train and test are wired: a missing job file and a missing argument are bad input.
  EXPECT_EQ(cli({"mlip", "train", "x.toml"}).code, 2);
  EXPECT_EQ(cli({"mlip", "test"}).code, 2);
  const CliResult generate_help = cli({"mlip", "generate", "--help"});
  EXPECT_EQ(generate_help.code, 0);
  EXPECT_NE(generate_help.out.find("docs/mlip-data.md"), std::string::npos);
  EXPECT_NE(cli({"--help"}).out.find("mlip generate | train | test"), std::string::npos);
}

}  // namespace
