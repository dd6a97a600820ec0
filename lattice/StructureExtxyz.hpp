#pragma once
/// Extended XYZ (ASE conventions) reading and writing, several frames per file.
/// Comment line: key=value pairs, values optionally in double quotes; recognised keys:
///   Lattice="ax ay az bx by bz cx cy cz"  (rows are the lattice vectors a, b, c [Å]),
///   Properties=species:S:1:pos:R:3[:forces:R:3][:move_mask:L:1]  (other columns are skipped),
///   energy=<eV>, pbc="T T T".
/// Without Lattice the frame is non-periodic (pbc all false, cell = identity).
#include <Eigen/Core>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::lattice {

/// One frame of an extended XYZ file: the structure plus the labels stored with it.
struct XyzFrame {
  Structure structure;
  std::optional<double> energy_eV;                  ///< `energy=` [eV]
  std::optional<Eigen::Matrix3Xd> forces_eV_per_A;  ///< `forces` column [eV/Å], 3×N
  /// Every other key=value of the comment line, value unquoted (e.g. "config_type").
  std::map<std::string, std::string> info;
};

/// Reads all frames of an extended XYZ file. Throws StructureFileError with file and line.
std::vector<XyzFrame> read_extxyz(const std::string& path);

/// Parses extended XYZ text (one or more frames); `source_name` is used in error messages.
std::vector<XyzFrame> parse_extxyz(std::string_view text, const std::string& source_name = "<extxyz>");

/// Formats frames as extended XYZ (17 significant digits, so doubles round-trip exactly).
/// Writes a `move_mask:L:1` column (T = free) when any atom is fixed.
std::string format_extxyz(const std::vector<XyzFrame>& frames);

/// Writes format_extxyz(frames) to `path`.
void write_extxyz(const std::string& path, const std::vector<XyzFrame>& frames);

}  // namespace ionhop::lattice
