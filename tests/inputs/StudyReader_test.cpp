#include "inputs/StudyReader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "StudyExamples.hpp"
#include "StudyTestSupport.hpp"
#include "inputs/LatticePrototypes.hpp"
#include "inputs/StudyError.hpp"

namespace ionhop::inputs {
namespace {

using testing::diagnostics_of;
using testing::kBaseStudy;
using testing::position_of;
using testing::replaced;

// ---- valid studies ---------------------------------------------------------------------------

TEST(ReadStudy, CompleteStudyGivesEveryValue) {
  const Study s = read_study_string(testing::kCompleteStudy, "complete.toml");
  EXPECT_EQ(s.name, "complete");
  EXPECT_EQ(s.description, "every key, non-default values");
  EXPECT_EQ(s.source_path, "complete.toml");
  EXPECT_EQ(s.source_text, testing::kCompleteStudy);

  EXPECT_EQ(s.lattice.prototype, "fcc_anion_TO");
  EXPECT_EQ(s.lattice.a_A, 5.5);
  EXPECT_EQ(s.lattice.c_over_a, 0.0);  // not hexagonal
  EXPECT_EQ(s.lattice.supercell, (std::array<int, 3>{3, 4, 5}));
  EXPECT_TRUE(s.lattice.basis.empty());

  // "T" as declared, then the prototype's undeclared "O" with energy 0.
  ASSERT_EQ(s.site_types.size(), 2u);
  EXPECT_EQ(s.site_types[0], (SiteTypeSpec{"T", 0.2, 0.01}));
  EXPECT_EQ(s.site_types[1], (SiteTypeSpec{"O", 0.0, 0.0}));

  ASSERT_EQ(s.species.size(), 2u);
  EXPECT_EQ(s.species[0].name, "Li");
  EXPECT_EQ(s.species[0].charge, 1);
  EXPECT_EQ(s.species[0].site_types, (std::vector<std::string>{"T", "O"}));
  EXPECT_FALSE(s.species[0].count.has_value());
  EXPECT_EQ(s.species[0].concentration, 0.25);
  EXPECT_EQ(s.species[1].charge, 2);
  EXPECT_EQ(s.species[1].count, 3);
  EXPECT_EQ(s.species[1].site_types, (std::vector<std::string>{"T", "O"}));  // all, filled in

  ASSERT_EQ(s.dopants.size(), 2u);
  EXPECT_EQ(s.dopants[0].charge, 3);
  EXPECT_EQ(s.dopants[0].site_types, std::vector<std::string>{"O"});
  EXPECT_EQ(s.dopants[0].count, 4);
  EXPECT_EQ(s.dopants[1].charge, 0);  // default: blocked site
  EXPECT_EQ(s.dopants[1].concentration, 0.01);

  ASSERT_EQ(s.interactions.size(), 2u);
  EXPECT_EQ(s.interactions[0].species, (std::array<std::string, 2>{"Li", "Li"}));
  EXPECT_EQ(s.interactions[0].shell_energies_eV, (std::vector<double>{0.05, 0.01}));
  EXPECT_EQ(s.interactions[1].shell_energies_eV, std::vector<double>{-0.1});

  ASSERT_EQ(s.regions.size(), 1u);
  EXPECT_EQ(s.regions[0], (RegionSpec{"gb", 1, 0.45, 0.55, 0.1, -0.02}));

  ASSERT_EQ(s.hops.size(), 2u);
  EXPECT_EQ(s.hops[0].from_type, "T");
  EXPECT_EQ(s.hops[0].to_type, "O");
  EXPECT_EQ(s.hops[0].shell, 2);
  EXPECT_FALSE(s.hops[0].max_distance_A.has_value());
  EXPECT_EQ(s.hops[0].barrier_eV, 0.3);
  EXPECT_EQ(s.hops[0].attempt_frequency_Hz, 5e12);
  EXPECT_EQ(s.hops[1].max_distance_A, 4.0);
  EXPECT_EQ(s.hops[1].attempt_frequency_Hz, 1e13);  // default

  EXPECT_EQ(s.run.temperatures_K, (std::vector<double>{300.0, 450.5, 600.0}));
  EXPECT_EQ(s.run.events, 200000);
  EXPECT_FALSE(s.run.time_s.has_value());
  EXPECT_EQ(s.run.equilibration_events, 20000);
  EXPECT_EQ(s.run.sample_interval_s, 1e-9);
  EXPECT_EQ(s.run.samples, 150);
  EXPECT_EQ(s.run.max_lag_samples, 40);
  EXPECT_EQ(s.run.fit_from_lag_fraction, 0.3);
  EXPECT_EQ(s.run.replicas, 6);
  EXPECT_EQ(s.run.seed, 42u);
  EXPECT_EQ(s.output.path, "out/complete.h5");
}

TEST(ReadStudy, ExplicitCellAndDefaults) {
  const Study s = read_study_string(testing::kExplicitCellStudy, "explicit.toml");
  EXPECT_TRUE(s.lattice.prototype.empty());
  EXPECT_EQ(s.lattice.cell_A[2][2], 4.0);  // an integer accepted where a float is expected
  ASSERT_EQ(s.lattice.basis.size(), 2u);
  EXPECT_EQ(s.lattice.basis[1], (BasisSiteSpec{"B", {0.5, 0.5, 0.5}}));
  ASSERT_EQ(s.site_types.size(), 2u);
  EXPECT_EQ(s.site_types[0], (SiteTypeSpec{"B", 0.1, 0.0}));
  EXPECT_EQ(s.site_types[1], (SiteTypeSpec{"A", 0.0, 0.0}));
  EXPECT_EQ(s.species[0].site_types, (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(s.hops[0].shell, 1);
  EXPECT_EQ(s.hops[0].attempt_frequency_Hz, 1e13);
  EXPECT_EQ(s.run.time_s, 1e-6);
  EXPECT_FALSE(s.run.events.has_value());
  // Every default of RunSpec, as documented.
  EXPECT_EQ(s.run.equilibration_events, 0);
  EXPECT_FALSE(s.run.sample_interval_s.has_value());
  EXPECT_EQ(s.run.samples, 200);
  EXPECT_EQ(s.run.max_lag_samples, 50);
  EXPECT_EQ(s.run.fit_from_lag_fraction, 0.2);
  EXPECT_EQ(s.run.replicas, 8);
  EXPECT_EQ(s.run.seed, 1u);
  EXPECT_EQ(s.output.path, "explicit.h5");
  EXPECT_EQ(s.description, "");
}

TEST(ReadStudy, HcpTakesAnAxialRatio) {
  const Study s = read_study_string(testing::hcp_study_with_axial_ratio(), "hcp.toml");
  EXPECT_EQ(s.lattice.c_over_a, 1.58);
}

TEST(ReadStudy, HcpGetsIdealAxialRatio) {
  const Study s = read_study_string(testing::kHcpStudy, "hcp.toml");
  EXPECT_DOUBLE_EQ(s.lattice.c_over_a, std::sqrt(8.0 / 3.0));
  EXPECT_EQ(s.lattice.c_over_a, kIdealHcpCOverA);
  EXPECT_EQ(s.species[0].charge, 2);
}

TEST(ReadStudy, BundledExampleStudiesAreValid) {
  const std::filesystem::path directory = std::filesystem::path(IONHOP_SOURCE_DIR) / "inputs/studies";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    ++count;
    Study study;
    try {
      study = read_study_file(entry.path());
    } catch (const StudyError& error) {
      FAIL() << error.what();
    }
    EXPECT_EQ(study.source_path, entry.path().string());
    EXPECT_FALSE(study.source_text.empty());
    EXPECT_FALSE(study.hops.empty());
    EXPECT_EQ(study.output.path.empty(), false);
  }
  // The quickstart of the README is bundled; without it this test would check nothing.
  EXPECT_GE(count, 1);
  const Study quickstart = read_study_file(directory / "quickstart.toml");
  EXPECT_EQ(quickstart.name, "quickstart");
  EXPECT_EQ(quickstart.lattice.prototype, "bcc_anion_T");
  EXPECT_EQ(quickstart.species[0].concentration, 0.25);
  EXPECT_EQ(quickstart.run.temperatures_K, (std::vector<double>{300, 400, 500}));
}

TEST(ReadStudy, MissingFileIsAStudyErrorWithoutPosition) {
  const std::filesystem::path missing = std::filesystem::path(IONHOP_BINARY_DIR) / "no-such-study.toml";
  try {
    (void)read_study_file(missing);
    FAIL() << "expected a StudyError";
  } catch (const StudyError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_EQ(error.diagnostics()[0].line, 0);
    EXPECT_NE(std::string(error.what()).find("cannot open the study file"), std::string::npos);
  }
}

// ---- one error at a time ---------------------------------------------------------------------

/// Expects exactly one diagnostic, at `where` in `text`, with the key path and a message
/// containing `message_part`.
void expect_single_error(const std::string& text, std::string_view where,
                         const std::string& key_path, const std::string& message_part) {
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 1u) << StudyError(diagnostics).what();
  const Diagnostic& d = diagnostics[0];
  const auto expected = position_of(text, where);
  EXPECT_EQ(d.file, "bad.toml");
  EXPECT_EQ(d.line, expected.line) << format_diagnostic(d);
  EXPECT_EQ(d.column, expected.column) << format_diagnostic(d);
  EXPECT_EQ(d.key_path, key_path) << format_diagnostic(d);
  EXPECT_NE(d.message.find(message_part), std::string::npos) << format_diagnostic(d);
}

TEST(StudyErrors, BaseStudyIsValid) { EXPECT_NO_THROW((void)read_study_string(kBaseStudy, "base.toml")); }

TEST(StudyErrors, UnknownKeySuggestsNearest) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "events = 1000\ntemperature_K = [300]");
  expect_single_error(text, "temperature_K =", "run.temperature_K",
                      "unknown key 'temperature_K'; did you mean 'temperatures_K'?");
}

