// docs/study-format.md is checked against the code: its key reference is the generated one, its
// example studies read, and its error example shows exactly what the reader reports.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "inputs/StudyError.hpp"
#include "inputs/StudyReader.hpp"
#include "inputs/StudySchema.hpp"

namespace ionhop::inputs {
namespace {

std::string study_format_docs() {
  const std::filesystem::path path = std::filesystem::path(IONHOP_SOURCE_DIR) / "docs/study-format.md";
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct FencedBlock {
  std::string language;
  std::string body;
};

std::vector<FencedBlock> fenced_blocks(const std::string& markdown) {
  std::vector<FencedBlock> blocks;
  std::size_t at = 0;
  while ((at = markdown.find("```", at)) != std::string::npos) {
    const std::size_t line_end = markdown.find('\n', at);
    const std::size_t close = markdown.find("\n```", line_end);
    if (line_end == std::string::npos || close == std::string::npos) break;
    blocks.push_back({markdown.substr(at + 3, line_end - at - 3),
                      markdown.substr(line_end + 1, close + 1 - (line_end + 1))});
    at = close + 4;
  }
  return blocks;
}

TEST(StudyFormatDocs, EmbedTheGeneratedKeyReference) {
  const std::string text = study_format_docs();
  const std::string begin = "<!-- BEGIN GENERATED KEY REFERENCE -->\n";
  const std::string end = "<!-- END GENERATED KEY REFERENCE -->";
  const std::size_t from = text.find(begin);
  const std::size_t to = text.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  const std::string embedded = text.substr(from + begin.size(), to - from - begin.size());
  const std::string generated = format_schema_reference();
  if (embedded != generated) {
    const std::filesystem::path fresh =
        std::filesystem::path(IONHOP_BINARY_DIR) / "study-format-reference.md";
    std::ofstream(fresh) << generated;
    FAIL() << "docs/study-format.md is out of date with inputs/StudySchema.cpp; paste " << fresh
           << " between the markers";
  }
}

TEST(StudyFormatDocs, ExamplesReadAndTheErrorExampleIsExact) {
  const std::vector<FencedBlock> blocks = fenced_blocks(study_format_docs());
  int valid = 0;
  int invalid = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].language != "toml") continue;
    SCOPED_TRACE(blocks[i].body);
    if (blocks[i].body.rfind("# invalid", 0) == 0) {
      ++invalid;
      ASSERT_LT(i + 1, blocks.size());
      ASSERT_EQ(blocks[i + 1].language, "text") << "an invalid example is followed by its errors";
      try {
        (void)read_study_string(blocks[i].body, "example.toml");
        ADD_FAILURE() << "the invalid example reads without error";
      } catch (const StudyError& error) {
        EXPECT_EQ(std::string(error.what()) + "\n", blocks[i + 1].body);
      }
    } else {
      ++valid;
      try {
        const Study study = read_study_string(blocks[i].body, "example.toml");
        EXPECT_FALSE(study.hops.empty());
      } catch (const StudyError& error) {
        ADD_FAILURE() << error.what();
      }
    }
  }
  EXPECT_EQ(valid, 2);
  EXPECT_EQ(invalid, 1);
}

}  // namespace
}  // namespace ionhop::inputs
