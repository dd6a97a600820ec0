// The ionhop command line end to end, in-process: exit codes, bad input that loses nothing,
// and determinism of the results file across thread counts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/H5File.hpp"
#include "inputs/LatticePrototypes.hpp"
#include "lattice/Prototypes.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using ionhop::app::H5File;
using ionhop::testing::cli;

namespace {

constexpr const char* kSmallStudy = R"(
[study]
name = "small"

[lattice]
prototype = "sc"
a_A = 2.5
supercell = [4, 4, 4]

[[species]]
name = "Li"
charge = 1
concentration = 0.5

[[interactions]]
species = ["Li", "Li"]
shell_energies_eV = [0.02]

[[hops]]
from = "A"
to = "A"
barrier_eV = 0.2

[run]
temperatures_K = [400, 600]
events = 4000
equilibration_events = 500
samples = 40
max_lag_samples = 5
replicas = 3
seed = 7
)";

class CliTest : public ionhop::testing::ScratchDirTest {
 protected:
  CliTest() : ScratchDirTest("cli") {}
};

TEST_F(CliTest, VersionAndHelpSucceed) {
  EXPECT_EQ(cli({"--version"}).code, 0);
  EXPECT_EQ(cli({"--help"}).code, 0);
  for (const char* sub : {"run", "check", "plot"}) {
    const auto r = cli({sub, "--help"});
    EXPECT_EQ(r.code, 0) << sub;
    EXPECT_NE(r.out.find("usage: ionhop"), std::string::npos) << sub;
  }
  EXPECT_EQ(cli({}).code, 2);
  EXPECT_EQ(cli({"frobnicate"}).code, 2);
}

TEST_F(CliTest, CheckPrintsTheResolvedStudyAndItsHopClasses) {
  const auto study = write("small.toml", kSmallStudy);
  const auto r = cli({"check", study.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("class 0: A -> A"), std::string::npos);
  EXPECT_NE(r.out.find("space group of order 48"), std::string::npos);
}

struct BadInput {
  const char* name;
  std::string text;
  const char* expected_in_message;
};

TEST_F(CliTest, BadInputGivesAClearErrorExitCodeTwoAndLeavesNothingBehind) {
  std::string study = kSmallStudy;
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = study;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<BadInput> cases = {
      {"unknown_key", replace("seed = 7", "sed = 7"), "did you mean 'seed'"},
      {"wrong_type", replace("replicas = 3", "replicas = \"three\""), "replicas"},
      {"syntax", replace("a_A = 2.5", "a_A = = 2.5"), "bad.toml:"},
      {"out_of_range", replace("concentration = 0.5", "concentration = 1.5"), "concentration"},
      {"too_small_supercell", replace("supercell = [4, 4, 4]", "supercell = [1, 1, 1]"), "supercell"},
      {"unknown_type", replace("from = \"A\"", "from = \"B\""), "B"},
  };
  const fs::path out = dir_ / "results.h5";
  std::ofstream(out) << "previous results";
  for (const auto& c : cases) {
    const auto study_path = write("bad.toml", c.text);
    const auto r = cli({"run", study_path.string(), "-o", out.string(), "--threads", "1"});
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected_in_message), std::string::npos) << c.name << ": " << r.err;
    // The previous results file is untouched and no temporary file is left.
    std::ifstream in(out);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "previous results") << c.name;
    EXPECT_EQ(file_names(), (std::vector<std::string>{"bad.toml", "results.h5"})) << c.name;
  }
  // Errors carry file:line:column.
  const auto study_path = write("bad.toml", replace("seed = 7", "sed = 7"));
  const auto r = cli({"check", study_path.string()});
  EXPECT_NE(r.err.find("bad.toml:31:1: error"), std::string::npos) << r.err;
  EXPECT_EQ(cli({"run", (dir_ / "missing.toml").string()}).code, 2);
  EXPECT_EQ(cli({"run", study_path.string(), "--threads", "zero"}).code, 2);
}

