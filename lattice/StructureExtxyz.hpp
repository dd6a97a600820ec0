#pragma once
/// Extended XYZ (ASE conventions) reading and writing, several frames per file.
/// Comment line: key=value pairs, values optionally in double quotes; recognised keys:
///   Lattice="ax ay az bx by bz cx cy cz"  (rows are the lattice vectors a, b, c [Å]),
///   Properties=species:S:1:pos:R:3[:forces:R:3][:move_mask:L:1]  (other columns are skipped),
///   energy=<eV>, pbc="T T T",
///   stress="<9 or 6 numbers>" [eV/Å³], virial="<9 numbers>" [eV], weight=<w> (or config_weight=<w>).
/// Without Lattice the frame is non-periodic (pbc all false, cell = identity).
///
/// Stress follows ASE: σ = (1/V) ∂E/∂ε, so σ = −W/V with W the virial of neb::PotentialResult
/// (a cell under compression has negative diagonal stress; pressure P = −tr σ / 3). Nine values
/// are the full 3×3 matrix in row order (xx xy xz yx yy yz zx zy zz, what ase.io.write gives);
/// six values are Voigt order (xx yy zz yz xz xy). `virial` (the libatoms/GAP and ACE convention,
/// 9 values, W = −σ V) is converted to stress on reading; when a frame gives both they must agree
/// to 1e-6 relative. Only `stress` (9 values) is written.
/// `weight` is a non-negative, finite per-frame training weight (default 1, then not written);
/// `config_weight` (MACE's key) is read as a synonym. `config_type` (ASE, libatoms, ACE, MACE)
/// stays in `info` like any other text label; XyzFrame::config_type() reads it.
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
  /// `stress=` (or −`virial=`/V) [eV/Å³], ASE sign convention (see above); needs a periodic cell.
  std::optional<Eigen::Matrix3d> stress_eV_per_A3 = std::nullopt;
  /// `weight=` per-frame training weight, ≥ 0 (1 when the file gives none).
  double weight = 1.0;

  /// The `config_type` label ("" when the frame has none).
  std::string config_type() const {
    const auto it = info.find("config_type");
    return it == info.end() ? std::string() : it->second;
  }
  /// Sets the `config_type` label (an empty name removes it).
  void set_config_type(const std::string& name) {
    if (name.empty()) info.erase("config_type");
    else info["config_type"] = name;
  }
};

/// The key=value text of `info` as an extended XYZ comment line writes it (values quoted when
/// they contain blanks, quotes or '='), keys in map order, separated by one blank.
std::string format_extxyz_info(const std::map<std::string, std::string>& info);

/// Parses key=value text written by format_extxyz_info (or any comment-line fragment) into a
/// map; a bare key has the value "T". Throws StructureFileError at `source_name`:`line`.
std::map<std::string, std::string> parse_extxyz_info(std::string_view text, const std::string& source_name = "<extxyz>",
                                                     int line = 0);

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
