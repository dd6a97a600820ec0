// The `ionhop mlip train | test | learn` job readers: typed values and defaults left to neb/,
// baseline charges from a potential file, the learn job's NEB sections read by the relax/NEB
// reader with diagnostics at their place in this file, every problem reported at once with
// file:line:column and the nearest known name; docs/mlip.md embeds the key tables.
#include "inputs/MlipJobReader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "inputs/MlipJobSchema.hpp"
#include "inputs/StudyError.hpp"
#include "StudyTestSupport.hpp"

namespace fs = std::filesystem;
using namespace ionhop::inputs;
using ionhop::inputs::testing::position_of;
using ionhop::inputs::testing::replaced;

namespace {

constexpr const char* kTrain = R"([job]
name = "li2o_mlip"

[data]
files = ["a.h5", "sub/b.xyz"]
exclude_config_types = ["neb"]

[split]
held_out_fraction = 0.25
seed = 3

[basis]
elements = ["Li", "O"]
cutoff_A = 5.0
radial_size_3 = 3
radial_sizes_3 = [2, 3]
lmax = 2
body_order = 3

[baseline]
type = "coulomb_ewald"
charges_e = { Li = 0.6, O = -1.2 }
real_cutoff_A = 9.0

[fit]
lambdas = [1e-10, 1e-8]
folds = 4

[calibration]
forces = false
)";

constexpr const char* kLearn = R"([job]
name = "learned"

[structure]
file = "Li2O.cif"
supercell = [2, 2, 2]

[potential]
type = "lennard_jones"
cutoff_A = 4.8
pairs = [{ species = ["Li", "O"], epsilon_eV = 0.4, sigma_A = 2.3 }]

[neb]
images = 5

[hop]
mechanism = "vacancy"
moving_atom = 10
vacancy_site = 4

[data]
files = ["d.h5"]

[learn]
barrier_std_tolerance_eV = 0.002
max_refits = 3
calibration_pairs_per_band = 4
reference_barrier = true
)";