TEST(StudyErrors, UnknownKeyWithoutNearNameListsKnownKeys) {
  const std::string text = replaced(kBaseStudy, "barrier_eV = 0.15", "barrier_eV = 0.15\nmood = \"happy\"");
  expect_single_error(text, "mood", "hops[0].mood", "in [[hops]]; known: 'from', 'to', 'shell'");
}

TEST(StudyErrors, KeyOfAnotherSectionSaysWhereItBelongs) {
  const std::string text = replaced(kBaseStudy, "a_A = 6.0", "a_A = 6.0\nseed = 4");
  expect_single_error(text, "seed", "lattice.seed", "in [lattice]; 'seed' is a key of [run]");
  const std::string top = "seed = 4\n" + kBaseStudy;
  expect_single_error(top, "seed", "seed", "unknown key 'seed' at the top level; 'seed' is a key of [run]");
}

TEST(StudyErrors, MisspeltRequiredKeyIsOneError) {
  // Not also "missing required key 'temperatures_K'" / "missing required section [run]".
  const std::string key = replaced(kBaseStudy, "temperatures_K", "temperature_K");
  expect_single_error(key, "temperature_K", "run.temperature_K", "did you mean 'temperatures_K'?");
  const std::string section = replaced(kBaseStudy, "[run]", "[rnu]");
  expect_single_error(section, "rnu", "rnu", "unknown section 'rnu'; did you mean 'run'?");
  const std::string either = replaced(kBaseStudy, "concentration = 0.25", "concentraton = 0.25");
  expect_single_error(either, "concentraton", "species[0].concentraton", "did you mean 'concentration'?");
}

