// The relax / NEB job-file reader: typed values, defaults left to neb/, and every problem
// reported with its file:line:column (positions taken from the text itself).
#include "inputs/RelaxNebReader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "inputs/PotentialFileReader.hpp"
#include "inputs/RelaxNebSchema.hpp"
#include "inputs/StudyError.hpp"
#include "StudyTestSupport.hpp"

namespace fs = std::filesystem;
using namespace ionhop::inputs;
using ionhop::inputs::testing::position_of;
using ionhop::inputs::testing::replaced;

namespace {

constexpr const char* kRelaxJob = R"([job]
name = "lj"

[structure]
file = "cell.xyz"
supercell = [2, 2, 2]

[potential]
type = "lennard_jones"
cutoff_A = 4.8
pairs = [{ species = ["Cu", "Cu"], epsilon_eV = 0.4, sigma_A = 2.3 }]

[relax]
method = "fire"
fmax_eV_A = 0.005
max_steps = 300
cell = "orthorhombic"
)";

constexpr const char* kNebJob = R"([job]
name = "hop"

[structure]
file = "host.vasp"

[potential]
file = "/nonexistent/but/not/read/when/inline"

[neb]
images = 5
springs = "energy_weighted"
spring_eV_A2 = 0.2
spring_min_eV_A2 = 0.05
climb = false
path = "idpp"

[hop]
mechanism = "vacancy"
moving_atom = 3
vacancy_site = 7
)";

AtomisticJob read_relax(const std::string& text) {
  return read_atomistic_job_string(text, "job.toml", AtomisticJobKind::relax, "/jobs");
}
AtomisticJob read_neb(const std::string& text) {
  return read_atomistic_job_string(text, "job.toml", AtomisticJobKind::neb, "/jobs");
}

std::vector<Diagnostic> errors_of(const std::string& text, AtomisticJobKind kind) {
  try {
    read_atomistic_job_string(text, "job.toml", kind, "/jobs");
  } catch (const StudyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "no StudyError for:\n" << text;
  return {};
}

/// Asserts one diagnostic at the position of `needle`, for `key_path`, containing `message`.
void expect_diagnostic(const std::vector<Diagnostic>& d, std::size_t i, const std::string& text,
                       std::string_view needle, const std::string& key_path, const std::string& message) {
  ASSERT_LT(i, d.size());
  const auto at = position_of(text, needle);
  EXPECT_EQ(d[i].file, "job.toml");
  EXPECT_EQ(d[i].line, at.line) << d[i].message;
  EXPECT_EQ(d[i].column, at.column) << d[i].message;
  EXPECT_EQ(d[i].key_path, key_path);
  EXPECT_NE(d[i].message.find(message), std::string::npos) << d[i].message;
}

/// The NEB job with an inline potential instead of the file.
std::string neb_inline() {
  return replaced(kNebJob, R"(file = "/nonexistent/but/not/read/when/inline")",
                  "type = \"lennard_jones\"\ncutoff_A = 4.8\npairs = [{ species = [\"Cu\", \"Cu\"], epsilon_eV = 0.4, sigma_A = 2.3 }]");
}

}  // namespace

TEST(RelaxNebReader, ReadsARelaxJobWithAnInlinePotential) {
  const AtomisticJob job = read_relax(kRelaxJob);
  EXPECT_EQ(job.name, "lj");
  ASSERT_TRUE(job.structure.has_value());
  EXPECT_EQ(job.structure->file, fs::path("/jobs/cell.xyz"));
  EXPECT_EQ(job.structure->supercell, (std::array<int, 3>{2, 2, 2}));
  EXPECT_TRUE(job.potential.file.empty());
  EXPECT_EQ(job.potential.spec.type, "lennard_jones");
  EXPECT_EQ(job.potential.spec.settings.at("cutoff_A"), 4.8);
  ASSERT_EQ(job.potential.spec.pairs.size(), 1u);
  EXPECT_EQ(job.potential.spec.pairs[0].values.at("epsilon_eV"), 0.4);
  EXPECT_EQ(job.potential.spec.origin, "job.toml:8");  // the [potential] header
  EXPECT_EQ(job.relax.method, JobOptimizer::fire);
  EXPECT_EQ(job.relax.fmax_eV_A, 0.005);
  EXPECT_EQ(job.relax.max_steps, 300);
  EXPECT_FALSE(job.relax.max_step_A.has_value());  // the default stays neb's
  EXPECT_EQ(job.relax.cell, JobCellRelax::orthorhombic);
  EXPECT_EQ(job.locations.find("relax.max_steps").line, position_of(kRelaxJob, "max_steps").line);
}

