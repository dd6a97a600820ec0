// `type = "mlip"` wherever a TOML file names a potential: a parameter file, the inline
// [potential] of a relax/NEB job, of an `mlip generate` job and of an `mlip learn` job. The
// `model` is resolved against the folder of the file that names it and must exist; a missing
// `model`, another key, or a file that does not exist is reported at its file:line:column. Also:
// a learn job with a starting [model] still needs [data] (docs/mlip.md), and says why.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "inputs/MlipGenerateReader.hpp"
#include "inputs/MlipJobReader.hpp"
#include "inputs/PotentialFileReader.hpp"
#include "inputs/RelaxNebReader.hpp"
#include "inputs/StudyError.hpp"
#include "StudyTestSupport.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using namespace ionhop::inputs;
using ionhop::inputs::testing::position_of;
using ionhop::inputs::testing::replaced;

namespace {

/// A scratch folder per test: `models/m.h5` (its bytes do not matter here: the readers only
/// check that it exists; app/ reads it) and the files each test writes.
class MlipPotentialReader : public ionhop::testing::ScratchDirTest {
 protected:
  MlipPotentialReader() : ScratchDirTest("mlip_reader", {"models", "jobs", "potentials"}) {}
  void SetUp() override {
    ScratchDirTest::SetUp();
    write("models/m.h5", "not read by inputs/");
  }
};

/// Every diagnostic of `read()`, formatted as the command line prints them.
template <typename Read>
std::vector<std::string> errors_of(Read read) {
  try {
    read();
  } catch (const StudyError& e) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : e.diagnostics()) lines.push_back(format_diagnostic(d));
    return lines;
  }
  ADD_FAILURE() << "no StudyError";
  return {};
}

/// "<file>:<line>:<column>: error: <key_path>: <message>" at `needle` of `text`.
std::string error_at(const std::string& file, const std::string& text, std::string_view needle, const std::string& key_path,
                     const std::string& message) {
  const auto at = position_of(text, needle);
  return file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": error: " + key_path + ": " + message;
}

/// "'<path>'" (appended, not "'" + string: GCC 12 warns with -Wrestrict on that).
std::string quoted(const fs::path& path) {
  std::string text(1, '\'');
  text += path.string();
  text += '\'';
  return text;
}

const std::string kRelaxJob = "[job]\nname = \"mlip_relax\"\n\n[structure]\nfile = \"cell.xyz\"\n\n[potential]\n"
                              "type = \"mlip\"\nmodel = \"../models/m.h5\"\n\n[relax]\nfmax_eV_A = 0.01\n";

}  // namespace

TEST_F(MlipPotentialReader, ParameterFileModelIsTakenFromTheFilesFolder) {
  const fs::path file = write("potentials/mlip.toml", "name = \"li2o_mlip\"\n[potential]\ntype = \"mlip\"\nmodel = \"../models/m.h5\"\n");
  const PotentialFile p = read_potential_file(file.string());
  EXPECT_EQ(p.name, "li2o_mlip");
  EXPECT_EQ(p.potential.type, "mlip");
  EXPECT_EQ(p.potential.origin, file.string() + ":2");
  EXPECT_TRUE(p.potential.settings.empty());
  ASSERT_EQ(p.potential.text_settings.size(), 1u);
  const fs::path model = p.potential.text_settings.at("model");
  EXPECT_EQ(model, dir_ / "potentials" / "../models/m.h5");  // the file's folder, not the working directory
  EXPECT_TRUE(fs::equivalent(model, dir_ / "models/m.h5"));

  // An absolute name is kept; an MLIP may be a term of a sum.
  const std::string absolute = (dir_ / "models/m.h5").string();
  const PotentialFile sum = parse_potential_file("[potential]\ntype = \"sum\"\n[[potential.terms]]\ntype = \"mlip\"\nmodel = \"" +
                                                     absolute + "\"\n[[potential.terms]]\ntype = \"coulomb_dsf\"\n"
                                                                "charges_e = { Li = 0.1, O = -0.2 }\n",
                                                 "sum.toml", "/elsewhere");
  ASSERT_EQ(sum.potential.terms.size(), 2u);
  EXPECT_EQ(sum.potential.terms[0].type, "mlip");
  EXPECT_EQ(sum.potential.terms[0].text_settings.at("model"), absolute);
  EXPECT_EQ(sum.potential.terms[0].origin, "sum.toml:3");
}

