// The potential parameter-file reader: the shipped Pedone file reads, and every problem in a bad
// file is reported at its exact file:line:column (positions taken from the text itself).
#include "inputs/PotentialFileReader.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inputs/StudyError.hpp"
#include "StudyTestSupport.hpp"

using namespace ionhop::inputs;
using ionhop::inputs::testing::position_of;
using ionhop::inputs::testing::replaced;

namespace {

constexpr const char* kFile = R"(name = "li2o"
citation = "none"

[potential]
type = "sum"

[[potential.terms]]
type = "morse"
cutoff_A = 5.5
pairs = [
  { species = ["Li", "O"], D_eV = 0.001114, alpha_per_A = 3.429506, r0_A = 2.68136 },
  { species = ["O", "O"], D_eV = 0.042395, alpha_per_A = 1.379316, r0_A = 3.618701 },
]

[[potential.terms]]
type = "coulomb_ewald"
charges_e = { Li = 0.6, O = -1.2 }
)";

/// Every diagnostic of reading `text` as "pot.toml", formatted as the command line prints them.
std::vector<std::string> errors_of(const std::string& text) {
  try {
    (void)parse_potential_file(text, "pot.toml");
  } catch (const StudyError& e) {
    std::vector<std::string> lines;
    for (const Diagnostic& d : e.diagnostics()) lines.push_back(format_diagnostic(d));
    return lines;
  }
  ADD_FAILURE() << "no StudyError for:\n" << text;
  return {};
}

/// kFile with each `{old, new}` snippet replaced in turn.
std::string edited(std::initializer_list<std::pair<std::string_view, std::string_view>> edits) {
  std::string text = kFile;
  for (const auto& [old_text, new_text] : edits) text = replaced(text, old_text, new_text);
  return text;
}

/// The diagnostic expected at `needle` in `text` (see position_of for the '|' mark).
std::string error_at(const std::string& text, std::string_view needle, const std::string& key_path,
                     const std::string& message) {
  const auto at = position_of(text, needle);
  return "pot.toml:" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": error: " + key_path + ": " +
         message;
}

}  // namespace

TEST(PotentialFileReader, ReadsTypesSettingsPairsChargesAndOrigins) {
  const PotentialFile file = parse_potential_file(kFile, "pot.toml");
  EXPECT_EQ(file.name, "li2o");
  EXPECT_EQ(file.citation, "none");
  EXPECT_EQ(file.potential.type, "sum");
  EXPECT_EQ(file.potential.origin, "pot.toml:4");
  ASSERT_EQ(file.potential.terms.size(), 2u);
  const auto& morse = file.potential.terms[0];
  EXPECT_EQ(morse.type, "morse");
  EXPECT_EQ(morse.origin, "pot.toml:7");
  EXPECT_EQ(morse.settings, (std::map<std::string, double>{{"cutoff_A", 5.5}}));
  ASSERT_EQ(morse.pairs.size(), 2u);
  EXPECT_EQ(morse.pairs[1].species_a, "O");
  EXPECT_EQ(morse.pairs[1].species_b, "O");
  EXPECT_EQ(morse.pairs[0].values,
            (std::map<std::string, double>{{"D_eV", 0.001114}, {"alpha_per_A", 3.429506}, {"r0_A", 2.68136}}));
  const auto& ewald = file.potential.terms[1];
  EXPECT_TRUE(ewald.settings.empty());  // defaults stay neb's
  EXPECT_EQ(ewald.charges_e, (std::map<std::string, double>{{"Li", 0.6}, {"O", -1.2}}));
}

TEST(PotentialFileReader, ReadsTheShippedPedoneFile) {
  const std::string path = std::string(IONHOP_SOURCE_DIR) + "/inputs/potentials/pedone.toml";
  const PotentialFile file = read_potential_file(path);
  EXPECT_EQ(file.name, "pedone2006");
  ASSERT_EQ(file.potential.terms.size(), 3u);
  EXPECT_EQ(file.potential.terms[0].pairs.size(), 21u);
  EXPECT_EQ(file.potential.terms[1].pairs.size(), 21u);
  EXPECT_EQ(file.potential.terms[2].charges_e.at("O"), -1.2);
  EXPECT_EQ(file.potential.terms[2].origin.rfind(path + ":", 0), 0u);
}

