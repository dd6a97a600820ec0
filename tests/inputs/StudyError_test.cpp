#include "inputs/StudyError.hpp"

#include <gtest/gtest.h>

namespace ionhop::inputs {
namespace {

TEST(StudyError, FormatsEveryDiagnosticGccStyleOnePerLine) {
  const StudyError error({
      {"study.toml", 12, 5, "run.temperature_K", "unknown key 'temperature_K'; did you mean 'temperatures_K'?"},
      {"study.toml", 20, 11, "species[0].charge", "expected an integer, got a float (1.5)"},
  });
  EXPECT_STREQ(error.what(),
               "study.toml:12:5: error: run.temperature_K: unknown key 'temperature_K'; did you "
               "mean 'temperatures_K'?\n"
               "study.toml:20:11: error: species[0].charge: expected an integer, got a float (1.5)");
  ASSERT_EQ(error.diagnostics().size(), 2u);
  EXPECT_EQ(error.diagnostics()[1].column, 11);
}

TEST(StudyError, LeavesOutMissingPositionAndKeyPath) {
  EXPECT_EQ(format_diagnostic({"missing.toml", 0, 0, "", "cannot open the study file"}),
            "missing.toml: error: cannot open the study file");
  EXPECT_EQ(format_diagnostic({"s.toml", 3, 7, "", "TOML syntax: bad"}),
            "s.toml:3:7: error: TOML syntax: bad");
}

}  // namespace
}  // namespace ionhop::inputs
