// The [superbasin] section of study files: defaults, every value, every bad value with its
// position, unknown-key suggestions, and the canonical print round trip.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "StudyExamples.hpp"
#include "StudyTestSupport.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/StudyPrinter.hpp"
#include "inputs/StudyReader.hpp"

namespace ionhop::inputs {
namespace {

using testing::diagnostics_of;
using testing::kBaseStudy;
using testing::position_of;

/// kBaseStudy with a [superbasin] section holding `body`.
std::string with_superbasin(const std::string& body) { return kBaseStudy + "\n[superbasin]\n" + body; }

TEST(StudySuperbasin, AbsentSectionMeansPlainKmcWithDocumentedDefaults) {
  for (const std::string& text : {kBaseStudy, with_superbasin("")}) {
    const SuperbasinSpec s = read_study_string(text, "base.toml").superbasin;
    EXPECT_EQ(s.method, SuperbasinMethodSpec::none);
    EXPECT_EQ(s.detection, BasinDetectionSpec::both);
    EXPECT_EQ(s.barrier_gap_eV, 0.2);
    EXPECT_EQ(s.transition_count, 8);
    EXPECT_EQ(s.max_basin_sites, 32);
    EXPECT_EQ(s.max_basin_states, 720);
    EXPECT_EQ(s.cache_size, 4096);
    EXPECT_EQ(s.min_rate_ratio, 100.0);
    EXPECT_EQ(s.plain_pilot_events, 100000);
  }
}

TEST(StudySuperbasin, EveryValueIsRead) {
  const SuperbasinSpec s = read_study_string(testing::kCompleteStudy, "complete.toml").superbasin;
  EXPECT_EQ(s.method, SuperbasinMethodSpec::rate_scaling);
  EXPECT_EQ(s.detection, BasinDetectionSpec::counting);
  EXPECT_EQ(s.barrier_gap_eV, 0.15);
  EXPECT_EQ(s.transition_count, 12);
  EXPECT_EQ(s.max_basin_sites, 16);
  EXPECT_EQ(s.max_basin_states, 100);
  EXPECT_EQ(s.cache_size, 256);
  EXPECT_EQ(s.min_rate_ratio, 50.0);  // an integer where a float is expected
  EXPECT_EQ(s.plain_pilot_events, 0);
}

TEST(StudySuperbasin, EveryMethodAndDetectionName) {
  const std::vector<std::pair<std::string, SuperbasinMethodSpec>> methods = {
      {"none", SuperbasinMethodSpec::none},
      {"mcamc", SuperbasinMethodSpec::mcamc},
      {"local", SuperbasinMethodSpec::local},
      {"rate-scaling", SuperbasinMethodSpec::rate_scaling}};
  for (const auto& [name, method] : methods) {
    const Study s = read_study_string(with_superbasin("method = \"" + name + "\"\n"), "m.toml");
    EXPECT_EQ(s.superbasin.method, method) << name;
    EXPECT_EQ(to_string(method), name);
  }
  const std::vector<std::pair<std::string, BasinDetectionSpec>> detections = {
      {"both", BasinDetectionSpec::both},
      {"barrier", BasinDetectionSpec::barrier},
      {"counting", BasinDetectionSpec::counting}};
  for (const auto& [name, detection] : detections) {
    const Study s = read_study_string(with_superbasin("detection = \"" + name + "\"\n"), "d.toml");
    EXPECT_EQ(s.superbasin.detection, detection) << name;
    EXPECT_EQ(to_string(detection), name);
  }
}

struct BadValue {
  std::string line;       ///< written into [superbasin]
  std::string key;        ///< the key path's last part
  std::string where;      ///< snippet locating the reported position ('|' marks it)
  std::string message;    ///< part of the message
};

TEST(StudySuperbasin, EachBadValueIsOneErrorAtTheValue) {
  const std::vector<BadValue> cases = {
      {"method = \"mcmac\"", "method", "\"mcmac\"", "unknown value \"mcmac\"; did you mean \"mcamc\"?"},
      {"method = \"rate_scaling\"", "method", "\"rate_scaling\"", "did you mean \"rate-scaling\"?"},
      {"method = 1", "method", "method = |1", "expected a string, got an integer (1)"},
      {"detection = \"count\"", "detection", "\"count\"", "expected one of \"both\", \"barrier\", \"counting\""},
      {"barrier_gap_eV = 0", "barrier_gap_eV", "barrier_gap_eV = |0", "must be > 0, got 0"},
      {"barrier_gap_eV = -0.1", "barrier_gap_eV", "-0.1", "must be > 0, got -0.1"},
      {"barrier_gap_eV = nan", "barrier_gap_eV", "nan", "must be a finite number"},
      {"transition_count = 0", "transition_count", "transition_count = |0", "got 0"},
      {"transition_count = 8.0", "transition_count", "8.0", "expected an integer, got a float (8.0); write it as 8"},
      {"max_basin_sites = 1", "max_basin_sites", "max_basin_sites = |1", "must be in [2, 64], got 1"},
      {"max_basin_sites = 65", "max_basin_sites", "65", "must be in [2, 64], got 65"},
      {"max_basin_states = 0", "max_basin_states", "max_basin_states = |0", "got 0"},
      {"cache_size = 0", "cache_size", "cache_size = |0", "got 0"},
      {"min_rate_ratio = 1", "min_rate_ratio", "min_rate_ratio = |1", "must be > 1, got 1"},
      {"min_rate_ratio = 0.5", "min_rate_ratio", "0.5", "must be > 1, got 0.5"},
      {"plain_pilot_events = -1", "plain_pilot_events", "-1", "must be >= 0, got -1"},
  };
  for (const BadValue& c : cases) {
    SCOPED_TRACE(c.line);
    const std::string text = with_superbasin(c.line + "\n");
    const std::vector<Diagnostic> diagnostics = diagnostics_of(text);
    ASSERT_EQ(diagnostics.size(), 1u) << StudyError(diagnostics).what();
    const Diagnostic& d = diagnostics[0];
    const auto expected = position_of(text, c.where);
    EXPECT_EQ(d.file, "bad.toml");
    EXPECT_EQ(d.line, expected.line) << format_diagnostic(d);
    EXPECT_EQ(d.column, expected.column) << format_diagnostic(d);
    EXPECT_EQ(d.key_path, "superbasin." + c.key);
    EXPECT_NE(d.message.find(c.message), std::string::npos) << format_diagnostic(d);
  }
}

TEST(StudySuperbasin, AllProblemsAreReportedTogetherInFileOrder) {
  const std::string text = with_superbasin(
      "method = \"locale\"\n"
      "max_basin_sites = 100\n"
      "cache_size = -3\n"
      "max_basin_size = 10\n");
  const std::vector<Diagnostic> d = diagnostics_of(text);
  ASSERT_EQ(d.size(), 4u) << StudyError(d).what();
  EXPECT_EQ(d[0].key_path, "superbasin.method");
  EXPECT_NE(d[0].message.find("did you mean \"local\"?"), std::string::npos) << d[0].message;
  EXPECT_EQ(d[1].key_path, "superbasin.max_basin_sites");
  EXPECT_EQ(d[2].key_path, "superbasin.cache_size");
  EXPECT_EQ(d[3].key_path, "superbasin.max_basin_size");
  for (std::size_t i = 1; i < d.size(); ++i) EXPECT_EQ(d[i].line, d[i - 1].line + 1);
}

TEST(StudySuperbasin, UnknownKeysAndSectionSuggestTheNearestName) {
  const std::string key = with_superbasin("max_basin_size = 10\n");
  std::vector<Diagnostic> d = diagnostics_of(key);
  ASSERT_EQ(d.size(), 1u) << StudyError(d).what();
  EXPECT_EQ(d[0].key_path, "superbasin.max_basin_size");
  EXPECT_EQ(d[0].line, position_of(key, "max_basin_size").line);
  EXPECT_EQ(d[0].column, 1);
  EXPECT_NE(d[0].message.find("did you mean 'max_basin_sites'?"), std::string::npos) << d[0].message;

  const std::string section = kBaseStudy + "\n[superbasins]\nmethod = \"local\"\n";
  d = diagnostics_of(section);
  ASSERT_EQ(d.size(), 1u) << StudyError(d).what();
  EXPECT_NE(d[0].message.find("unknown section 'superbasins'; did you mean 'superbasin'?"), std::string::npos)
      << d[0].message;

  // A superbasin key in another section says where it belongs.
  const std::string elsewhere = testing::replaced(kBaseStudy, "events = 1000", "events = 1000\ncache_size = 4");
  d = diagnostics_of(elsewhere);
  ASSERT_EQ(d.size(), 1u) << StudyError(d).what();
  EXPECT_NE(d[0].message.find("'cache_size' is a key of [superbasin]"), std::string::npos) << d[0].message;
}

TEST(StudySuperbasin, ResolvedPrintWritesEveryKeyAndReadsBackIdentically) {
  const std::string text = with_superbasin(
      "method = \"local\"\n"
      "detection = \"barrier\"\n"
      "barrier_gap_eV = 0.30000000000000004\n"
      "max_basin_states = 50\n");
  const Study study = read_study_string(text, "sb.toml");
  const std::string printed = format_resolved_study(study);
  for (const char* line : {"[superbasin]", "method = \"local\"", "detection = \"barrier\"",
                           "barrier_gap_eV = 0.30000000000000004", "transition_count = 8",
                           "max_basin_sites = 32", "max_basin_states = 50", "cache_size = 4096",
                           "min_rate_ratio = 100.0",
                           "plain_pilot_events = 100000"}) {
    EXPECT_NE(printed.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n" << printed;
  }
  // [superbasin] comes after [run] and before [output], as in the schema.
  EXPECT_LT(printed.find("\n[run]\n"), printed.find("\n[superbasin]\n"));
  EXPECT_LT(printed.find("\n[superbasin]\n"), printed.find("\n[output]\n"));

  const Study reread = read_study_string(printed, "printed.toml");
  EXPECT_TRUE(reread.superbasin == study.superbasin);
  EXPECT_EQ(format_resolved_study(reread), printed);

  // A study without the section prints the defaults, method "none", and reads back to them.
  const Study plain = read_study_string(kBaseStudy, "base.toml");
  const std::string plain_printed = format_resolved_study(plain);
  EXPECT_NE(plain_printed.find("\n[superbasin]\nmethod = \"none\"\n"), std::string::npos) << plain_printed;
  EXPECT_TRUE(read_study_string(plain_printed, "p.toml").superbasin == SuperbasinSpec{});
}

}  // namespace
}  // namespace ionhop::inputs
