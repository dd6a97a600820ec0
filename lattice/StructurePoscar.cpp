#include "lattice/StructurePoscar.hpp"

#include <Eigen/Dense>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "lattice/StructureFileError.hpp"
#include "lattice/StructureTextParsing.hpp"

namespace ionhop::lattice {
namespace {

bool is_number(std::string_view token) {
  if (token.empty()) return false;
  const char c = token.front();
  return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

bool parse_flag(std::string_view token, const std::string& file, int line) {
  if (token == "T" || token == "t" || token == ".TRUE." || token == ".true.") return true;
  if (token == "F" || token == "f" || token == ".FALSE." || token == ".false.") return false;
  throw StructureFileError(file, line, "expected a selective-dynamics flag T or F, found '" + std::string(token) + "'");
}

std::string format_double(double x) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%22.16f", x);
  return buffer;
}

}  // namespace

Structure parse_poscar(std::string_view text, const std::string& source) {
  const auto lines = text::split_lines(text);
  std::size_t next = 0;
  auto need_line = [&](const char* what) -> std::vector<std::string_view> {
    if (next >= lines.size())
      throw StructureFileError(source, static_cast<int>(next + 1), std::string("unexpected end of file, expected ") + what);
    return text::split_whitespace(lines[next++]);
  };
  auto line_no = [&] { return static_cast<int>(next); };  // 1-based number of the line just read

  need_line("the comment line");
  auto tokens = need_line("the scale factor");
  if (tokens.empty()) throw StructureFileError(source, line_no(), "expected the scale factor");
  const double scale = text::parse_double(tokens[0], source, line_no(), "the scale factor");
  if (scale == 0.0) throw StructureFileError(source, line_no(), "the scale factor must not be zero");
  const int scale_line = line_no();

  Structure s;
  for (int k = 0; k < 3; ++k) {
    tokens = need_line("a lattice vector");
    if (tokens.size() < 3) throw StructureFileError(source, line_no(), "expected three components of a lattice vector");
    for (int c = 0; c < 3; ++c)
      s.cell(c, k) = text::parse_double(tokens[c], source, line_no(), "a lattice-vector component");
  }
  // VASP: a positive scale multiplies lengths; a negative one is the target cell volume [Å³].
  // Cartesian positions are scaled by the same length factor as the cell.
  double length_factor = scale;
  if (scale < 0.0) {
    const double volume = std::abs(s.cell.determinant());
    if (volume <= 0.0) throw StructureFileError(source, scale_line, "a negative scale (target volume) needs a non-degenerate cell");
    length_factor = std::cbrt(-scale / volume);
  }
  s.cell *= length_factor;
  if (std::abs(s.cell.determinant()) < 1e-12) throw StructureFileError(source, line_no(), "the lattice vectors are linearly dependent");

  tokens = need_line("the species names (VASP 5)");
  if (tokens.empty() || is_number(tokens[0]))
    throw StructureFileError(source, line_no(), "expected species names (VASP 5 format); VASP 4 files without them are not supported");
  std::vector<std::string> names(tokens.begin(), tokens.end());
  tokens = need_line("the atom counts");
  if (tokens.size() != names.size())
    throw StructureFileError(source, line_no(), "expected " + std::to_string(names.size()) + " atom counts, one per species");
  std::size_t total = 0;
  for (std::size_t k = 0; k < names.size(); ++k) {
    const auto count = static_cast<std::size_t>(text::parse_count(tokens[k], source, line_no(), "an atom count"));
    for (std::size_t c = 0; c < count; ++c) s.species.push_back(names[k]);
    total += count;
  }

  tokens = need_line("the coordinate mode");
  bool selective = false;
  if (!tokens.empty() && (tokens[0][0] == 'S' || tokens[0][0] == 's')) {
    selective = true;
    tokens = need_line("the coordinate mode");
  }
  if (tokens.empty()) throw StructureFileError(source, line_no(), "expected 'Direct' or 'Cartesian'");
  const char mode = tokens[0][0];
  const bool cartesian = mode == 'C' || mode == 'c' || mode == 'K' || mode == 'k';
  if (!cartesian && mode != 'D' && mode != 'd')
    throw StructureFileError(source, line_no(), "expected 'Direct' or 'Cartesian', found '" + std::string(tokens[0]) + "'");

  s.positions.resize(3, static_cast<Eigen::Index>(total));
  if (selective) s.fixed.assign(total, 0);
  for (std::size_t i = 0; i < total; ++i) {
    tokens = need_line("an atom position");
    if (tokens.size() < (selective ? 6u : 3u))
      throw StructureFileError(source, line_no(), selective ? "expected three coordinates and three T/F flags" : "expected three coordinates");
    Eigen::Vector3d x;
    for (int c = 0; c < 3; ++c) x[c] = text::parse_double(tokens[c], source, line_no(), "a coordinate");
    s.positions.col(static_cast<Eigen::Index>(i)) = cartesian ? Eigen::Vector3d(x * length_factor) : Eigen::Vector3d(s.cell * x);
    if (selective) {
      const bool a = parse_flag(tokens[3], source, line_no()), b = parse_flag(tokens[4], source, line_no()),
                 c = parse_flag(tokens[5], source, line_no());
      if (a != b || b != c)
        throw StructureFileError(source, line_no(), "per-direction selective dynamics cannot be represented (use F F F or T T T)");
      s.fixed[i] = a ? 0 : 1;
    }
  }
  return s;
}

Structure read_poscar(const std::string& path) { return parse_poscar(text::read_file(path), path); }

std::string format_poscar(const Structure& s, const PoscarWriteOptions& options) {
  std::vector<std::string> names;
  std::vector<std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < s.size(); ++i) {
    std::size_t g = 0;
    while (g < names.size() && names[g] != s.species[i]) ++g;
    if (g == names.size()) {
      names.push_back(s.species[i]);
      groups.emplace_back();
    }
    groups[g].push_back(i);
  }
  bool any_fixed = false;
  for (std::size_t i = 0; i < s.size(); ++i) any_fixed = any_fixed || s.is_fixed(i);

  std::string out = options.comment.empty() ? std::string("ionhop") : options.comment;
  for (char& c : out)
    if (c == '\n') c = ' ';
  out += "\n   1.0\n";
  for (int k = 0; k < 3; ++k) out += format_double(s.cell(0, k)) + format_double(s.cell(1, k)) + format_double(s.cell(2, k)) + "\n";
  for (const auto& n : names) out += "   " + n;
  out += "\n";
  for (const auto& g : groups) out += "   " + std::to_string(g.size());
  out += "\n";
  if (any_fixed) out += "Selective dynamics\n";
  out += options.direct ? "Direct\n" : "Cartesian\n";
  const Eigen::Matrix3d inverse = s.cell.inverse();
  for (const auto& g : groups)
    for (std::size_t i : g) {
      const Eigen::Vector3d r = s.positions.col(static_cast<Eigen::Index>(i));
      const Eigen::Vector3d x = options.direct ? Eigen::Vector3d(inverse * r) : r;
      out += format_double(x[0]) + format_double(x[1]) + format_double(x[2]);
      if (any_fixed) out += s.is_fixed(i) ? "   F   F   F" : "   T   T   T";
      out += "\n";
    }
  return out;
}

void write_poscar(const std::string& path, const Structure& s, const PoscarWriteOptions& options) {
  text::write_file(path, format_poscar(s, options));
}

}  // namespace ionhop::lattice
