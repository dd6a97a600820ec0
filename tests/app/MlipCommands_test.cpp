// `ionhop mlip train | test | learn` end to end through run_cli on a small Li₂O data set made by
// `ionhop mlip generate`: the model file (deterministic: two runs give the same model), the
// parity file's layout (docs/mlip.md), the active-learning outputs; a bad job exits 2 with
// file:line:column and writes nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/H5File.hpp"
#include "app/MlipDatasetFile.hpp"
#include "app/MlipModelFile.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using ionhop::testing::cli;
using ionhop::testing::CliResult;

namespace {

const fs::path kJobs = fs::path(IONHOP_SOURCE_DIR) / "inputs/jobs";
const std::string kPedone = (kJobs / "../potentials/pedone.toml").string();

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

const std::string kTrain = "[job]\nname = \"small_mlip\"\n\n[data]\nfiles = [\"li2o_small.h5\"]\n\n[split]\nheld_out_fraction = 0.5\n"
                           "seed = 2\n\n[basis]\nelements = [\"Li\", \"O\"]\ncutoff_A = 4.5\nradial_size_2 = 6\nradial_size_3 = 2\n"
                           "lmax = 1\n\n[baseline]\ntype = \"coulomb_ewald\"\ncharges_from = \"" +
                           kPedone + "\"\n\n[fit]\nlambdas = [1e-10, 1e-8]\nfolds = 3\n\n[calibration]\nforces = false\n";

const std::string kTest = "[job]\nname = \"small_parity\"\n\n[model]\nfile = \"small_mlip.h5\"\n\n[data]\nfiles = [\"li2o_small.xyz\"]\n";

const std::string kLearn = "[job]\nname = \"small_learned\"\n\n[structure]\nfile = \"" + (kJobs / "Li2O.cif").string() +
                           "\"\n\n[potential]\nfile = \"" + kPedone +
                           "\"\n\n[relax]\nfmax_eV_A = 0.01\n\n[neb]\nimages = 3\nfmax_eV_A = 0.05\n\n[hop]\nmechanism = \"vacancy\"\n"
                           "moving_atom = 10\nvacancy_site = 4\n\n[data]\nfiles = [\"li2o_small.h5\"]\nexclude_config_types = [\"neb\"]\n\n"
                           "[basis]\nelements = [\"Li\", \"O\"]\ncutoff_A = 4.5\nradial_size_2 = 6\nradial_size_3 = 2\nlmax = 1\n\n"
                           "[baseline]\ntype = \"coulomb_ewald\"\ncharges_from = \"" +
                           kPedone + "\"\n\n[fit]\nlambdas = [1e-10, 1e-8]\nfolds = 3\n\n[calibration]\nforces = false\n\n"
                           "[learn]\nmax_refits = 1\nreference_barrier = true\n";

class MlipCommands : public ionhop::testing::ScratchDirTest {
 protected:
  MlipCommands() : ScratchDirTest("mlipcmd", {"out"}) {}
  void SetUp() override {
    ScratchDirTest::SetUp();
    // 12-atom Li₂O frames of every kind, written as li2o_small.{xyz,h5} next to the jobs.
    write("gen.toml", "[job]\nname = \"li2o_small\"\n\n[structure]\nfile = \"" + (kJobs / "Li2O.cif").string() +
                          "\"\n\n[potential]\nfile = \"" + kPedone +
                          "\"\n\n[generate]\nseed = 5\n\n[strained]\nframes = 6\n\n[displaced]\nframes = 6\ndisplacement_A = 0.05\n\n"
                          "[vacancy]\nframes = 3\nspecies = [\"Li\"]\n\n[md]\ntemperatures_K = [600]\nframes_per_temperature = 3\n"
                          "equilibration_steps = 20\nsteps_between_frames = 10\n\n[neb]\nmoving_atom = 10\nvacancy_site = 4\nimages = 3\n");
    const CliResult g = cli({"mlip", "generate", (dir_ / "gen.toml").string(), "--outdir", dir_.string()});
    ASSERT_EQ(g.code, 0) << g.err;
  }
};

TEST_F(MlipCommands, TrainTestAndLearnWriteTheirFiles) {
  const fs::path train = write("train.toml", kTrain);
  const CliResult t = cli({"mlip", "train", train.string(), "--outdir", dir_.string(), "--threads", "2"});
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("<- chosen"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("held-out errors"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("energy noise grade slope alpha"), std::string::npos) << t.out;
  const ionhop::neb::MlipModel model = ionhop::app::read_mlip_model(dir_ / "small_mlip.h5");
  const std::size_t frames = ionhop::app::read_mlip_dataset(dir_ / "li2o_small.h5").size();  // 6 + 6 + 3 + 3 + 5 = 23
  EXPECT_EQ(model.training_frames, frames - 12);  // round(0.5 × 23) = 12 held out (≥ 10: κ is fitted)
  EXPECT_TRUE(model.baseline.has_value());
  EXPECT_NE(model.calibration.energy, 1.0);  // calibrated on the held-out frames
  // Deterministic: another run (one thread) gives the same model.
  const CliResult again = cli({"mlip", "train", train.string(), "--outdir", (dir_ / "out").string(), "--threads", "1"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(ionhop::app::read_mlip_model(dir_ / "out/small_mlip.h5"), model);

  const CliResult p = cli({"mlip", "test", write("test.toml", kTest).string(), "--outdir", dir_.string()});
  ASSERT_EQ(p.code, 0) << p.err;
  for (const char* word : {"energy per atom", "force on Li", "force on O", "config_type md", "within 2 sigma"})
    EXPECT_NE(p.out.find(word), std::string::npos) << word << "\n" << p.out;
  ionhop::app::H5File h5 = ionhop::app::H5File::open_read_only(dir_ / "small_parity.h5");
  EXPECT_EQ(h5.shape("/energy/reference_eV_per_atom"), std::vector<std::size_t>{frames});
  EXPECT_EQ(h5.shape("/energy/sigma_eV_per_atom"), std::vector<std::size_t>{frames});
  const std::vector<std::size_t> force_shape = h5.shape("/force/reference_eV_A");
  ASSERT_EQ(force_shape.size(), 1u);
  EXPECT_EQ(force_shape[0] % 3, 0u);
  for (const char* path : {"/force/predicted_eV_A", "/force/sigma_eV_A", "/force/frame", "/force/atom", "/force/component", "/force/species"})
    EXPECT_EQ(h5.shape(path), force_shape) << path;
  EXPECT_TRUE(h5.is_dataset("/errors/force_by_element/Li/rmse"));
  EXPECT_TRUE(h5.is_dataset("/errors/energy_by_config_type/strained/mae"));
  h5.close();

  const CliResult l = cli({"mlip", "learn", write("learn.toml", kLearn).string(), "--outdir", dir_.string()});
  ASSERT_EQ(l.code, 0) << l.err;
  EXPECT_NE(l.out.find("reference barrier"), std::string::npos) << l.out;
  const ionhop::neb::MlipModel learned = ionhop::app::read_mlip_model(dir_ / "small_learned.h5");
  const auto augmented = ionhop::app::read_mlip_dataset(dir_ / "small_learned_data.h5");
  std::size_t labelled = 0;
  for (const auto& f : augmented) labelled += f.config_type() == "active_learning";
  EXPECT_EQ(augmented.size(), frames - 5 + labelled);  // the input frames without the 5 NEB images, then the labels
  EXPECT_GT(labelled, 0u);
  EXPECT_EQ(learned.training_frames, frames - 5 - 4 + labelled);  // 18 frames, round(0.2 × 18) = 4 held out, plus the labels
}

TEST_F(MlipCommands, BadJobsExitTwoAndWriteNothing) {
  const std::string out = (dir_ / "out").string();
  struct Case {
    std::string name, text, expected;
    const char* command;
  };
  const std::vector<Case> cases{
      {"unknown_key", replaced(kTrain, "lmax = 1", "lmaxx = 1"), "did you mean 'lmax'", "train"},
      {"species", replaced(kTrain, "elements = [\"Li\", \"O\"]", "elements = [\"Li\"]"), "'O'", "train"},
      {"missing_data", replaced(kTrain, "li2o_small.h5", "nothing.h5"), "cannot read the data set", "train"},
      {"no_charge", replaced(kTrain, "charges_from = \"" + kPedone + "\"", "charges_e = { Li = 0.6 }"), "no charge for species 'O'",
       "train"},
      {"missing_model", replaced(kTest, "small_mlip.h5", "none.h5"), "cannot use the model file", "test"},
      {"hop_index", replaced(kLearn, "moving_atom = 10", "moving_atom = 99"), "does not exist", "learn"},
  };
  for (const Case& c : cases) {
    const fs::path job = write(c.name + ".toml", c.text);
    const CliResult r = cli({"mlip", c.command, job.string(), "--outdir", out});
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(job.string() + ":"), std::string::npos) << r.err;  // file:line:column
    EXPECT_TRUE(file_names("out").empty()) << c.name;
  }
  EXPECT_EQ(cli({"mlip", "train"}).code, 2);
  EXPECT_EQ(cli({"mlip", "test", "x.toml", "--outdir", (dir_ / "missing").string()}).code, 2);
  EXPECT_EQ(cli({"mlip", "learn", (dir_ / "none.toml").string()}).code, 2);
  EXPECT_EQ(cli({"mlip", "learn", "--help"}).code, 0);
}

}  // namespace