TEST_F(MlipPotentialReader, ParameterFileProblemsAreReportedAtTheirPlace) {
  auto errors = [&](const std::string& text) {
    return errors_of([&] { (void)parse_potential_file(text, "pot.toml", dir_ / "potentials"); });
  };
  const std::string missing = "[potential]\ntype = \"mlip\"\n";
  EXPECT_EQ(errors(missing), (std::vector<std::string>{"pot.toml:1:1: error: potential.model: missing required key 'model'"}));

  // A misspelt key: the nearest known one, and no "missing" for the key it was taken for.
  const std::string typo = "[potential]\ntype = \"mlip\"\nmodle = \"../models/m.h5\"\n";
  EXPECT_EQ(errors(typo),
            (std::vector<std::string>{error_at("pot.toml", typo, "modle", "potential.modle", "unknown key 'modle'; did you mean 'model'?")}));

  // Keys of other types are unknown for mlip (the model file holds its own cutoff and charges).
  const std::string other = "[potential]\ntype = \"mlip\"\nmodel = \"../models/m.h5\"\ncutoff_A = 5.0\ncharges_e = { Li = 1.0 }\n";
  EXPECT_EQ(errors(other),
            (std::vector<std::string>{
                error_at("pot.toml", other, "cutoff_A", "potential.cutoff_A",
                         "unknown key 'cutoff_A' in a \"mlip\" potential; known: 'type', 'model'"),
                error_at("pot.toml", other, "charges_e", "potential.charges_e",
                         "unknown key 'charges_e' in a \"mlip\" potential; known: 'type', 'model'")}));

  // A model file that does not exist, a directory, a name that is not a string.
  const std::string nowhere = "[potential]\ntype = \"mlip\"\nmodel = \"../models/nowhere.h5\"\n";
  EXPECT_EQ(errors(nowhere), (std::vector<std::string>{error_at(
                                 "pot.toml", nowhere, "model = |\"", "potential.model",
                                 "the model file '" + (dir_ / "potentials/../models/nowhere.h5").string() +
                                     "' does not exist (relative names are taken from the folder of this file)")}));
  const std::string folder = "[potential]\ntype = \"mlip\"\nmodel = \"../models\"\n";
  EXPECT_EQ(errors(folder), (std::vector<std::string>{error_at("pot.toml", folder, "model = |\"", "potential.model",
                                                               quoted(dir_ / "potentials/../models") +
                                                                   " is a directory, not a model file")}));
  const std::string number = "[potential]\ntype = \"mlip\"\nmodel = 3\n";
  EXPECT_EQ(errors(number), (std::vector<std::string>{error_at("pot.toml", number, "model = |3", "potential.model",
                                                               "expected a string, got an integer (3)")}));
}

TEST_F(MlipPotentialReader, RelaxJobInlineModelIsTakenFromTheJobsFolder) {
  const fs::path job_file = write("jobs/relax.toml", kRelaxJob);
  const AtomisticJob job = read_atomistic_job_file(job_file, AtomisticJobKind::relax);
  EXPECT_TRUE(job.potential.file.empty());
  EXPECT_EQ(job.potential.spec.type, "mlip");
  EXPECT_EQ(fs::path(job.potential.spec.text_settings.at("model")), dir_ / "jobs" / "../models/m.h5");
  EXPECT_EQ(job.potential.spec.origin, job_file.string() + ":" + std::to_string(position_of(kRelaxJob, "[potential]").line));
  EXPECT_EQ(job.locations.find("potential.model").line, position_of(kRelaxJob, "model =").line);

  // Through a parameter file in another folder: relative to that file.
  write("potentials/mlip.toml", "[potential]\ntype = \"mlip\"\nmodel = \"../models/m.h5\"\n");
  const std::string via_file = replaced(kRelaxJob, "type = \"mlip\"\nmodel = \"../models/m.h5\"", "file = \"../potentials/mlip.toml\"");
  const AtomisticJob job2 = read_atomistic_job_file(write("jobs/relax2.toml", via_file), AtomisticJobKind::relax);
  EXPECT_EQ(fs::path(job2.potential.spec.text_settings.at("model")), dir_ / "jobs/../potentials" / "../models/m.h5");
}