template <typename Read>
std::vector<Diagnostic> errors_of(const std::string& text, Read read) {
  try {
    read(text);
  } catch (const StudyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "no StudyError for:\n" << text;
  return {};
}

MlipTrainJob train(const std::string& text) { return read_mlip_train_job_string(text, "train.toml", "/jobs"); }
MlipLearnJob learn(const std::string& text) { return read_mlip_learn_job_string(text, "learn.toml", "/jobs"); }

/// Whether `d` has a diagnostic in `file` at the position of `snippet` ('|' marks the column)
/// whose message contains `words`.
bool has(const std::vector<Diagnostic>& d, const std::string& file, const std::string& text, std::string_view snippet,
         std::string_view words) {
  const auto at = position_of(text, snippet);
  for (const Diagnostic& x : d)
    if (x.file == file && x.line == at.line && x.column == at.column && x.message.find(words) != std::string::npos) return true;
  std::string all;
  for (const Diagnostic& x : d) all += format_diagnostic(x) + "\n";
  ADD_FAILURE() << "no diagnostic '" << words << "' at " << snippet << " (" << at.line << ":" << at.column << ")\n" << all;
  return false;
}

TEST(MlipJobReader, ReadsATrainJobAndLeavesDefaultsToNeb) {
  const MlipTrainJob job = train(kTrain);
  EXPECT_EQ(job.name, "li2o_mlip");
  EXPECT_EQ(job.data.files, (std::vector<fs::path>{"/jobs/a.h5", "/jobs/sub/b.xyz"}));
  EXPECT_EQ(job.data.exclude_config_types, (std::vector<std::string>{"neb"}));
  EXPECT_EQ(job.split.held_out_fraction, 0.25);
  EXPECT_EQ(job.split.seed, 3u);
  EXPECT_EQ(job.basis.elements, (std::vector<std::string>{"Li", "O"}));
  EXPECT_EQ(job.basis.cutoff_A, 5.0);
  EXPECT_FALSE(job.basis.inner_A.has_value());
  EXPECT_FALSE(job.basis.radial_size_2.has_value());
  EXPECT_EQ(job.basis.radial_sizes_3, (std::vector<int>{2, 3}));
  EXPECT_EQ(job.basis.body_order, 3);
  EXPECT_FALSE(job.basis.radial_size_4.has_value());
  const MlipTrainJob four = train(replaced(kTrain, "body_order = 3", "body_order = 4\nradial_size_4 = 3\nlmax_4 = 1"));
  EXPECT_EQ(four.basis.body_order, 4);
  EXPECT_EQ(four.basis.radial_size_4, 3);
  EXPECT_EQ(four.basis.lmax_4, 1);
  ASSERT_TRUE(job.baseline.spec.has_value());
  EXPECT_EQ(job.baseline.spec->type, "coulomb_ewald");
  EXPECT_EQ(job.baseline.spec->charges_e.at("O"), -1.2);
  EXPECT_EQ(job.baseline.spec->settings.at("real_cutoff_A"), 9.0);
  EXPECT_EQ(job.fit.lambdas, (std::vector<double>{1e-10, 1e-8}));
  EXPECT_EQ(job.fit.folds, 4);
  EXPECT_FALSE(job.fit.force_sigma_eV_per_A.has_value());
  EXPECT_EQ(job.calibration.forces, false);
  EXPECT_FALSE(job.calibration.coverage.has_value());
  EXPECT_EQ(job.locations.find("fit.folds").line, position_of(kTrain, "folds = 4").line);
}

TEST(MlipJobReader, TakesTheBaselineFromThePotentialFilesEwaldTerm) {
  const std::string text = replaced(kTrain, "charges_e = { Li = 0.6, O = -1.2 }\nreal_cutoff_A = 9.0",
                                    "charges_from = \"../potentials/pedone.toml\"");
  const MlipTrainJob job = read_mlip_train_job_string(text, "train.toml", fs::path(IONHOP_SOURCE_DIR) / "inputs/jobs");
  ASSERT_TRUE(job.baseline.spec.has_value());
  EXPECT_EQ(job.baseline.spec->type, "coulomb_ewald");
  EXPECT_EQ(job.baseline.spec->charges_e.at("Li"), 0.6);
  EXPECT_EQ(job.baseline.spec->charges_e.at("Mg"), 1.2);
  EXPECT_EQ(job.baseline.spec->settings.at("real_cutoff_A"), 10.0);
  const MlipTrainJob none = train(replaced(kTrain, "type = \"coulomb_ewald\"\ncharges_e = { Li = 0.6, O = -1.2 }\nreal_cutoff_A = 9.0",
                                           "type = \"none\""));
  EXPECT_FALSE(none.baseline.spec.has_value());
  const std::string no_section = replaced(kTrain, "[baseline]\ntype = \"coulomb_ewald\"\ncharges_e = { Li = 0.6, O = -1.2 }\nreal_cutoff_A = 9.0\n", "");
  EXPECT_FALSE(train(no_section).baseline.spec.has_value());
}

TEST(MlipJobReader, ReportsEveryProblemOfATrainJobAtItsPlace) {
  std::string text = kTrain;
  text = replaced(text, "files = [\"a.h5\", \"sub/b.xyz\"]", "files = [\"a.h5\", \"b.cif\"]");
  text = replaced(text, "held_out_fraction = 0.25", "held_out_fraction = 1.5");
  text = replaced(text, "cutoff_A = 5.0", "cutof_A = 5.0");
  text = replaced(text, "body_order = 3", "body_order = 5");
  text = replaced(text, "type = \"coulomb_ewald\"", "type = \"coulomb_ewal\"");
  text = replaced(text, "lambdas = [1e-10, 1e-8]", "lambdas = [1e-10, -1]");
  text = replaced(text, "[calibration]", "[calibrate]");
  const std::vector<Diagnostic> d = errors_of(text, train);
  EXPECT_TRUE(has(d, "train.toml", text, "|\"b.cif\"", "not a data set"));
  EXPECT_TRUE(has(d, "train.toml", text, "held_out_fraction = |1.5", "[0, 1)"));
  EXPECT_TRUE(has(d, "train.toml", text, "|cutof_A = 5.0", "did you mean 'cutoff_A'"));
  EXPECT_TRUE(has(d, "train.toml", text, "body_order = |5", "expected 2, 3 or 4"));
  EXPECT_TRUE(has(d, "train.toml", text, "type = |\"coulomb_ewal\"", "coulomb_ewald"));
  EXPECT_TRUE(has(d, "train.toml", text, "lambdas = [1e-10, |-1]", "> 0"));
  EXPECT_TRUE(has(d, "train.toml", text, "[|calibrate]", "did you mean 'calibration'"));
  EXPECT_GE(d.size(), 7u);
}

TEST(MlipJobReader, RejectsConflictingKeys) {
  const auto both = errors_of(replaced(kTrain, "held_out_fraction = 0.25", "held_out_fraction = 0.25\nheld_out_files = [\"h.h5\"]"), train);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].key_path, "split.held_out_files");
  const auto charges = errors_of(replaced(kTrain, "real_cutoff_A = 9.0", "charges_from = \"p.toml\""), train);
  ASSERT_FALSE(charges.empty());
  EXPECT_NE(charges[0].message.find("either charges_from or charges_e"), std::string::npos);
  const auto none_with_charges = errors_of(replaced(kTrain, "type = \"coulomb_ewald\"", "type = \"none\""), train);
  EXPECT_EQ(none_with_charges.size(), 2u);  // charges_e and real_cutoff_A do not apply
  const auto one_fold = errors_of(replaced(kTrain, "folds = 4", "folds = 1"), train);
  ASSERT_EQ(one_fold.size(), 1u);
  EXPECT_EQ(one_fold[0].key_path, "fit.folds");
  const auto inner = errors_of(replaced(kTrain, "cutoff_A = 5.0", "cutoff_A = 5.0\ninner_A = 6.0"), train);
  ASSERT_EQ(inner.size(), 1u);
  EXPECT_EQ(inner[0].key_path, "basis.inner_A");
  const auto no_data = errors_of(replaced(kTrain, "[data]\nfiles = [\"a.h5\", \"sub/b.xyz\"]\nexclude_config_types = [\"neb\"]\n", ""), train);
  ASSERT_EQ(no_data.size(), 1u);
  EXPECT_NE(no_data[0].message.find("[data]"), std::string::npos);
}

