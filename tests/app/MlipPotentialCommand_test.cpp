// `type = "mlip"` from the command line: a model trained here and written as a model file is
// named in a relax job (inline, and through a potential parameter file in another folder);
// `ionhop relax` gives the energy and structure of the same relaxation on the model in memory.
// A model file that does not exist, is not HDF5, or is another HDF5 file, and a species the
// model does not know, are bad input: exit 2, the key's file:line:column, nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/H5File.hpp"
#include "app/MlipModelFile.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureIO.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/Relax.hpp"
#include "tests/inputs/StudyTestSupport.hpp"
#include "tests/support/Antifluorite.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"
#include "tests/support/SmallLi2OMlip.hpp"

namespace fs = std::filesystem;
using ionhop::testing::cli;
using ionhop::testing::CliResult;
using ionhop::inputs::testing::position_of;

namespace {

/// A Li₂O cell a little off Pedone's lattice constant with two atoms displaced: a relaxation
/// with some steps to do, well inside the range the small model was trained on.
ionhop::lattice::Structure start_cell() {
  ionhop::lattice::Structure s = ionhop::testing::antifluorite_cell(4.62);
  s.positions(0, 5) += 0.06;
  s.positions(2, 1) -= 0.04;
  return s;
}

const std::string kJob = "[job]\nname = \"mlip_relax\"\n\n[structure]\nfile = \"start.xyz\"\n\n[potential]\ntype = \"mlip\"\n"
                         "model = \"../models/li2o.h5\"\n\n[relax]\nfmax_eV_A = 1e-4\n";

class MlipPotentialCommand : public ionhop::testing::ScratchDirTest {
 protected:
  MlipPotentialCommand() : ScratchDirTest("mlippot", {"jobs", "models", "potentials", "out"}) {}
  void SetUp() override {
    ScratchDirTest::SetUp();
    ionhop::app::write_mlip_model(dir_ / "models/li2o.h5", ionhop::testing::small_li2o_mlip());
    ionhop::lattice::write_structure((dir_ / "jobs/start.xyz").string(), start_cell());
  }
  /// Runs `job_text` (written as jobs/<file>) with `ionhop relax`; returns the result.
  CliResult relax(const std::string& file, const std::string& job_text) {
    const fs::path job = write("jobs/" + file, job_text);
    return cli({"relax", job.string(), "-o", (dir_ / "out/relaxed.xyz").string()});
  }
};

}  // namespace

TEST_F(MlipPotentialCommand, RelaxOnAModelFileGivesTheInMemoryModelsResult) {
  const ionhop::neb::LinearAcePotential in_memory(ionhop::testing::small_li2o_mlip());
  ionhop::neb::RelaxParams p;
  p.fmax_eV_A = 1e-4;
  const ionhop::neb::RelaxResult expected = ionhop::neb::relax(start_cell(), in_memory, p);
  ASSERT_TRUE(expected.converged);
  ASSERT_GT(expected.steps, 3);  // the relaxation had work to do

  // Inline in the job file (model relative to the job file), and through a parameter file in
  // another folder (model relative to that file).
  write("potentials/li2o_mlip.toml", "name = \"li2o_mlip\"\n[potential]\ntype = \"mlip\"\nmodel = \"../models/li2o.h5\"\n");
  const std::string via_file = ionhop::inputs::testing::replaced(kJob, "type = \"mlip\"\nmodel = \"../models/li2o.h5\"",
                                                                 "file = \"../potentials/li2o_mlip.toml\"");
  for (const auto& [file, text] : {std::pair{std::string("inline.toml"), kJob}, std::pair{std::string("via_file.toml"), via_file}}) {
    SCOPED_TRACE(file);
    fs::remove(dir_ / "out/relaxed.xyz");
    const CliResult r = relax(file, text);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find(file == "inline.toml" ? "potential mlip (inline)" : "potential li2o_mlip"), std::string::npos) << r.out;
    const auto frames = ionhop::lattice::read_extxyz((dir_ / "out/relaxed.xyz").string());
    ASSERT_EQ(frames.size(), 1u);
    // The same deterministic optimizer on the same model (the file round-trips it exactly):
    // the same numbers, and the file keeps 17 digits.
    EXPECT_EQ(*frames[0].energy_eV, expected.energy_eV);
    EXPECT_EQ(frames[0].info.at("force_calls"), std::to_string(expected.force_calls));
    EXPECT_EQ((frames[0].structure.positions - expected.structure.positions).cwiseAbs().maxCoeff(), 0.0);
    // …and the written energy is the in-memory model's energy of the written structure.
    EXPECT_EQ(*frames[0].energy_eV, in_memory.compute(frames[0].structure).energy_eV);
  }
}

TEST_F(MlipPotentialCommand, BadModelFilesExitWithTwoAtTheModelKeyAndWriteNothing) {
  const std::string job_file = (dir_ / "jobs/bad.toml").string();
  auto expect_bad = [&](const std::string& text, std::string_view needle, const std::string& words) {
    SCOPED_TRACE(words);
    const CliResult r = relax("bad.toml", text);
    EXPECT_EQ(r.code, 2) << r.err;
    const auto at = position_of(text, needle);
    const std::string where = job_file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": error: potential.model: ";
    EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_TRUE(file_names("out").empty());
  };
  using ionhop::inputs::testing::replaced;
  // Does not exist: the reader, at the value.
  expect_bad(replaced(kJob, "li2o.h5", "gone.h5"), "model = |\"", "does not exist");
  // Exists but is not HDF5; is HDF5 but another ionhop file: where the potential is built.
  write("models/text.h5", "this is not an HDF5 file\n");
  expect_bad(replaced(kJob, "li2o.h5", "text.h5"), "model = |\"", "text.h5");
  {
    ionhop::app::H5File f = ionhop::app::H5File::create(dir_ / "models/results.h5");
    f.set_attribute("/", "format", std::string_view("ionhop-results"));
    f.close();
  }
  expect_bad(replaced(kJob, "li2o.h5", "results.h5"), "model = |\"", "not an ionhop MLIP model");
  // A species the model does not know.
  ionhop::lattice::Structure na = start_cell();
  na.species[6] = "Na";
  ionhop::lattice::write_structure((dir_ / "jobs/na.xyz").string(), na);
  expect_bad(replaced(kJob, "start.xyz", "na.xyz"), "model = |\"", "Na");
}