TEST(RelaxNebReader, ReadsAnNebJob) {
  const AtomisticJob job = read_neb(neb_inline());
  EXPECT_EQ(job.neb.images, 5);
  EXPECT_EQ(job.neb.springs, JobSprings::energy_weighted);
  EXPECT_EQ(job.neb.spring_eV_A2, 0.2);
  EXPECT_EQ(job.neb.spring_min_eV_A2, 0.05);
  EXPECT_EQ(job.neb.climb, false);
  EXPECT_EQ(job.neb.path, JobInitialPath::idpp);
  EXPECT_FALSE(job.neb.fmax_eV_A.has_value());
  EXPECT_EQ(job.hop.mechanism, JobHopMechanism::vacancy);
  EXPECT_EQ(job.hop.moving_atom, 3u);
  EXPECT_EQ(job.hop.vacancy_site, 7u);
}

TEST(RelaxNebReader, InlinePotentialEqualsTheParameterFileReading) {
  // The inline table goes through the parameter-file reader after a TOML round trip: numbers
  // must come back bit for bit, including ones without a short decimal form.
  const std::string table = R"(type = "sum"
[[potential.terms]]
type = "morse"
cutoff_A = 5.5
pairs = [{ species = ["Li", "O"], D_eV = 0.001114, alpha_per_A = 3.429506, r0_A = 0.30000000000000004 }]
[[potential.terms]]
type = "coulomb_ewald"
accuracy = 1e-6
charges_e = { Li = 0.6, O = -1.2 }
)";
  const AtomisticJob job = read_relax("[job]\nname = \"x\"\n[structure]\nfile = \"a.cif\"\n[potential]\n" + table);
  const PotentialFile direct = parse_potential_file("[potential]\n" + table, "direct");
  {
    auto strip = [](ionhop::neb::PotentialSpec s) {
      s.origin.clear();
      for (auto& t : s.terms) t.origin.clear();
      return s;
    };
    EXPECT_EQ(strip(job.potential.spec), strip(direct.potential));
    EXPECT_EQ(job.potential.spec.terms.at(0).pairs.at(0).values.at("r0_A"), 0.1 + 0.2);
    EXPECT_EQ(job.potential.spec.terms.at(1).origin, "job.toml:11");  // its [[potential.terms]] header
  }
}

TEST(RelaxNebReader, UnknownKeysSuggestTheNearestAndEveryErrorIsReported) {
  std::string text = replaced(kRelaxJob, "fmax_eV_A = 0.005", "fmax_eV = 0.005");
  text = replaced(text, "max_steps = 300", "max_steps = 300.0");
  text = replaced(text, "cell = \"orthorhombic\"", "cell = \"isotropc\"");
  text = replaced(text, "supercell = [2, 2, 2]", "supercell = [2, 0, 2]");
  const auto d = errors_of(text, AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 4u);
  expect_diagnostic(d, 0, text, "supercell = [2, |0", "structure.supercell[1]", "must be in [1, 1000], got 0");
  expect_diagnostic(d, 1, text, "fmax_eV =", "relax.fmax_eV", "did you mean 'fmax_eV_A'?");
  expect_diagnostic(d, 2, text, "max_steps = |300.0", "relax.max_steps",
                    "expected an integer, got a float (300.0); write it as 300");
  expect_diagnostic(d, 3, text, "cell = |\"isotropc\"", "relax.cell", "did you mean \"isotropic\"?");
  EXPECT_EQ(format_diagnostic(d[1]).rfind("job.toml:" + std::to_string(d[1].line) + ":1: error: relax.fmax_eV:", 0), 0u);
}

TEST(RelaxNebReader, SectionsAreCheckedPerKindOfJob) {
  const std::string with_neb = std::string(kRelaxJob) + "\n[neb]\nimages = 3\n";
  auto d = errors_of(with_neb, AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 1u);
  expect_diagnostic(d, 0, with_neb, "[|neb]", "neb", "belongs to an NEB job file");

  const std::string typo = replaced(kRelaxJob, "[relax]", "[relx]");
  d = errors_of(typo, AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("did you mean 'relax'?"), std::string::npos) << d[0].message;

  const std::string no_hop = neb_inline().substr(0, neb_inline().find("[hop]"));
  d = errors_of(no_hop, AtomisticJobKind::neb);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "missing required section [hop]");
}