// An inline [potential] is read from a re-serialised copy: its diagnostics are placed at the
// recorded value of the key (an unknown key too, as for the other inline potentials).
TEST_F(MlipPotentialReader, RelaxAndNebJobProblemsPointIntoTheJobFile) {
  const fs::path base = dir_ / "jobs";
  auto errors = [&](const std::string& text, AtomisticJobKind kind) {
    return errors_of([&] { (void)read_atomistic_job_string(text, "job.toml", kind, base); });
  };
  const std::string nowhere = replaced(kRelaxJob, "../models/m.h5", "m.h5");
  EXPECT_EQ(errors(nowhere, AtomisticJobKind::relax),
            (std::vector<std::string>{error_at("job.toml", nowhere, "model = |\"m.h5\"", "potential.model",
                                               "the model file '" + (base / "m.h5").string() +
                                                   "' does not exist (relative names are taken from the folder of this file)")}));
  const std::string missing = replaced(kRelaxJob, "model = \"../models/m.h5\"\n", "");
  EXPECT_EQ(errors(missing, AtomisticJobKind::relax),
            (std::vector<std::string>{error_at("job.toml", missing, "[potential]", "potential.model", "missing required key 'model'")}));
  const std::string typo = replaced(kRelaxJob, "model =", "mdl =");
  EXPECT_EQ(errors(typo, AtomisticJobKind::relax),
            (std::vector<std::string>{error_at("job.toml", typo, "mdl = |\"", "potential.mdl", "unknown key 'mdl'; did you mean 'model'?")}));
  const std::string neb = replaced(kRelaxJob, "model = \"../models/m.h5\"", "model = \"../models/m.h5\"\nimages = 5") +
                          "\n[hop]\nmechanism = \"vacancy\"\nmoving_atom = 0\nvacancy_site = 1\n";
  EXPECT_EQ(errors(neb, AtomisticJobKind::neb),
            (std::vector<std::string>{error_at("job.toml", neb, "images = |5", "potential.images",
                                               "unknown key 'images' in a \"mlip\" potential; known: 'type', 'model'")}));
}

TEST_F(MlipPotentialReader, GenerateAndLearnJobsTakeAnMlipPotential) {
  // generate: the MLIP labels the frames (a cheap stand-in for an expensive reference).
  const std::string generate = replaced(kRelaxJob, "[relax]\nfmax_eV_A = 0.01\n", "[strained]\nframes = 2\n");
  const MlipGenerateJob g = read_mlip_generate_job_file(write("jobs/generate.toml", generate));
  EXPECT_EQ(g.potential.spec.type, "mlip");
  EXPECT_EQ(fs::path(g.potential.spec.text_settings.at("model")), dir_ / "jobs" / "../models/m.h5");
  const std::string bad_generate = replaced(generate, "../models/m.h5", "../models/gone.h5");
  const fs::path bad_generate_file = write("jobs/bad_generate.toml", bad_generate);
  EXPECT_EQ(errors_of([&] { (void)read_mlip_generate_job_file(bad_generate_file); }),
            (std::vector<std::string>{error_at(bad_generate_file.string(), bad_generate, "model = |\"", "potential.model",
                                               "the model file '" + (dir_ / "jobs/../models/gone.h5").string() +
                                                   "' does not exist (relative names are taken from the folder of this file)")}));

  // learn: the reference potential of the hop sections is read by the same reader.
  const std::string learn = replaced(kRelaxJob, "[relax]\nfmax_eV_A = 0.01\n", "[hop]\nmechanism = \"vacancy\"\nmoving_atom = 0\n"
                                                                                 "vacancy_site = 1\n\n[data]\nfiles = [\"d.h5\"]\n");
  const MlipLearnJob l = read_mlip_learn_job_file(write("jobs/learn.toml", learn));
  EXPECT_EQ(fs::path(l.hop_job.potential.spec.text_settings.at("model")), dir_ / "jobs" / "../models/m.h5");
  const std::string bad_learn = replaced(learn, "model = \"../models/m.h5\"", "modl = \"../models/m.h5\"");
  const fs::path bad_learn_file = write("jobs/bad_learn.toml", bad_learn);
  EXPECT_EQ(errors_of([&] { (void)read_mlip_learn_job_file(bad_learn_file); }),
            (std::vector<std::string>{error_at(bad_learn_file.string(), bad_learn, "modl = |\"", "potential.modl",
                                               "unknown key 'modl'; did you mean 'model'?")}));
}

TEST_F(MlipPotentialReader, LearnJobWithAStartingModelStillNeedsData) {
  const std::string learn = replaced(kRelaxJob, "[relax]\nfmax_eV_A = 0.01\n",
                                     "[hop]\nmechanism = \"vacancy\"\nmoving_atom = 0\nvacancy_site = 1\n\n[model]\nfile = \"../models/m.h5\"\n");
  const std::vector<std::string> d = errors_of([&] { (void)read_mlip_learn_job_string(learn, "learn.toml", dir_ / "jobs"); });
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].rfind("learn.toml:1:1: error: data: missing required section [data]: a learn job needs the training frames even "
                       "with a starting [model]",
                       0),
            0u)
      << d[0];
  // Without [model] the ordinary message.
  const std::string no_model = replaced(learn, "\n[model]\nfile = \"../models/m.h5\"\n", "\n");
  EXPECT_EQ(errors_of([&] { (void)read_mlip_learn_job_string(no_model, "learn.toml", dir_ / "jobs"); }),
            (std::vector<std::string>{"learn.toml:1:1: error: data: missing required section [data]"}));
}
