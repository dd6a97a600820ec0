#include "lattice/StructureExtxyz.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cstdio>
#include <utility>

#include "lattice/StructureFileError.hpp"
#include "lattice/StructureTextParsing.hpp"

namespace ionhop::lattice {
namespace {

/// key=value pairs of an extended XYZ comment line, in order; a bare key has the value "T".
std::vector<std::pair<std::string, std::string>> parse_comment(std::string_view line, const std::string& file, int line_no) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t i = 0;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  auto read_value = [&]() -> std::string {
    std::string value;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;
        value += line[i++];
      }
      if (i >= line.size()) throw StructureFileError(file, line_no, "unterminated quoted value in the comment line");
      ++i;
    } else {
      while (i < line.size() && !blank(line[i])) value += line[i++];
    }
    return value;
  };
  while (true) {
    while (i < line.size() && blank(line[i])) ++i;
    if (i >= line.size()) break;
    std::string key;
    if (line[i] == '"') {
      key = read_value();
    } else {
      while (i < line.size() && !blank(line[i]) && line[i] != '=') key += line[i++];
    }
    while (i < line.size() && blank(line[i])) ++i;
    if (i < line.size() && line[i] == '=') {
      ++i;
      while (i < line.size() && blank(line[i])) ++i;
      pairs.emplace_back(key, read_value());
    } else {
      pairs.emplace_back(key, "T");
    }
  }
  return pairs;
}

bool parse_bool(std::string_view token, const std::string& file, int line) {
  if (token == "T" || token == "True" || token == "true" || token == "1") return true;
  if (token == "F" || token == "False" || token == "false" || token == "0") return false;
  throw StructureFileError(file, line, "expected a logical value T or F, found '" + std::string(token) + "'");
}

struct Column {
  std::string name;
  char type = 'R';
  int width = 1;
  int first = 0;  ///< index of its first token on an atom line
};

std::vector<Column> parse_properties(const std::string& spec, const std::string& file, int line) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = spec.find(':', start);
    parts.push_back(spec.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() % 3 != 0) throw StructureFileError(file, line, "Properties must be name:type:count triples, found '" + spec + "'");
  std::vector<Column> columns;
  int first = 0;
  for (std::size_t k = 0; k < parts.size(); k += 3) {
    Column c;
    c.name = parts[k];
    if (parts[k + 1].size() != 1 || std::string("SRIL").find(parts[k + 1][0]) == std::string::npos)
      throw StructureFileError(file, line, "unknown Properties type '" + parts[k + 1] + "' (expected S, R, I or L)");
    c.type = parts[k + 1][0];
    c.width = static_cast<int>(text::parse_count(parts[k + 2], file, line, "a Properties column count"));
    c.first = first;
    first += c.width;
    columns.push_back(c);
  }
  return columns;
}

/// A 3×3 matrix from the 9 (row order) or, when `voigt_allowed`, 6 (Voigt xx yy zz yz xz xy) numbers of `value`.
Eigen::Matrix3d parse_tensor(const std::string& key, const std::string& value, bool voigt_allowed, const std::string& file,
                             int line) {
  const auto t = text::split_whitespace(value);
  const std::string what = "a " + key + " component";
  Eigen::Matrix3d m;
  if (t.size() == 9) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) m(r, c) = text::parse_double(t[3 * r + c], file, line, what);
    return m;
  }
  if (voigt_allowed && t.size() == 6) {
    double v[6];
    for (int k = 0; k < 6; ++k) v[k] = text::parse_double(t[k], file, line, what);
    m << v[0], v[5], v[4],  //
        v[5], v[1], v[3],   //
        v[4], v[3], v[2];
    return m;
  }
  throw StructureFileError(file, line, key + (voigt_allowed ? " needs 9 (3×3) or 6 (Voigt) numbers" : " needs 9 (3×3) numbers") +
                                           ", found " + std::to_string(t.size()));
}

