// Runs app/plot_results.py with Debian's interpreter on results files written by H5File in the
// layout of docs/results-format.md, so the C++ writer, the documented layout and the Python
// reader are checked against each other.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/H5File.hpp"
#include "lattice/Units.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace ionhop::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

fs::path script_path() { return fs::path(IONHOP_SOURCE_DIR) / "app" / "plot_results.py"; }

/// Exit status of a shell command (or -1 if it did not exit normally).
int run(const std::string& command) {
  const int status = std::system(command.c_str());
  return (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
}

bool python_can_plot() {
  return run(std::string(kPython) + " -c 'import matplotlib, h5py, numpy' >/dev/null 2>&1") == 0;
}

/// A synthetic results file with every group and dataset of the documented layout: one mobile
/// species "Li" with an Arrhenius D*(T) (E_a = 0.30 eV), R replicas whose MSDs differ by a few
/// per cent, and the summary/Arrhenius numbers that such a run would report.
void write_synthetic_results(const fs::path& path, const std::vector<double>& temperatures_K, bool with_arrhenius) {
  constexpr double kEa_eV = 0.30;
  constexpr double kD0_cm2_s = 1e-3;
  constexpr double kSigmaT0_SK_cm = 5e4;
  constexpr std::size_t kReplicas = 3, kLags = 25;
  const std::vector<std::string> species = {"Li"};
  const double kT = units::kBoltzmann_eV_per_K;

  H5File h5 = H5File::create(path);
  h5.set_attribute("/", "format", "ionhop-results");
  h5.set_attribute("/", "format_version", 1);
  h5.set_attribute("/", "ionhop_version", "0.1.0");
  h5.set_attribute("/", "study_name", "synthetic LLZO-like test");
  h5.set_attribute_uint64("/", "seed", 42);
  h5.set_attribute("/", "threads", 2);
  h5.set_attribute("/", "wall_time_s", 1.25);
  h5.set_attribute("/", "created_utc", "2026-01-01T00:00:00Z");
  h5.write_dataset("/study/text", std::string_view("[study]\nname = \"synthetic\"\n"), "1");
  h5.write_dataset("/study/resolved", std::string_view("[study]\nname = \"synthetic\"\nseed = 42\n"), "1");

  h5.create_group("/lattice");
  h5.set_attribute("/lattice", "n_sites", 96);
  h5.set_attribute("/lattice", "volume_A3", 2100.5);
  h5.set_attribute("/lattice", "dimension", 3);
  h5.set_attribute("/lattice", "n_hop_classes", 2);
  h5.write_dataset("/lattice/hop_classes/from_type", std::vector<std::string>{"24d", "96h"}, "1");
  h5.write_dataset("/lattice/hop_classes/to_type", std::vector<std::string>{"96h", "96h"}, "1");
  h5.write_dataset("/lattice/hop_classes/distance_A", std::vector<double>{1.6, 2.4}, "angstrom");
  h5.write_dataset("/lattice/hop_classes/multiplicity", std::vector<std::int64_t>{192, 96}, "1");
  h5.write_dataset("/lattice/hop_classes/barrier_eV", std::vector<double>{0.3, 0.45}, "eV");
  h5.write_dataset("/lattice/hop_classes/attempt_frequency_Hz", std::vector<double>{1e13, 1e13}, "Hz");

  std::vector<double> d_tracer, sigma;
  for (std::size_t t = 0; t < temperatures_K.size(); ++t) {
    const double T = temperatures_K[t];
    const double d_cm2_s = kD0_cm2_s * std::exp(-kEa_eV / (kT * T));
    const double d_A2_s = d_cm2_s / (units::kAngstrom_cm * units::kAngstrom_cm);
    d_tracer.push_back(d_cm2_s);
    sigma.push_back(kSigmaT0_SK_cm / T * std::exp(-kEa_eV / (kT * T)));

    std::string index = std::to_string(t);
    index.insert(0, index.size() < 3 ? 3 - index.size() : 0, '0');
    const std::string group = "/temperatures/T_" + index;
    h5.create_group(group);
    h5.set_attribute(group, "temperature_K", T);
    const double t_max = 200.0 / (6.0 * d_A2_s);  // the MSD reaches 200 Å² at the last lag
    std::vector<double> lag(kLags);
    RowMajorArray<double> tracer{kReplicas, kLags, std::vector<double>(kReplicas * kLags)};
    RowMajorArray<double> collective = tracer, charge = tracer;
    for (std::size_t l = 0; l < kLags; ++l) lag[l] = t_max * static_cast<double>(l) / (kLags - 1);
    for (std::size_t r = 0; r < kReplicas; ++r) {
      const double factor = 1.0 + 0.04 * (static_cast<double>(r) - 1.0);
      for (std::size_t l = 0; l < kLags; ++l) {
        tracer(r, l) = factor * 6.0 * d_A2_s * lag[l];
        collective(r, l) = 40.0 * factor * 6.0 * d_A2_s * lag[l];
        charge(r, l) = collective(r, l);  // z = +1
      }
    }
    h5.write_dataset(group + "/msd/lag_s", lag, "s");
    h5.write_dataset(group + "/msd/tracer_Li_A2", tracer, "angstrom^2");
    h5.write_dataset(group + "/msd/collective_Li_A2", collective, "angstrom^2");
    h5.write_dataset(group + "/msd/charge_e2A2", charge, "e^2 angstrom^2");
    h5.set_attribute(group + "/msd", "fit_from_lag_s", 0.2 * t_max);
    h5.set_attribute(group + "/msd", "fit_to_lag_s", 0.8 * t_max);
    h5.write_dataset(group + "/events/per_hop_class",
                     RowMajorArray<std::int64_t>{kReplicas, 2, {900, 100, 880, 120, 910, 90}}, "1");
    h5.write_dataset(group + "/events/clamped", std::vector<std::int64_t>{0, 1, 0}, "1");
    h5.write_dataset(group + "/events/total", std::vector<std::int64_t>{1000, 1000, 1000}, "1");
    h5.write_dataset(group + "/events/simulated_time_s", std::vector<double>(kReplicas, t_max), "s");
    h5.write_dataset(group + "/occupancy/site_type_names", std::vector<std::string>{"24d", "96h"}, "1");
    h5.write_dataset(group + "/occupancy/per_site_type",
                     RowMajorArray<double>{kReplicas, 2, {0.6, 0.45, 0.61, 0.44, 0.59, 0.46}}, "1");
  }

  const std::size_t n = temperatures_K.size();
  auto relative = [](const std::vector<double>& v, double f) {
    std::vector<double> out;
    for (double x : v) out.push_back(f * x);
    return out;
  };
  h5.write_dataset("/summary/temperature_K", temperatures_K, "K");
  h5.write_dataset("/summary/D_tracer_Li_cm2_s", d_tracer, "cm^2/s");
  h5.write_dataset("/summary/D_tracer_Li_cm2_s_stderr", relative(d_tracer, 0.03), "cm^2/s");
  h5.write_dataset("/summary/D_sigma_Li_cm2_s", relative(d_tracer, 2.0), "cm^2/s");
  h5.write_dataset("/summary/D_sigma_Li_cm2_s_stderr", relative(d_tracer, 0.1), "cm^2/s");
  h5.write_dataset("/summary/haven_Li", std::vector<double>(n, 0.5), "1");
  h5.write_dataset("/summary/haven_Li_stderr", std::vector<double>(n, 0.03), "1");
  h5.write_dataset("/summary/sigma_Li_S_cm", sigma, "S/cm");
  h5.write_dataset("/summary/sigma_Li_S_cm_stderr", relative(sigma, 0.05), "S/cm");
  h5.write_dataset("/summary/sigma_NE_Li_S_cm", relative(sigma, 0.5), "S/cm");
  h5.write_dataset("/summary/sigma_NE_Li_S_cm_stderr", relative(sigma, 0.025), "S/cm");
  h5.write_dataset("/summary/sigma_total_S_cm", sigma, "S/cm");
  h5.write_dataset("/summary/sigma_total_S_cm_stderr", relative(sigma, 0.05), "S/cm");

  if (with_arrhenius) {
    h5.create_group("/arrhenius/sigmaT");
    h5.set_attribute("/arrhenius/sigmaT", "Ea_eV", kEa_eV);
    h5.set_attribute("/arrhenius/sigmaT", "Ea_stderr_eV", 0.01);
    h5.set_attribute("/arrhenius/sigmaT", "ln_prefactor", std::log(kSigmaT0_SK_cm));
    h5.set_attribute("/arrhenius/sigmaT", "ln_prefactor_stderr", 0.2);
    h5.set_attribute("/arrhenius/sigmaT", "covariance", 0.0019);
    h5.set_attribute("/arrhenius/sigmaT", "chi2_per_dof", 0.9);
    h5.set_attribute("/arrhenius/sigmaT", "sigma_300K_S_cm",
                     kSigmaT0_SK_cm / 300.0 * std::exp(-kEa_eV / (kT * 300.0)));
    h5.set_attribute("/arrhenius/sigmaT", "sigma_300K_S_cm_stderr", 1e-4);
    h5.create_group("/arrhenius/D_tracer_Li");
    h5.set_attribute("/arrhenius/D_tracer_Li", "Ea_eV", kEa_eV);
    h5.set_attribute("/arrhenius/D_tracer_Li", "Ea_stderr_eV", 0.01);
    h5.set_attribute("/arrhenius/D_tracer_Li", "ln_prefactor", std::log(kD0_cm2_s));
    h5.set_attribute("/arrhenius/D_tracer_Li", "ln_prefactor_stderr", 0.2);
    h5.set_attribute("/arrhenius/D_tracer_Li", "covariance", 0.0019);
    h5.set_attribute("/arrhenius/D_tracer_Li", "chi2_per_dof", 1.1);
  }
  h5.close();
}

class PlotScriptTest : public ionhop::testing::ScratchDirTest {
 protected:
  PlotScriptTest() : ScratchDirTest("plot") {}
  void SetUp() override {
    if (!python_can_plot()) {
      GTEST_SKIP() << kPython << " cannot import matplotlib, h5py and numpy "
                   << "(install python3-matplotlib and python3-h5py)";
    }
    ScratchDirTest::SetUp();
  }

  /// Runs the script on `results`; the script's stdout+stderr go to log().
  int plot(const fs::path& results, const fs::path& outdir = {}) {
    std::string command = std::string(kPython) + " '" + script_path().string() + "' '" + results.string() + "'";
    if (!outdir.empty()) command += " --outdir '" + outdir.string() + "'";
    command += " > '" + (dir_ / "log.txt").string() + "' 2>&1";
    return run(command);
  }
  std::string log() const { return read(dir_ / "log.txt"); }

  static void expect_png(const fs::path& path) {
    ASSERT_TRUE(fs::exists(path)) << path;
    EXPECT_GT(fs::file_size(path), 5000u) << path;  // a rendered figure, not an empty canvas
    const std::string head = read(path).substr(0, 8);
    EXPECT_EQ(head, std::string("\x89PNG\r\n\x1a\n", 8)) << path;
  }
};

TEST_F(PlotScriptTest, WritesArrheniusAndMsdPlotsIntoOutdir) {
  const fs::path results = dir_ / "study.h5";
  write_synthetic_results(results, {400.0, 500.0, 650.0, 800.0}, true);
  const fs::path outdir = dir_ / "plots";
  ASSERT_EQ(plot(results, outdir), 0) << log();
  expect_png(outdir / "study_arrhenius.png");
  expect_png(outdir / "study_msd.png");
  EXPECT_NE(log().find("study_msd.png"), std::string::npos) << log();
}

TEST_F(PlotScriptTest, SingleTemperatureWithoutArrheniusPlotsNextToTheFile) {
  const fs::path results = dir_ / "one.h5";
  write_synthetic_results(results, {600.0}, false);
  ASSERT_EQ(plot(results), 0) << log();
  expect_png(dir_ / "one_arrhenius.png");
  expect_png(dir_ / "one_msd.png");
}

TEST_F(PlotScriptTest, MissingFileOrGroupsExitWithStatus2AndSayWhy) {
  EXPECT_EQ(plot(dir_ / "absent.h5"), 2);
  EXPECT_NE(log().find("absent.h5"), std::string::npos) << log();

  const fs::path bare = dir_ / "bare.h5";
  {
    H5File h5 = H5File::create(bare);
    h5.set_attribute("/", "format", "ionhop-results");
  }
  EXPECT_EQ(plot(bare), 2);
  EXPECT_NE(log().find("summary"), std::string::npos) << log();

  const fs::path foreign = dir_ / "foreign.h5";
  {
    std::ofstream out(foreign);
    out << "this is not HDF5\n";
  }
  EXPECT_EQ(plot(foreign), 2);
  EXPECT_FALSE(fs::exists(dir_ / "bare_arrhenius.png"));
}

}  // namespace
}  // namespace ionhop::app
