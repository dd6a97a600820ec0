#pragma once
// Helpers shared by the inputs tests: reading study text that must fail, and locating a
// snippet in the text so expected line:column values come from the text itself.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "inputs/StudyError.hpp"
#include "inputs/StudyReader.hpp"

namespace ionhop::inputs::testing {

struct TextPosition {
  int line = 0;
  int column = 0;
};

/// 1-based line and column of the first occurrence of `needle` (ASCII text; TOML++ counts
/// columns in code points, which equal bytes there). A '|' in `needle` marks the character
/// whose position is wanted ("replicas = |0" is the position of the 0); it is not searched for.
inline TextPosition position_of(std::string_view text, std::string_view needle) {
  std::string pattern(needle);
  std::size_t mark = 0;
  if (const std::size_t bar = pattern.find('|'); bar != std::string::npos) {
    pattern.erase(bar, 1);
    mark = bar;
  }
  const std::size_t found = text.find(pattern);
  EXPECT_NE(found, std::string_view::npos) << "snippet not in text: " << pattern;
  if (found == std::string_view::npos) return {};
  TextPosition position{1, 1};
  for (std::size_t i = 0; i < found + mark; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else {
      ++position.column;
    }
  }
  return position;
}

/// `text` with the single occurrence of `old_text` replaced by `new_text`.
inline std::string replaced(std::string text, std::string_view old_text, std::string_view new_text) {
  const std::size_t offset = text.find(old_text);
  EXPECT_NE(offset, std::string::npos) << "snippet not in text: " << old_text;
  EXPECT_EQ(text.find(old_text, offset + 1), std::string::npos) << "snippet not unique: " << old_text;
  if (offset != std::string::npos) text.replace(offset, old_text.size(), new_text);
  return text;
}

/// The diagnostics that reading `text` produces; a test failure if it reads fine.
inline std::vector<Diagnostic> diagnostics_of(const std::string& text) {
  try {
    (void)read_study_string(text, "bad.toml");
  } catch (const StudyError& error) {
    return error.diagnostics();
  }
  ADD_FAILURE() << "expected a StudyError for:\n" << text;
  return {};
}

}  // namespace ionhop::inputs::testing