TEST(StudyErrors, UnknownSectionSuggestsNearest) {
  const std::string text = kBaseStudy + "\n[outptu]\npath = \"x.h5\"\n";
  expect_single_error(text, "[|outptu]", "outptu", "unknown section 'outptu'; did you mean 'output'?");
}

TEST(StudyErrors, UnknownPrototypeSuggestsNearest) {
  const std::string text = replaced(kBaseStudy, "\"bcc_anion_T\"", "\"bcc_anion_t\"");
  expect_single_error(text, "\"bcc_anion_t\"", "lattice.prototype",
                      "unknown prototype 'bcc_anion_t'; did you mean 'bcc_anion_T'?");
}

TEST(StudyErrors, FloatWhereIntegerExpected) {
  const std::string text = replaced(kBaseStudy, "charge = 1", "charge = 1.0");
  expect_single_error(text, "1.0", "species[0].charge",
                      "expected an integer, got a float (1.0); write it as 1");
  const std::string exponent = replaced(kBaseStudy, "events = 1000", "events = 1e5");
  expect_single_error(exponent, "1e5", "run.events", "got a float (1e+05); write it as 100000");
}

TEST(StudyErrors, StringWhereFloatExpected) {
  const std::string text = replaced(kBaseStudy, "a_A = 6.0", "a_A = \"6.0\"");
  expect_single_error(text, "\"6.0\"", "lattice.a_A", "expected a float, got a string (\"6.0\")");
}

