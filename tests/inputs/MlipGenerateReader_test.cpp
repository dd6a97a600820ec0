// The `ionhop mlip generate` job reader: typed values and defaults, the shared [job],
// [structure], [potential], [relax] sections read by the relax/NEB reader with diagnostics at
// their place in this file, every problem reported at once with file:line:column.
#include "inputs/MlipGenerateReader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "inputs/MlipGenerateSchema.hpp"
#include "inputs/StudyError.hpp"
#include "StudyTestSupport.hpp"

namespace fs = std::filesystem;
using namespace ionhop::inputs;
using ionhop::inputs::testing::position_of;
using ionhop::inputs::testing::replaced;

namespace {

constexpr const char* kJob = R"([job]
name = "li2o_data"
description = "test"

[structure]
file = "Li2O.cif"
supercell = [2, 1, 1]

[potential]
type = "lennard_jones"
cutoff_A = 4.8
pairs = [{ species = ["Li", "O"], epsilon_eV = 0.4, sigma_A = 2.3 }]

[relax]
cell = "isotropic"

[generate]
seed = 17

[strained]
frames = 4
max_strain = 0.02

[displaced]
frames = 3

[vacancy]
frames = 2
species = ["Li", "Li", "O"]

[interstitial]
frames = 1
species = ["Li"]
weight = 0.5

[md]
temperatures_K = [300, 1500.0]
frames_per_temperature = 5
steps_between_frames = 25

[neb]
moving_atom = 10
vacancy_site = 4
images = 3

[output]
formats = ["h5"]
)";

MlipGenerateJob read(const std::string& text) { return read_mlip_generate_job_string(text, "gen.toml", "/jobs"); }

std::vector<Diagnostic> errors_of(const std::string& text) {
  try {
    read(text);
  } catch (const StudyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "no StudyError for:\n" << text;
  return {};
}

TEST(MlipGenerateReader, ReadsEveryValueAndLeavesDefaults) {
  const MlipGenerateJob job = read(kJob);
  EXPECT_EQ(job.name, "li2o_data");
  EXPECT_EQ(job.structure.file, fs::path("/jobs/Li2O.cif"));
  EXPECT_EQ(job.structure.supercell, (std::array<int, 3>{2, 1, 1}));
  EXPECT_EQ(job.potential.spec.type, "lennard_jones");
  EXPECT_EQ(job.potential.spec.settings.at("cutoff_A"), 4.8);
  EXPECT_EQ(job.potential.spec.origin, "gen.toml:" + std::to_string(position_of(kJob, "[potential]").line));
  EXPECT_EQ(job.relax.cell, JobCellRelax::isotropic);
  EXPECT_EQ(job.seed, 17u);
  EXPECT_EQ(job.strained.frames, 4);
  EXPECT_EQ(job.strained.max_strain, 0.02);
  EXPECT_EQ(job.strained.displacement_A, 0.02);  // default
  EXPECT_EQ(job.displaced.displacement_A, 0.1);  // default
  EXPECT_EQ(job.vacancy.species, (std::vector<std::string>{"Li", "Li", "O"}));
  EXPECT_EQ(job.interstitial.weight, 0.5);
  EXPECT_EQ(job.md.temperatures_K, (std::vector<double>{300.0, 1500.0}));
  EXPECT_EQ(job.md.frames_per_temperature, 5);
  EXPECT_EQ(job.md.steps_between_frames, 25);
  EXPECT_EQ(job.md.equilibration_steps, 200);
  ASSERT_TRUE(job.neb.has_value());
  EXPECT_EQ(job.neb->moving_atom, 10u);
  EXPECT_EQ(job.neb->images, 3);
  EXPECT_FALSE(job.neb->fmax_eV_A.has_value());
  EXPECT_FALSE(job.output.xyz);
  EXPECT_TRUE(job.output.h5);
  EXPECT_EQ(job.locations.find("neb.vacancy_site").line, position_of(kJob, "vacancy_site = 4").line);
}

TEST(MlipGenerateReader, ReadsThePotentialFileRelativeToTheJob) {
  const std::string text = replaced(kJob, R"(type = "lennard_jones"
cutoff_A = 4.8
pairs = [{ species = ["Li", "O"], epsilon_eV = 0.4, sigma_A = 2.3 }])",
                                    R"(file = "../potentials/pedone.toml")");
  const MlipGenerateJob job =
      read_mlip_generate_job_string(text, "gen.toml", fs::path(IONHOP_SOURCE_DIR) / "inputs/jobs");
  EXPECT_EQ(job.potential.name, "pedone2006");
  EXPECT_EQ(job.potential.spec.type, "sum");
  EXPECT_EQ(job.potential.spec.terms.size(), 3u);
}

