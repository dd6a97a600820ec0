#pragma once
/// Strict token and number parsing shared by the text structure readers (POSCAR, extended XYZ).
/// A number must be the whole token ("1.5x" and "" are errors); errors carry file and line.
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "lattice/StructureFileError.hpp"

namespace ionhop::lattice::text {

/// Splits on blanks (spaces, tabs, carriage returns).
inline std::vector<std::string_view> split_whitespace(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

/// Parses the whole token as a finite double; Fortran "D" exponents are accepted.
inline double parse_double(std::string_view token, const std::string& file, int line, std::string_view what) {
  std::string buffer(token);
  for (char& c : buffer)
    if (c == 'D' || c == 'd') c = 'e';
  const char* begin = buffer.data();
  const char* end = begin + buffer.size();
  if (!buffer.empty() && *begin == '+') ++begin;  // from_chars rejects a leading '+'
  double value = 0.0;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (buffer.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value))
    throw StructureFileError(file, line, "expected a number for " + std::string(what) + ", found '" + std::string(token) + "'");
  return value;
}

/// Parses the whole token as a non-negative integer.
inline long long parse_count(std::string_view token, const std::string& file, int line, std::string_view what) {
  long long value = 0;
  const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  if (token.empty() || ec != std::errc{} || ptr != token.data() + token.size() || value < 0)
    throw StructureFileError(file, line, "expected a non-negative integer for " + std::string(what) + ", found '" + std::string(token) + "'");
  return value;
}

/// Splits a text into lines (without the line terminators).
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

/// Reads a whole file; throws StructureFileError when it cannot be opened.
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw StructureFileError(path, 0, "cannot open file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Writes a whole file; throws StructureFileError on failure.
inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw StructureFileError(path, 0, "cannot open file for writing");
  out << text;
  if (!out) throw StructureFileError(path, 0, "write failed");
}

}  // namespace ionhop::lattice::text