TEST(StudyErrors, ScalarWhereArrayExpected) {
  const std::string text = replaced(kBaseStudy, "[300, 400]", "300");
  expect_single_error(text, "300", "run.temperatures_K", "expected an array of floats, got an integer (300)");
}

TEST(StudyErrors, WrongArrayLength) {
  const std::string text = replaced(kBaseStudy, "[2, 2, 2]", "[2, 2]");
  expect_single_error(text, "[2, 2]", "lattice.supercell", "with exactly 3 elements, got 2");
}

TEST(StudyErrors, TableWhereArrayOfTablesExpected) {
  const std::string text = replaced(kBaseStudy, "[[species]]", "[species]");
  expect_single_error(text, "[species]", "species", "expected an array of tables [[species]], got a table");
}

TEST(StudyErrors, NegativeTemperatureIsOutOfRange) {
  const std::string text = replaced(kBaseStudy, "[300, 400]", "[300, -5]");
  expect_single_error(text, "-5", "run.temperatures_K[1]", "must be > 0, got -5");
}

TEST(StudyErrors, NonFiniteFloatsAreRejected) {
  const std::string text = replaced(kBaseStudy, "barrier_eV = 0.15", "barrier_eV = nan");
  expect_single_error(text, "nan", "hops[0].barrier_eV", "must be a finite number, got nan");
  const std::string inf = replaced(kBaseStudy, "[300, 400]", "[300, inf]");
  expect_single_error(inf, "inf", "run.temperatures_K[1]", "must be a finite number, got inf");
}

TEST(StudyErrors, ConcentrationOutsideUnitInterval) {
  const std::string text = replaced(kBaseStudy, "concentration = 0.25", "concentration = 1.5");
  expect_single_error(text, "1.5", "species[0].concentration", "must be in (0, 1), got 1.5");
}

TEST(StudyErrors, ZeroSupercellIsOutOfRange) {
  const std::string text = replaced(kBaseStudy, "[2, 2, 2]", "[2, 0, 2]");
  expect_single_error(text, "0, 2]", "lattice.supercell[1]", "must be in [1, 2147483647], got 0");
}

TEST(StudyErrors, ZeroReplicasIsOutOfRange) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "events = 1000\nreplicas = 0");
  expect_single_error(text, "replicas = |0", "run.replicas", "got 0");
}