TEST(MlipGenerateReader, ReportsEveryProblemAtItsPlace) {
  std::string text = kJob;
  text = replaced(text, "epsilon_eV = 0.4", "epsilon_eV = \"0.4\"");              // shared reader: [potential]
  text = replaced(text, "cell = \"isotropic\"", "cell = \"isotropc\"");             // shared reader: [relax]
  text = replaced(text, "max_strain = 0.02", "max_strain = 0.7");                   // out of range
  text = replaced(text, "frames_per_temperature = 5", "frames_per_temperatur = 5");  // unknown key
  text = replaced(text, "species = [\"Li\"]\nweight", "weight");                   // missing species
  text = replaced(text, "formats = [\"h5\"]", "formats = [\"h5\", \"xyzz\"]");      // unknown format
  text = replaced(text, "[generate]", "[generat]");                                 // unknown section
  const std::vector<Diagnostic> d = errors_of(text);
  auto has = [&](std::string_view snippet, std::string_view words) {
    const auto at = position_of(text, snippet);
    for (const Diagnostic& x : d)
      if (x.file == "gen.toml" && x.line == at.line && x.column == at.column && x.message.find(words) != std::string::npos)
        return true;
    std::string all;
    for (const Diagnostic& x : d) all += format_diagnostic(x) + "\n";
    ADD_FAILURE() << "no diagnostic '" << words << "' at " << snippet << " (" << at.line << ":" << at.column << ")\n" << all;
    return false;
  };
  EXPECT_TRUE(has("epsilon_eV = |\"0.4\"", "expected a number"));
  EXPECT_TRUE(has("cell = |\"isotropc\"", "isotropic"));
  EXPECT_TRUE(has("max_strain = |0.7", "[0, 0.5]"));
  EXPECT_TRUE(has("|frames_per_temperatur = 5", "did you mean 'frames_per_temperature'"));
  EXPECT_TRUE(has("[|generat]", "did you mean 'generate'"));
  EXPECT_TRUE(has("|\"xyzz\"", "did you mean 'xyz'"));
  EXPECT_TRUE(has("|[interstitial]", "missing required key 'species'"));  // at the table's header
  // One typo, one diagnostic: the suggested key is not also reported missing.
  for (const Diagnostic& x : d) EXPECT_EQ(x.message.find("missing required key 'frames_per_temperature'"), std::string::npos);
  // Diagnostics come sorted by position.
  for (std::size_t i = 1; i < d.size(); ++i) EXPECT_LE(d[i - 1].line, d[i].line);
}

TEST(MlipGenerateReader, RejectsAJobWithoutFramesAndConflictingIndices) {
  const std::string none = R"([job]
name = "x"
[structure]
file = "a.cif"
[potential]
type = "lennard_jones"
cutoff_A = 4.8
pairs = [{ species = ["Li", "Li"], epsilon_eV = 0.4, sigma_A = 2.3 }]
[strained]
frames = 0
)";
  const auto d = errors_of(none);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("generates no frames"), std::string::npos);
  const auto same = errors_of(replaced(kJob, "vacancy_site = 4", "vacancy_site = 10"));
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].key_path, "neb.vacancy_site");
  const auto hop = errors_of(std::string(kJob) + "[hop]\nmechanism = \"vacancy\"\n");
  ASSERT_EQ(hop.size(), 1u);
  EXPECT_NE(hop[0].message.find("[neb]"), std::string::npos);
  const auto missing_structure = errors_of(replaced(kJob, "[structure]\nfile = \"Li2O.cif\"\nsupercell = [2, 1, 1]\n", ""));
  ASSERT_EQ(missing_structure.size(), 1u);
  EXPECT_NE(missing_structure[0].message.find("[structure]"), std::string::npos);
}

TEST(MlipGenerateReader, TheDataPageListsEveryKeyOfTheSchema) {
  std::ifstream in(std::string(IONHOP_SOURCE_DIR) + "/docs/mlip-data.md");
  ASSERT_TRUE(in) << "docs/mlip-data.md is missing";
  std::ostringstream page;
  page << in.rdbuf();
  EXPECT_NE(page.str().find(format_mlip_generate_schema_reference()), std::string::npos)
      << "docs/mlip-data.md must embed format_mlip_generate_schema_reference() verbatim:\n"
      << format_mlip_generate_schema_reference();
}

}  // namespace