TEST(PotentialFileReader, UnknownKeysNameTheNearestKnownKeyAtTheKey) {
  const std::string text = edited({{"citation = ", "citaton = "},
                                    {"cutoff_A = 5.5", "cutof_A = 5.5"},
                                    {"r0_A = 3.618701", "ro_A = 3.618701"},
                                    {"type = \"coulomb_ewald\"", "type = \"coulomb_ewlad\""},
                                    {"type = \"sum\"", "type = \"sum\"\nscale = 2.0"}});
  // One diagnostic a typo: no "missing required key" for the key it was taken for.
  EXPECT_EQ(errors_of(text),
            (std::vector<std::string>{
                error_at(text, "citaton", "citaton", "unknown key 'citaton'; did you mean 'citation'?"),
                error_at(text, "scale", "potential.scale",
                         "unknown key 'scale' in a \"sum\" potential; known: 'type', 'terms'"),
                error_at(text, "cutof_A", "potential.terms[0].cutof_A", "unknown key 'cutof_A'; did you mean 'cutoff_A'?"),
                error_at(text, "ro_A =", "potential.terms[0].pairs[1].ro_A", "unknown key 'ro_A'; did you mean 'r0_A'?"),
                error_at(text, "type = |\"coulomb_ewlad\"", "potential.terms[1].type",
                         "unknown value \"coulomb_ewlad\"; did you mean \"coulomb_ewald\"? (expected one of "
                         "\"lennard_jones\", \"morse\", \"buckingham\", \"repulsion_r12\", \"coulomb_ewald\", "
                         "\"coulomb_dsf\", \"sum\", \"mlip\")"),
            }));

  const std::string no_type = replaced(kFile, "type = \"sum\"\n", "typ = \"sum\"\n");
  EXPECT_EQ(errors_of(no_type), (std::vector<std::string>{error_at(no_type, "typ =", "potential.typ",
                                                                   "unknown key 'typ'; did you mean 'type'?")}));
}

TEST(PotentialFileReader, KeysOfAnotherTypeAreUnknown) {
  const std::string text = replaced(kFile, "type = \"morse\"", "type = \"morse\"\ncharges_e = { Li = 1.0 }");
  EXPECT_EQ(errors_of(text), (std::vector<std::string>{error_at(
                                 text, "charges_e = { Li = 1.0", "potential.terms[0].charges_e",
                                 "unknown key 'charges_e' in a \"morse\" potential; known: 'type', 'cutoff_A', "
                                 "'switch_on_A', 'pairs'")}));
}

TEST(PotentialFileReader, NumbersAreStrictlyTypedAndFinite) {
  const std::string text = R"(name = 7

[potential]
type = "sum"

[[potential.terms]]
type = "morse"
cutoff_A = "5.5"
pairs = [
  { species = "Li", D_eV = 0.001114, alpha_per_A = 3.429506, r0_A = 2.68136 },
  { species = ["O", "O"], D_eV = nan, alpha_per_A = 1.379316, r0_A = -inf },
]

[[potential.terms]]
type = "coulomb_ewald"
accuracy = 1
charges_e = { Li = true, O = -1.2 }
)";
  EXPECT_EQ(errors_of(text),
            (std::vector<std::string>{
                error_at(text, "name = |7", "name", "expected a string, got an integer (7)"),
                error_at(text, "cutoff_A = |\"5.5\"", "potential.terms[0].cutoff_A",
                         "expected a number (a setting with its unit in the name), got a string (\"5.5\")"),
                error_at(text, "species = |\"Li\"", "potential.terms[0].pairs[0].species",
                         "expected two species names, e.g. [\"Li\", \"O\"], got a string (\"Li\")"),
                error_at(text, "D_eV = |nan", "potential.terms[0].pairs[1].D_eV", "must be a finite number, got nan"),
                error_at(text, "r0_A = |-inf", "potential.terms[0].pairs[1].r0_A", "must be a finite number, got -inf"),
                error_at(text, "Li = |true", "potential.terms[1].charges_e.Li",
                         "expected a number (a charge in e), got a boolean (true)"),
            }));  // accuracy = 1 is not among them: an integer is the float it names
}

TEST(PotentialFileReader, MissingRequiredKeysAreReportedAtTheirTable) {
  const std::string text = edited({{"cutoff_A = 5.5\n", ""},
                                    {"D_eV = 0.001114, ", ""},
                                    {"species = [\"O\", \"O\"], ", ""}});
  EXPECT_EQ(errors_of(text),
            (std::vector<std::string>{
                error_at(text, "[[potential.terms]]\ntype = \"morse\"", "potential.terms[0].cutoff_A",
                         "missing required key 'cutoff_A'"),
                error_at(text, "{ species = [\"Li\"", "potential.terms[0].pairs[0].D_eV", "missing required key 'D_eV'"),
                error_at(text, "{ D_eV = 0.042395", "potential.terms[0].pairs[1].species",
                         "missing required key 'species'"),
            }));
  EXPECT_EQ(errors_of("name = \"x\"\n"),
            (std::vector<std::string>{"pot.toml:1:1: error: potential: missing required section [potential]"}));
}

TEST(PotentialFileReader, SyntaxErrorsAndUnreadableFiles) {
  const auto errors = errors_of("[potential\ntype = \"sum\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("pot.toml:1:", 0), 0u) << errors[0];
  EXPECT_NE(errors[0].find("TOML syntax"), std::string::npos) << errors[0];
  try {
    (void)read_potential_file("/nonexistent/pot.toml");
    ADD_FAILURE() << "a missing file was read";
  } catch (const StudyError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].line, 0);  // no position: the file itself
    EXPECT_EQ(e.diagnostics()[0].message.rfind("cannot open the potential file", 0), 0u) << e.diagnostics()[0].message;
  }
}