TEST(StudyErrors, MobileSpeciesNeedsCharge) {
  const std::string zero = replaced(kBaseStudy, "charge = 1", "charge = 0");
  expect_single_error(zero, "charge = |0", "species[0].charge", "non-zero charge");
  const std::string missing = replaced(kBaseStudy, "charge = 1\n", "");
  expect_single_error(missing, "[[species]]", "species[0].charge", "missing required key 'charge'");
}

TEST(StudyErrors, MissingRequiredKeyPointsAtItsTable) {
  const std::string text = replaced(kBaseStudy, "barrier_eV = 0.15\n", "");
  expect_single_error(text, "[[hops]]", "hops[0].barrier_eV", "missing required key 'barrier_eV'");
}

TEST(StudyErrors, MissingRequiredSectionPointsAtDocumentStart) {
  const std::string text = kBaseStudy.substr(0, kBaseStudy.find("[run]"));
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].key_path, "run");
  EXPECT_EQ(diagnostics[0].line, 1);
  EXPECT_EQ(diagnostics[0].column, 1);
  EXPECT_EQ(diagnostics[0].message, "missing required section [run]");
}

TEST(StudyErrors, BothCountAndConcentration) {
  const std::string text = replaced(kBaseStudy, "concentration = 0.25", "concentration = 0.25\ncount = 4");
  expect_single_error(text, "count = |4", "species[0].count", "give either 'count' or 'concentration', not both");
}

TEST(StudyErrors, NeitherCountNorConcentration) {
  const std::string text = replaced(kBaseStudy, "concentration = 0.25\n", "");
  expect_single_error(text, "[[species]]", "species[0]", "give one of 'count' or 'concentration'");
}

TEST(StudyErrors, BothEventsAndTime) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "time_s = 1e-6\nevents = 1000");
  expect_single_error(text, "events = |1000", "run.events", "give either 'events' or 'time_s', not both");
}

TEST(StudyErrors, NeitherEventsNorTime) {
  const std::string text = replaced(kBaseStudy, "events = 1000\n", "");
  expect_single_error(text, "[run]", "run", "give one of 'events' or 'time_s'");
}

TEST(StudyErrors, PrototypeAndExplicitCellTogether) {
  const std::string text = replaced(kBaseStudy, "a_A = 6.0", "a_A = 6.0\ncell_A = [[1,0,0],[0,1,0],[0,0,1]]");
  expect_single_error(text, "[[1,0,0]", "lattice.cell_A", "cannot be combined with 'prototype'");
}

TEST(StudyErrors, NeitherPrototypeNorCell) {
  const std::string text = replaced(kBaseStudy, "prototype = \"bcc_anion_T\"\na_A = 6.0\n", "");
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  // The lattice error only: site-type references are not checked against an unknown lattice.
  ASSERT_EQ(diagnostics.size(), 1u) << StudyError(diagnostics).what();
  EXPECT_EQ(diagnostics[0].key_path, "lattice");
  EXPECT_EQ(diagnostics[0].line, position_of(text, "[lattice]").line);
  EXPECT_NE(diagnostics[0].message.find("give 'prototype'"), std::string::npos);
}

TEST(StudyErrors, AxialRatioOnlyForHexagonal) {
  const std::string text = replaced(kBaseStudy, "a_A = 6.0", "a_A = 6.0\nc_over_a = 1.6");
  expect_single_error(text, "1.6", "lattice.c_over_a", "applies only to hexagonal prototypes");
}

TEST(StudyErrors, DegenerateExplicitCell) {
  const std::string text = replaced(testing::kExplicitCellStudy, "[0.0, 0.0, 4]]", "[3.0, 3.0, 0.0]]");
  expect_single_error(text, "[[3.0, 0.0, 0.0]", "lattice.cell_A", "linearly dependent");
}

TEST(StudyErrors, CoincidentBasisSites) {
  const std::string text = replaced(testing::kExplicitCellStudy, "[0.5, 0.5, 0.5]", "[0, 0, 0]");
  expect_single_error(text, "|[0, 0, 0]\n\n[[site_types", "lattice.basis[1].fractional",
                      "same position as basis site 0");
}