// Every dataset and every attribute except the run metadata, as text, for comparison.
void dump(const H5File& f, const std::string& path, std::ostringstream& o) {
  for (const auto& name : f.children(path)) {
    const std::string p = (path == "/" ? "" : path) + "/" + name;
    if (f.is_group(p)) {
      for (const auto& a : f.attribute_names(p)) {
        if (a == "wall_time_s" || a == "threads" || a == "created_utc") continue;
        o << p << "@" << a << "\n";
        try {
          o << f.read_double_attribute(p, a) << "\n";
        } catch (...) {
        }
      }
      dump(f, p, o);
    } else {
      o << p << "\n";
      try {
        const auto v = f.read_double_array(p);
        for (double x : v.values) o << x << " ";
      } catch (...) {
        try {
          for (double x : f.read_doubles(p)) o << x << " ";
        } catch (...) {
        }
      }
      o << "\n";
    }
  }
}

TEST_F(CliTest, SameSeedGivesIdenticalResultsWithOneAndTwoThreads) {
  const auto study = write("small.toml", kSmallStudy);
  const auto one = dir_ / "one.h5", two = dir_ / "two.h5";
  auto r1 = cli({"run", study.string(), "-o", one.string(), "--threads", "1"});
  ASSERT_EQ(r1.code, 0) << r1.err;
  auto r2 = cli({"run", study.string(), "-o", two.string(), "--threads", "2"});
  ASSERT_EQ(r2.code, 0) << r2.err;
  std::ostringstream a, b;
  a.precision(17);
  b.precision(17);
  dump(H5File::open_read_only(one), "/", a);
  dump(H5File::open_read_only(two), "/", b);
  EXPECT_GT(a.str().size(), 1000u);
  EXPECT_EQ(a.str(), b.str());
  EXPECT_EQ(H5File::open_read_only(one).read_int64_attribute("/", "threads"), 1);
  EXPECT_EQ(H5File::open_read_only(two).read_int64_attribute("/", "threads"), 2);
}

TEST(Prototypes, InputsAndLatticeAgreeOnPrototypeSiteTypes) {
  // inputs/ keeps its own copy of the prototype names and site types (it may not call into
  // lattice/); this keeps the two in step.
  const auto& names = ionhop::lattice::prototype_names();
  ASSERT_EQ(ionhop::inputs::lattice_prototypes().size(), names.size());
  for (const auto& n : names) {
    const auto* p = ionhop::inputs::find_lattice_prototype(n);
    ASSERT_NE(p, nullptr) << n;
    EXPECT_EQ(std::vector<std::string>(p->site_types.begin(), p->site_types.end()),
              ionhop::lattice::prototype_site_types(n))
        << n;
  }
}

}  // namespace

namespace {

TEST_F(CliTest, ConcentrationThatGivesNoWholeNumberOfIonsIsRejected) {
  // Bug found while writing the examples: 0.2507 × 64 sites was silently rounded to 16 ions.
  std::string study = kSmallStudy;
  study.replace(study.find("concentration = 0.5"), 19, "concentration = 0.2507");
  const auto path = write("fraction.toml", study);
  const auto r = cli({"check", path.string()});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.err.find("not a whole number"), std::string::npos) << r.err;
}

}  // namespace

namespace {

TEST(BundledStudies, EveryExampleStudySetsUp) {
  // Parsing is tested in tests/inputs; this builds each study's lattice, hop classes and model.
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(IONHOP_SOURCE_DIR) / "inputs/studies")) {
    if (e.path().extension() != ".toml") continue;
    ++n;
    const auto r = cli({"check", e.path().string()});
    EXPECT_EQ(r.code, 0) << e.path() << "\n" << r.err;
    EXPECT_NE(r.out.find("# hop classes"), std::string::npos) << e.path();
  }
  EXPECT_GE(n, 6);
}

}  // namespace
