#include "inputs/StudyPrinter.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "StudyExamples.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudyReader.hpp"

namespace ionhop::inputs {
namespace {

Study without_source(Study study) {
  study.source_path.clear();
  study.source_text.clear();
  return study;
}

/// Prints `study`, reads the print back, and checks that nothing changed; also that printing
/// is a fixed point (the second print equals the first).
void expect_round_trip(const Study& study) {
  const std::string printed = format_resolved_study(study);
  Study reread;
  try {
    reread = read_study_string(printed, "printed.toml");
  } catch (const StudyError& error) {
    FAIL() << "printed study does not read back:\n" << error.what() << "\n---\n" << printed;
  }
  EXPECT_EQ(reread.source_text, printed);
  EXPECT_TRUE(without_source(reread) == without_source(study))
      << "original:\n" << printed << "\nre-read:\n" << format_resolved_study(reread);
  EXPECT_EQ(format_resolved_study(reread), printed);
}

TEST(StudyPrinter, RoundTripsTheTestStudies) {
  for (const std::string* text : {&testing::kCompleteStudy, &testing::kExplicitCellStudy,
                                  &testing::kHcpStudy, &testing::kBaseStudy}) {
    SCOPED_TRACE(*text);
    expect_round_trip(read_study_string(*text, "test.toml"));
  }
}

TEST(StudyPrinter, RoundTripsTheBundledStudies) {
  const std::filesystem::path directory = std::filesystem::path(IONHOP_SOURCE_DIR) / "inputs/studies";
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    expect_round_trip(read_study_file(entry.path()));
  }
}

TEST(StudyPrinter, RoundTripsAwkwardStringsAndFloatsExactly) {
  Study study = read_study_string(testing::kExplicitCellStudy, "explicit.toml");
  study.description = "quotes \" backslash \\ tab \t newline \n bell \a unicode Å σ";
  // Doubles that a fixed number of digits would not preserve.
  study.lattice.cell_A[0][0] = 1.0 / 3.0;
  study.lattice.cell_A[1][1] = 6.02214076e23;
  study.lattice.cell_A[2][2] = 2.2250738585072014e-308;  // smallest normal double
  study.lattice.basis[1].fractional = {0.1, 0.2, 0.30000000000000004};
  study.hops[0].barrier_eV = 0.0;
  study.hops[0].attempt_frequency_Hz = 1e13;
  study.run.time_s = 1.0000000000000002e-6;  // one ulp above 1e-6
  study.run.temperatures_K = {273.15, 1e3};
  expect_round_trip(study);
}

TEST(StudyPrinter, WritesDefaultsExplicitly) {
  const Study study = read_study_string(testing::kHcpStudy, "hcp.toml");
  const std::string printed = format_resolved_study(study);
  for (const char* line : {"c_over_a = 1.632993161855452", "supercell = [1, 1, 1]",
                           "attempt_frequency_Hz = 1e+13", "shell = 1", "samples = 200",
                           "max_lag_samples = 50", "fit_from_lag_fraction = 0.2", "replicas = 8",
                           "seed = 1", "path = \"hcp.h5\"", "name = \"T\"", "site_types = [\"O\"]",
                           "temperatures_K = [800.0, 900.0]"}) {
    EXPECT_NE(printed.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n" << printed;
  }
}

}  // namespace
}  // namespace ionhop::inputs