TEST(StudyErrors, ExplicitCellWithoutBasis) {
  std::string text = testing::kExplicitCellStudy;
  text.erase(text.find("[[lattice.basis]]"), text.find("[[site_types]]") - text.find("[[lattice.basis]]"));
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 1u) << StudyError(diagnostics).what();
  EXPECT_EQ(diagnostics[0].key_path, "lattice.basis");
  EXPECT_EQ(diagnostics[0].line, position_of(text, "[lattice]").line);
}

TEST(StudyErrors, SpeciesSiteTypeMustExist) {
  const std::string text = replaced(kBaseStudy, "charge = 1", "charge = 1\nsite_types = [\"Tx\"]");
  expect_single_error(text, "\"Tx\"", "species[0].site_types[0]",
                      "unknown site type 'Tx'; did you mean 'T'?");
}

TEST(StudyErrors, HopSiteTypeMustExistInLattice) {
  const std::string text = replaced(kBaseStudy, "to = \"T\"", "to = \"O\"");
  expect_single_error(text, "\"O\"", "hops[0].to", "unknown site type 'O' (known: T)");
}

TEST(StudyErrors, DeclaredSiteTypeMustBelongToLattice) {
  const std::string text = kBaseStudy + "\n[[site_types]]\nname = \"O\"\n";
  expect_single_error(text, "\"O\"", "site_types[0].name",
                      "'O' is not a site type of prototype 'bcc_anion_T' (it has: T)");
}

TEST(StudyErrors, InteractionSpeciesMustBeDeclared) {
  const std::string text = kBaseStudy + "\n[[interactions]]\nspecies = [\"Li\", \"Ni\"]\nshell_energies_eV = [0.1]\n";
  expect_single_error(text, "\"Ni\"", "interactions[0].species[1]",
                      "unknown species 'Ni'; did you mean 'Li'?");
}

TEST(StudyErrors, DuplicateSpeciesName) {
  const std::string text = kBaseStudy + "\n[[dopants]]\nname = \"Li\"\ncount = 2\n";
  expect_single_error(text, "name = |\"Li\"\ncount", "dopants[0].name",
                      "name 'Li' is already used by species[0] (line 9)");
}

TEST(StudyErrors, RegionBoundsAndAxis) {
  const std::string text = kBaseStudy + "\n[[regions]]\nname = \"gb\"\naxis = \"x\"\nfrom = 0.6\nto = 0.4\n";
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 2u) << StudyError(diagnostics).what();
  EXPECT_EQ(diagnostics[0].key_path, "regions[0].axis");
  EXPECT_EQ(diagnostics[0].line, position_of(text, "\"x\"").line);
  EXPECT_EQ(diagnostics[1].key_path, "regions[0].to");
  EXPECT_EQ(diagnostics[1].column, position_of(text, "0.4").column);
  EXPECT_NE(diagnostics[1].message.find("greater than 'from' (0.6)"), std::string::npos);
}

TEST(StudyErrors, ShellAndDistanceTogether) {
  const std::string text = replaced(kBaseStudy, "barrier_eV = 0.15", "shell = 1\nmax_distance_A = 3.0\nbarrier_eV = 0.15");
  expect_single_error(text, "3.0", "hops[0].max_distance_A", "give either 'shell' or 'max_distance_A'");
}

TEST(StudyErrors, RepeatedHopRule) {
  const std::string text = kBaseStudy + "\n[[hops]]\nfrom = \"T\"\nto = \"T\"\nshell = 1\nbarrier_eV = 0.2\n";
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 1u) << StudyError(diagnostics).what();
  EXPECT_EQ(diagnostics[0].key_path, "hops[1]");
  EXPECT_EQ(diagnostics[0].line, position_of(text, "shell = 1").line - 3);  // its [[hops]] header
  EXPECT_NE(diagnostics[0].message.find("same hops as the rule at line 14"), std::string::npos);
  // The second shell is a different rule.
  EXPECT_NO_THROW((void)read_study_string(replaced(text, "shell = 1", "shell = 2"), "ok.toml"));
}