std::string format_double(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

std::string quoted_if_needed(const std::string& value) {
  if (value.find_first_of(" \t\"=") == std::string::npos && !value.empty()) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<XyzFrame> parse_extxyz(std::string_view text, const std::string& source) {
  const auto lines = text::split_lines(text);
  std::vector<XyzFrame> frames;
  std::size_t next = 0;
  while (true) {
    while (next < lines.size() && text::split_whitespace(lines[next]).empty()) ++next;  // blank lines between frames
    if (next >= lines.size()) break;
    const int count_line = static_cast<int>(next + 1);
    const auto count_tokens = text::split_whitespace(lines[next++]);
    if (count_tokens.size() != 1) throw StructureFileError(source, count_line, "expected the number of atoms alone on the line");
    const auto n = static_cast<std::size_t>(text::parse_count(count_tokens[0], source, count_line, "the number of atoms"));
    if (next >= lines.size()) throw StructureFileError(source, count_line + 1, "unexpected end of file, expected the comment line");
    const int comment_line = static_cast<int>(next + 1);
    const auto pairs = parse_comment(lines[next++], source, comment_line);

    XyzFrame frame;
    Structure& s = frame.structure;
    bool has_lattice = false;
    std::optional<std::array<bool, 3>> pbc;
    std::vector<Column> columns = {{"species", 'S', 1, 0}, {"pos", 'R', 3, 1}};
    std::optional<Eigen::Matrix3d> virial;
    std::optional<std::string> weight_key;
    for (const auto& [key, value] : pairs) {
      if (key == "Lattice") {
        const auto t = text::split_whitespace(value);
        if (t.size() != 9) throw StructureFileError(source, comment_line, "Lattice needs 9 numbers");
        for (int k = 0; k < 3; ++k)
          for (int c = 0; c < 3; ++c) s.cell(c, k) = text::parse_double(t[3 * k + c], source, comment_line, "a Lattice component");
        has_lattice = true;
      } else if (key == "Properties") {
        columns = parse_properties(value, source, comment_line);
      } else if (key == "energy") {
        frame.energy_eV = text::parse_double(value, source, comment_line, "energy");
      } else if (key == "pbc") {
        const auto t = text::split_whitespace(value);
        if (t.size() != 3) throw StructureFileError(source, comment_line, "pbc needs three logical values");
        pbc = std::array<bool, 3>{parse_bool(t[0], source, comment_line), parse_bool(t[1], source, comment_line),
                                  parse_bool(t[2], source, comment_line)};
      } else if (key == "stress") {
        frame.stress_eV_per_A3 = parse_tensor(key, value, true, source, comment_line);
      } else if (key == "virial") {
        virial = parse_tensor(key, value, false, source, comment_line);
      } else if (key == "weight" || key == "config_weight") {
        if (weight_key) throw StructureFileError(source, comment_line, "both " + *weight_key + " and " + key + " given: give one weight");
        weight_key = key;
        frame.weight = text::parse_double(value, source, comment_line, key);
        if (frame.weight < 0.0) throw StructureFileError(source, comment_line, key + " must be ≥ 0, found " + value);
      } else {
        frame.info[key] = value;
      }
    }
    s.pbc = pbc.value_or(has_lattice ? std::array<bool, 3>{true, true, true} : std::array<bool, 3>{false, false, false});
    if (!has_lattice && (s.pbc[0] || s.pbc[1] || s.pbc[2]))
      throw StructureFileError(source, comment_line, "a periodic frame needs a Lattice");
    if (has_lattice && std::abs(s.cell.determinant()) < 1e-12)
      throw StructureFileError(source, comment_line, "the Lattice vectors are linearly dependent");
    if ((frame.stress_eV_per_A3 || virial) && !has_lattice)
      throw StructureFileError(source, comment_line, "stress and virial need a periodic frame with a Lattice");
    if (virial) {
      const Eigen::Matrix3d from_virial = -*virial / s.volume_A3();
      if (frame.stress_eV_per_A3) {
        const double scale = std::max(frame.stress_eV_per_A3->cwiseAbs().maxCoeff(), from_virial.cwiseAbs().maxCoeff());
        if ((*frame.stress_eV_per_A3 - from_virial).cwiseAbs().maxCoeff() > 1e-6 * scale)
          throw StructureFileError(source, comment_line, "stress and virial disagree (stress must equal −virial / volume)");
      } else {
        frame.stress_eV_per_A3 = from_virial;
      }
    }

    const Column* species = nullptr;
    const Column* pos = nullptr;
    const Column* forces = nullptr;
    const Column* move_mask = nullptr;
    int width = 0;
    for (const auto& c : columns) {
      width += c.width;
      if (c.name == "species" && c.type == 'S' && c.width == 1) species = &c;
      else if (c.name == "pos" && c.type == 'R' && c.width == 3) pos = &c;
      else if ((c.name == "forces" || c.name == "force") && c.type == 'R' && c.width == 3) forces = &c;
      else if (c.name == "move_mask" && c.type == 'L' && c.width == 1) move_mask = &c;
    }
    if (species == nullptr || pos == nullptr)
      throw StructureFileError(source, comment_line, "Properties must contain species:S:1 and pos:R:3");

    s.species.resize(n);
    s.positions.resize(3, static_cast<Eigen::Index>(n));
    if (forces != nullptr) frame.forces_eV_per_A = Eigen::Matrix3Xd(3, static_cast<Eigen::Index>(n));
    if (move_mask != nullptr) s.fixed.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (next >= lines.size())
        throw StructureFileError(source, static_cast<int>(next + 1), "unexpected end of file, expected " + std::to_string(n) + " atom lines");
      const int line_no = static_cast<int>(next + 1);
      const auto t = text::split_whitespace(lines[next++]);
      if (static_cast<int>(t.size()) != width)
        throw StructureFileError(source, line_no, "expected " + std::to_string(width) + " columns, found " + std::to_string(t.size()));
      s.species[i] = std::string(t[species->first]);
      for (int c = 0; c < 3; ++c) {
        s.positions(c, static_cast<Eigen::Index>(i)) = text::parse_double(t[pos->first + c], source, line_no, "a position");
        if (forces != nullptr)
          (*frame.forces_eV_per_A)(c, static_cast<Eigen::Index>(i)) = text::parse_double(t[forces->first + c], source, line_no, "a force");
      }
      if (move_mask != nullptr) s.fixed[i] = parse_bool(t[move_mask->first], source, line_no) ? 0 : 1;
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

std::string format_extxyz_info(const std::map<std::string, std::string>& info) {
  std::string out;
  for (const auto& [key, value] : info) {
    if (key.find_first_of("\n\r") != std::string::npos || value.find_first_of("\n\r") != std::string::npos)
      throw StructureFileError("<extxyz>", 0, "info key or value '" + key + "' holds a line break");
    if (!out.empty()) out += ' ';
    out += quoted_if_needed(key);
    out += '=';
    out += quoted_if_needed(value);
  }
  return out;
}

std::map<std::string, std::string> parse_extxyz_info(std::string_view text, const std::string& source, int line) {
  std::map<std::string, std::string> info;
  for (auto& [key, value] : parse_comment(text, source, line)) info[key] = std::move(value);
  return info;
}

std::vector<XyzFrame> read_extxyz(const std::string& path) { return parse_extxyz(text::read_file(path), path); }

std::string format_extxyz(const std::vector<XyzFrame>& frames) {
  std::string out;
  for (const auto& frame : frames) {
    const Structure& s = frame.structure;
    const bool periodic = s.pbc[0] || s.pbc[1] || s.pbc[2];
    bool any_fixed = false;
    for (std::size_t i = 0; i < s.size(); ++i) any_fixed = any_fixed || s.is_fixed(i);
    out += std::to_string(s.size()) + "\n";
    if (periodic) {
      out += "Lattice=\"";
      for (int k = 0; k < 3; ++k)
        for (int c = 0; c < 3; ++c) {
          out += format_double(s.cell(c, k));
          if (k != 2 || c != 2) out += ' ';
        }
      out += "\" ";
    }
    out += "Properties=species:S:1:pos:R:3";
    if (frame.forces_eV_per_A) out += ":forces:R:3";
    if (any_fixed) out += ":move_mask:L:1";
    if (frame.energy_eV) {
      out += " energy=";
      out += format_double(*frame.energy_eV);
    }
    if (frame.stress_eV_per_A3) {
      if (!periodic) throw StructureFileError("<extxyz>", 0, "a frame with a stress must be periodic");
      out += " stress=\"";
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) {
          out += format_double((*frame.stress_eV_per_A3)(r, c));
          if (r != 2 || c != 2) out += ' ';
        }
      out += '"';
    }
    if (frame.weight != 1.0) {
      out += " weight=";
      out += format_double(frame.weight);
    }
    for (const char* reserved : {"Lattice", "Properties", "energy", "pbc", "stress", "virial", "weight", "config_weight"})
      if (frame.info.contains(reserved))
        throw StructureFileError("<extxyz>", 0, std::string("info key '") + reserved + "' is written from the frame's own field; remove it from info");
    if (!frame.info.empty()) {
      out += ' ';
      out += format_extxyz_info(frame.info);
    }
    out += std::string(" pbc=\"") + (s.pbc[0] ? "T" : "F") + " " + (s.pbc[1] ? "T" : "F") + " " + (s.pbc[2] ? "T" : "F") + "\"\n";
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto col = static_cast<Eigen::Index>(i);
      out += s.species[i];
      for (int c = 0; c < 3; ++c) {
        out += ' ';
        out += format_double(s.positions(c, col));
      }
      if (frame.forces_eV_per_A)
        for (int c = 0; c < 3; ++c) {
          out += ' ';
          out += format_double((*frame.forces_eV_per_A)(c, col));
        }
      if (any_fixed) out += s.is_fixed(i) ? " F" : " T";
      out += "\n";
    }
  }
  return out;
}

void write_extxyz(const std::string& path, const std::vector<XyzFrame>& frames) { text::write_file(path, format_extxyz(frames)); }

}  // namespace ionhop::lattice
