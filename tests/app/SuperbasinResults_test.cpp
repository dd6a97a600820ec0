// The [superbasin] section end to end through `ionhop run`: the per-temperature `superbasin`
// group of the results file, the summary line, and bad superbasin input (exit 2, no file).
//
// The lattice is a cage conductor with a closed form for the escape rate: a cubic cell
// (a = 6 Å) holds a cage of six sites C, an octahedron at the cell centre ± 0.9 Å along x, y, z,
// joined by fast hops along its edges (1.27 Å, E_KRA 0.10 eV); each C site faces one bridge
// site B at a face centre (2.1 Å, E_KRA 0.35 eV, B 0.2 eV above C). A single ion leaves its
// cage at Γ_CB = ν exp(−(0.35 + 0.2/2) eV / k_BT) whatever the cage site it sits on (one B exit
// per site; the in-cage hops equilibrate 10⁵ times faster), and a B site is left within
// ~10⁻⁹ s, so the escapes of one replica over a time t are a Poisson count of mean Γ_CB t.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/H5File.hpp"
#include "lattice/Units.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using ionhop::app::H5File;
using ionhop::testing::cli;

namespace {

constexpr double kTemperatureK = 300.0;
constexpr double kTimeS = 1e-2;
constexpr int kReplicas = 2;

const std::string kCageStudy = R"(
[study]
name = "cages"

[lattice]
cell_A = [[6.0, 0.0, 0.0], [0.0, 6.0, 0.0], [0.0, 0.0, 6.0]]
supercell = [2, 2, 2]

[[lattice.basis]]
type = "C"
fractional = [0.65, 0.5, 0.5]
[[lattice.basis]]
type = "C"
fractional = [0.35, 0.5, 0.5]
[[lattice.basis]]
type = "C"
fractional = [0.5, 0.65, 0.5]
[[lattice.basis]]
type = "C"
fractional = [0.5, 0.35, 0.5]
[[lattice.basis]]
type = "C"
fractional = [0.5, 0.5, 0.65]
[[lattice.basis]]
type = "C"
fractional = [0.5, 0.5, 0.35]
[[lattice.basis]]
type = "B"
fractional = [0.0, 0.5, 0.5]
[[lattice.basis]]
type = "B"
fractional = [0.5, 0.0, 0.5]
[[lattice.basis]]
type = "B"
fractional = [0.5, 0.5, 0.0]

[[site_types]]
name = "C"
energy_eV = 0.0
[[site_types]]
name = "B"
energy_eV = 0.2

[[species]]
name = "Li"
charge = 1
count = 1

[[hops]]
from = "C"
to = "C"
max_distance_A = 1.3
barrier_eV = 0.10

[[hops]]
from = "C"
to = "B"
max_distance_A = 2.2
barrier_eV = 0.35

[run]
temperatures_K = [300]
time_s = 1e-2
samples = 20
max_lag_samples = 5
replicas = 2
seed = 11

[superbasin]
method = "local"
plain_pilot_events = 20000
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class SuperbasinResults : public ionhop::testing::ScratchDirTest {
 protected:
  SuperbasinResults() : ScratchDirTest("sb") {}
};

TEST_F(SuperbasinResults, LocalMethodRecordsEscapesAndAcceleration) {
  const fs::path study = write("cages.toml", kCageStudy);
  const fs::path h5 = dir_ / "cages.h5";
  const auto r = cli({"run", study.string(), "-o", h5.string(), "--threads", "2"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Superbasin acceleration"), std::string::npos) << r.out;

  const H5File f = H5File::open_read_only(h5);
  const std::string g = "/temperatures/T_000/superbasin";
  ASSERT_TRUE(f.is_group(g));
  EXPECT_EQ(f.read_string_attribute(g, "method"), "local");
  EXPECT_EQ(f.read_string_attribute(g, "detection"), "both");
  EXPECT_EQ(f.read_int64_attribute(g, "max_basin_sites"), 32);
  EXPECT_EQ(f.read_int64_attribute(g, "plain_pilot_events"), 20000);

  // Escapes: a Poisson count of mean R Γ_CB t (see the header); 5 standard deviations.
  const double kT = ionhop::units::kBoltzmann_eV_per_K * kTemperatureK;
  const double escape_rate = 1e13 * std::exp(-(0.35 + 0.2 / 2) / kT);
  const double expected = kReplicas * escape_rate * kTimeS;  // ≈ 5500
  const auto escapes = f.read_int64_attribute(g, "escapes");
  EXPECT_NEAR(static_cast<double>(escapes), expected, 5 * std::sqrt(expected));
  EXPECT_GT(escapes, 0);
  // Every activation is of one six-site cage; at most one is still active at the end of each
  // replica, and an ion starting on a B site enters its first cage without an escape.
  EXPECT_NEAR(static_cast<double>(f.read_int64_attribute(g, "activations")), static_cast<double>(escapes),
              kReplicas);
  const auto sites = f.read_int64s(g + "/basin_sites_histogram");
  ASSERT_EQ(sites.size(), 7u);
  EXPECT_EQ(sites[6], f.read_int64_attribute(g, "activations"));
  EXPECT_EQ(f.read_int64_attribute(g, "basins_by_barrier"), kReplicas * 8);  // 8 cages per replica
  EXPECT_EQ(f.read_int64_attribute(g, "dissolutions"), 0);                   // one ion: always isolated
  // Each escape lands on a bridge site, which the ion leaves by one ordinary B → C hop
  // (class 1); in-cage hops (class 0) are all inside the escapes.
  const auto hops = f.read_int64_array("/temperatures/T_000/events/per_hop_class");
  long long in_cage = 0, bridge = 0;
  for (std::size_t rep = 0; rep < hops.rows; ++rep) {
    in_cage += hops(rep, 0);
    bridge += hops(rep, 1);
  }
  EXPECT_EQ(in_cage, 0);
  EXPECT_NEAR(static_cast<double>(bridge), static_cast<double>(escapes), kReplicas);
  // The solves are accurate: the cage chain is well conditioned (in-cage / exit rate ≈ 10⁶).
  EXPECT_LT(f.read_double_attribute(g, "max_relative_residual"), 1e-6);
  EXPECT_GT(f.read_double_attribute(g, "min_reciprocal_condition"), 0.0);

  // Acceleration: the plain pilot reaches ~1e-8 s of simulated time in its 20000 in-cage hops,
  // the accelerated replicas 1e-2 s in ~10⁴ events; a factor ~10⁵ that wall-clock noise cannot
  // bring near 1.
  const double accelerated = f.read_double_attribute(g, "accelerated_time_per_wall_s");
  const double plain = f.read_double_attribute(g, "plain_time_per_wall_s");
  EXPECT_GT(plain, 0.0);
  EXPECT_GT(accelerated, 0.0);
  EXPECT_DOUBLE_EQ(f.read_double_attribute(g, "acceleration"), accelerated / plain);
  EXPECT_GT(f.read_double_attribute(g, "acceleration"), 100.0);
}

TEST_F(SuperbasinResults, CountersDoNotDependOnTheThreadCount) {
  // Two ions, so that basins are also dissolved and refused; everything but the three
  // wall-clock attributes must be identical with 1 and 2 threads.
  const fs::path study =
      write("two.toml", replaced(replaced(kCageStudy, "count = 1", "count = 2"), "time_s = 1e-2", "time_s = 2e-3"));
  const fs::path one = dir_ / "one.h5", two = dir_ / "two.h5";
  ASSERT_EQ(cli({"run", study.string(), "-o", one.string(), "--threads", "1"}).code, 0);
  ASSERT_EQ(cli({"run", study.string(), "-o", two.string(), "--threads", "2"}).code, 0);
  const H5File a = H5File::open_read_only(one), b = H5File::open_read_only(two);
  const std::string g = "/temperatures/T_000/superbasin";
  int compared = 0;
  for (const std::string& name : a.attribute_names(g)) {
    if (name == "accelerated_time_per_wall_s" || name == "plain_time_per_wall_s" || name == "acceleration") continue;
    if (name == "method" || name == "detection") {
      EXPECT_EQ(a.read_string_attribute(g, name), b.read_string_attribute(g, name)) << name;
    } else {
      auto value = [&](const H5File& f) {
        try {
          return static_cast<double>(f.read_int64_attribute(g, name));  // counters and bounds
        } catch (const ionhop::app::H5Error&) {
          return f.read_double_attribute(g, name);
        }
      };
      const double x = value(a), y = value(b);
      EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << name << ": " << x << " vs " << y;
    }
    ++compared;
  }
  EXPECT_GE(compared, 20);
  EXPECT_EQ(a.read_int64s(g + "/basin_states_histogram"), b.read_int64s(g + "/basin_states_histogram"));
  EXPECT_GT(a.read_int64_attribute(g, "escapes"), 0);
}

TEST_F(SuperbasinResults, McamcWithOneIonRunsAndPlainRunHasNoGroup) {
  const fs::path mcamc = write("mcamc.toml", replaced(kCageStudy, "method = \"local\"", "method = \"mcamc\""));
  const fs::path h5 = dir_ / "mcamc.h5";
  auto r = cli({"run", mcamc.string(), "-o", h5.string(), "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(H5File::open_read_only(h5).read_string_attribute("/temperatures/T_000/superbasin", "method"), "mcamc");
  EXPECT_GT(H5File::open_read_only(h5).read_int64_attribute("/temperatures/T_000/superbasin", "escapes"), 0);

  // Plain KMC needs ~10⁶ in-cage hops per escape here: run it for 1 ns only.
  const fs::path plain = write(
      "plain.toml", replaced(replaced(kCageStudy, "method = \"local\"", "method = \"none\""), "time_s = 1e-2", "time_s = 1e-9"));
  const fs::path plain_h5 = dir_ / "plain.h5";
  r = cli({"run", plain.string(), "-o", plain_h5.string(), "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(H5File::open_read_only(plain_h5).exists("/temperatures/T_000/superbasin"));
  EXPECT_EQ(r.out.find("Superbasin acceleration"), std::string::npos);
}

TEST_F(SuperbasinResults, BadSuperbasinInputExitsTwoAndWritesNothing) {
  struct Case {
    const char* name;
    std::string text;
    const char* expected_in_message;
  };
  const std::vector<Case> cases = {
      {"unknown method", replaced(kCageStudy, "method = \"local\"", "method = \"locl\""),
       "did you mean \"local\"?"},
      {"out of range", replaced(kCageStudy, "plain_pilot_events = 20000", "max_basin_sites = 1"),
       "superbasin.max_basin_sites"},
      {"unknown key", replaced(kCageStudy, "plain_pilot_events = 20000", "cache_sise = 10"),
       "did you mean 'cache_size'?"},
      {"mcamc with two ions",
       replaced(replaced(kCageStudy, "method = \"local\"", "method = \"mcamc\""), "count = 1", "count = 2"),
       "use method = \"local\" or \"rate-scaling\""},
  };
  for (const Case& c : cases) {
    const fs::path study = write("bad.toml", c.text);
    const fs::path h5 = dir_ / "bad.h5";
    const auto r = cli({"run", study.string(), "-o", h5.string(), "--threads", "1"});
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expected_in_message), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(fs::exists(h5)) << c.name;
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_)) ++files;
    EXPECT_EQ(files, 1u) << c.name << ": only the study file";
  }
}

}  // namespace