TEST(StudyErrors, MaxLagMustBeBelowSamples) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "events = 1000\nsamples = 30\nmax_lag_samples = 31");
  expect_single_error(text, "31", "run.max_lag_samples", "(31) must be less than samples (30)");
}

TEST(StudyErrors, RepeatedTemperature) {
  const std::string text = replaced(kBaseStudy, "[300, 400]", "[300, 400, 300.0]");
  expect_single_error(text, "300.0", "run.temperatures_K[2]", "listed twice");
}

TEST(StudyErrors, StudyNameMustBeAFileName) {
  const std::string text = replaced(kBaseStudy, "\"base\"", "\"../base\"");
  expect_single_error(text, "\"../base\"", "study.name", "not a valid study name");
}

TEST(StudyErrors, NegativeSeed) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "events = 1000\nseed = -1");
  expect_single_error(text, "-1", "run.seed", ">= 0, got -1");
}

TEST(StudyErrors, TomlSyntaxErrorKeepsItsPosition) {
  const std::string text = replaced(kBaseStudy, "events = 1000", "events = 10 00");
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 1u);
  const auto expected = position_of(text, "00\n");  // the stray token after "10 "
  EXPECT_EQ(diagnostics[0].line, expected.line);
  EXPECT_EQ(diagnostics[0].column, expected.column);
  EXPECT_EQ(diagnostics[0].key_path, "");
  EXPECT_EQ(diagnostics[0].message.rfind("TOML syntax: ", 0), 0u) << diagnostics[0].message;
}

// ---- several errors at once ------------------------------------------------------------------

TEST(StudyErrors, EveryProblemInTheFileIsReported) {
  std::string text = kBaseStudy;
  text = replaced(text, "a_A = 6.0", "a_A = -6.0");                                  // range
  text = replaced(text, "charge = 1", "charge = \"+1\"");                             // type
  text = replaced(text, "concentration = 0.25", "concentration = 0.25\ncount = 3");  // both
  text = replaced(text, "to = \"T\"", "to = \"Tt\"");                                  // reference
  text = replaced(text, "events = 1000", "events = 1000\nreplica = 4");               // unknown key
  const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
  ASSERT_EQ(diagnostics.size(), 5u) << StudyError(diagnostics).what();
  // In file order, each at its own node.
  EXPECT_EQ(diagnostics[0].key_path, "lattice.a_A");
  EXPECT_EQ(diagnostics[0].line, position_of(text, "-6.0").line);
  EXPECT_EQ(diagnostics[1].key_path, "species[0].charge");
  EXPECT_EQ(diagnostics[1].line, position_of(text, "\"+1\"").line);
  EXPECT_EQ(diagnostics[2].key_path, "species[0].count");
  EXPECT_EQ(diagnostics[2].line, position_of(text, "count = 3").line);
  EXPECT_EQ(diagnostics[3].key_path, "hops[0].to");
  EXPECT_EQ(diagnostics[3].line, position_of(text, "\"Tt\"").line);
  EXPECT_EQ(diagnostics[4].key_path, "run.replica");
  EXPECT_NE(diagnostics[4].message.find("did you mean 'replicas'?"), std::string::npos);
  // what() lists each one on its own line.
  const std::string what = StudyError(diagnostics).what();
  EXPECT_EQ(std::count(what.begin(), what.end(), '\n'), 4);
  EXPECT_NE(what.find("bad.toml:" + std::to_string(position_of(text, "\"Tt\"").line) + ":" +
                      std::to_string(position_of(text, "\"Tt\"").column) +
                      ": error: hops[0].to: unknown site type 'Tt'; did you mean 'T'?"),
            std::string::npos)
      << what;
}

}  // namespace
}  // namespace ionhop::inputs