TEST(MlipJobReader, ReadsATestJob) {
  const std::string text = "[job]\nname = \"t\"\n[model]\nfile = \"m.h5\"\n[data]\nfiles = [\"x.xyz\"]\n[test]\nforce_sigma = false\n";
  const MlipTestJob job = read_mlip_test_job_string(text, "test.toml", "/jobs");
  EXPECT_EQ(job.model, fs::path("/jobs/m.h5"));
  EXPECT_EQ(job.data.files, (std::vector<fs::path>{"/jobs/x.xyz"}));
  EXPECT_FALSE(job.force_uncertainty);
  const auto d = errors_of(replaced(text, "[model]\nfile = \"m.h5\"\n", "[basis]\nlmax = 2\n"),
                           [](const std::string& t) { return read_mlip_test_job_string(t, "test.toml", "/jobs"); });
  ASSERT_EQ(d.size(), 2u);  // [basis] is not a test-job section; [model] is missing
}

TEST(MlipJobReader, ReadsALearnJobWithTheNebJobsSections) {
  const MlipLearnJob job = learn(kLearn);
  EXPECT_EQ(job.hop_job.name, "learned");
  EXPECT_EQ(job.hop_job.kind, AtomisticJobKind::neb);
  ASSERT_TRUE(job.hop_job.structure.has_value());
  EXPECT_EQ(job.hop_job.structure->file, fs::path("/jobs/Li2O.cif"));
  EXPECT_EQ(job.hop_job.hop.moving_atom, 10u);
  EXPECT_EQ(job.hop_job.neb.images, 5);
  EXPECT_EQ(job.hop_job.source_path, "learn.toml");
  EXPECT_EQ(job.hop_job.potential.spec.origin, "learn.toml:" + std::to_string(position_of(kLearn, "[potential]").line));
  EXPECT_EQ(job.hop_job.locations.find("hop.vacancy_site").line, position_of(kLearn, "vacancy_site = 4").line);
  EXPECT_EQ(job.data.files, (std::vector<fs::path>{"/jobs/d.h5"}));
  EXPECT_TRUE(job.model.empty());
  EXPECT_EQ(job.learn.barrier_std_tolerance_eV, 0.002);
  EXPECT_EQ(job.learn.max_refits, 3);
  EXPECT_FALSE(job.learn.grade_threshold.has_value());
  EXPECT_EQ(job.learn.calibration_pairs_per_band, 4);
  EXPECT_TRUE(job.learn.reference_barrier);
}

TEST(MlipJobReader, ReportsLearnJobProblemsInBothReadersAtTheirPlace) {
  std::string text = kLearn;
  text = replaced(text, "images = 5", "images = 0");                                    // NEB reader
  text = replaced(text, "moving_atom = 10", "moving_atm = 10");                         // NEB reader: unknown key
  text = replaced(text, "max_refits = 3", "max_refits = -1");                           // [learn]
  text = replaced(text, "calibration_pairs_per_band = 4", "calibration_pairs_per_band = -2");
  text = replaced(text, "reference_barrier = true", "reference_barier = true");         // [learn]: unknown key
  text += "[model]\nfile = \"m.h5\"\n[basis]\nlmax = 2\n";                               // basis with a model
  const std::vector<Diagnostic> d = errors_of(text, learn);
  EXPECT_TRUE(has(d, "learn.toml", text, "images = |0", "got 0"));
  // The NEB reader saw a re-serialised copy: its unknown key is placed at the recorded value.
  EXPECT_TRUE(has(d, "learn.toml", text, "moving_atm = |10", "did you mean 'moving_atom'"));
  EXPECT_TRUE(has(d, "learn.toml", text, "max_refits = |-1", "got -1"));
  EXPECT_TRUE(has(d, "learn.toml", text, "calibration_pairs_per_band = |-2", "got -2"));
  EXPECT_TRUE(has(d, "learn.toml", text, "|reference_barier = true", "did you mean 'reference_barrier'"));
  EXPECT_TRUE(has(d, "learn.toml", text, "|[basis]\nlmax", "does not apply with a starting [model]"));
}

TEST(MlipJobReader, TheMlipPageListsEveryKeyOfTheSchemas) {
  std::ifstream in(std::string(IONHOP_SOURCE_DIR) + "/docs/mlip.md");
  ASSERT_TRUE(in) << "docs/mlip.md is missing";
  std::ostringstream page;
  page << in.rdbuf();
  for (MlipJobKind kind : {MlipJobKind::train, MlipJobKind::test, MlipJobKind::learn})
    EXPECT_NE(page.str().find(format_mlip_job_schema_reference(kind)), std::string::npos)
        << "docs/mlip.md must embed format_mlip_job_schema_reference() verbatim:\n"
        << format_mlip_job_schema_reference(kind);
}

}  // namespace