TEST(RelaxNebReader, HopKeysMustFitTheMechanism) {
  const std::string same = replaced(neb_inline(), "vacancy_site = 7", "vacancy_site = 3");
  auto d = errors_of(same, AtomisticJobKind::neb);
  ASSERT_EQ(d.size(), 1u);
  expect_diagnostic(d, 0, same, "vacancy_site = |3", "hop.vacancy_site", "must differ from moving_atom");

  const std::string interstitial = replaced(neb_inline(), "mechanism = \"vacancy\"", "mechanism = \"interstitial\"");
  d = errors_of(interstitial, AtomisticJobKind::neb);
  ASSERT_EQ(d.size(), 5u);  // species, from, to missing (at [hop]); moving_atom, vacancy_site do not apply
  EXPECT_EQ(d[0].key_path, "hop.species");
  expect_diagnostic(d, 3, interstitial, "moving_atom = |3", "hop.moving_atom", "does not apply to mechanism = \"interstitial\"");

  std::string band = replaced(neb_inline(), "mechanism = \"vacancy\"\nmoving_atom = 3\nvacancy_site = 7",
                              "mechanism = \"band\"\ninitial = \"a.xyz\"\nfinal = \"b.xyz\"");
  d = errors_of(band, AtomisticJobKind::neb);
  ASSERT_EQ(d.size(), 1u);
  expect_diagnostic(d, 0, band, "[structure]", "structure", "does not apply to mechanism = \"band\"");
  band = replaced(band, "[structure]\nfile = \"host.vasp\"\n", "");
  const AtomisticJob job = read_neb(band);
  EXPECT_FALSE(job.structure.has_value());
  EXPECT_EQ(job.hop.initial_file, fs::path("/jobs/a.xyz"));
  EXPECT_EQ(job.hop.final_file, fs::path("/jobs/b.xyz"));
}

TEST(RelaxNebReader, InlinePotentialProblemsPointIntoTheJobFile) {
  const std::string text = replaced(kRelaxJob, "pairs = [{ species = [\"Cu\", \"Cu\"], epsilon_eV = 0.4",
                                    "pairs = [{ species = \"Cu\", epsilon_eV = \"0.4\"");
  const auto d = errors_of(text, AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 2u);
  expect_diagnostic(d, 0, text, "species = |\"Cu\"", "potential.pairs[0].species", "expected two species names");
  expect_diagnostic(d, 1, text, "epsilon_eV = |\"0.4\"", "potential.pairs[0].epsilon_eV", "expected a number");
}

TEST(RelaxNebReader, PotentialFileIsReadAndItsProblemsReported) {
  const fs::path dir = fs::temp_directory_path() / ("ionhop_relaxneb_reader_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream(dir / "pot.toml") << "name = \"lj\"\ncitation = \"none\"\n[potential]\ntype = \"lennard_jones\"\n"
                                       "cutoff_A = 4.0\npairs = [{ species = [\"Ar\", \"Ar\"], epsilon_eV = 0.01, sigma_A = 3.4 }]\n";
    std::ofstream(dir / "bad.toml") << "[potential]\ntype = \"lennard_jones\"\ncutoff_A = \"x\"\n";
  }
  const std::string job_text = "[job]\nname = \"ar\"\n[structure]\nfile = \"ar.xyz\"\n[potential]\nfile = \"pot.toml\"\n";
  std::ofstream(dir / "job.toml") << job_text;
  const AtomisticJob job = read_atomistic_job_file(dir / "job.toml", AtomisticJobKind::relax);
  EXPECT_EQ(job.potential.file, dir / "pot.toml");
  EXPECT_EQ(job.potential.name, "lj");
  EXPECT_EQ(job.potential.spec.pairs.at(0).values.at("sigma_A"), 3.4);
  EXPECT_EQ(job.structure->file, dir / "ar.xyz");

  auto d = errors_of(replaced(job_text, "pot.toml", "missing.toml") + "cutoff_A = 3.0\n", AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].key_path, "potential.file");
  EXPECT_NE(d[0].message.find("cannot read the potential file"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].key_path, "potential.cutoff_A");
  EXPECT_NE(d[1].message.find("cannot be combined with 'file'"), std::string::npos) << d[1].message;

  std::ofstream(dir / "job.toml") << replaced(job_text, "pot.toml", "bad.toml");
  try {
    read_atomistic_job_file(dir / "job.toml", AtomisticJobKind::relax);
    ADD_FAILURE() << "bad potential file accepted";
  } catch (const StudyError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].file, (dir / "bad.toml").string());  // reported in the potential file
    EXPECT_EQ(e.diagnostics()[0].line, 3);
  }
  fs::remove_all(dir);
}

TEST(RelaxNebReader, SyntaxErrorsAndUnreadableFiles) {
  auto d = errors_of("[job\nname = 1", AtomisticJobKind::relax);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_NE(d[0].message.find("TOML syntax"), std::string::npos);
  EXPECT_THROW(read_atomistic_job_file("/nonexistent/job.toml", AtomisticJobKind::neb), StudyError);
}

TEST(RelaxNebReader, TheFormatPageListsEveryKeyOfTheSchema) {
  std::ifstream in(std::string(IONHOP_SOURCE_DIR) + "/docs/relax-neb-format.md");
  ASSERT_TRUE(in) << "docs/relax-neb-format.md is missing";
  std::ostringstream page;
  page << in.rdbuf();
  EXPECT_NE(page.str().find(format_relax_neb_schema_reference()), std::string::npos)
      << "docs/relax-neb-format.md must embed format_relax_neb_schema_reference() verbatim:\n"
      << format_relax_neb_schema_reference();
}
