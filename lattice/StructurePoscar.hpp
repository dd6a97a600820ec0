#pragma once
/// VASP 5 POSCAR/CONTCAR reading and writing.
/// Reads: comment, scale (negative = target volume [Å³]), three lattice-vector rows, species
/// names, counts, optional "Selective dynamics", "Direct"/"Cartesian" positions (Cartesian ones
/// are scaled too). An atom with flags "F F F" is fixed, "T T T" free; mixed flags cannot be
/// represented by Structure and are an error. Lines after the positions (velocities) are ignored.
#include <string>
#include <string_view>

#include "lattice/Structure.hpp"

namespace ionhop::lattice {

/// Reads a POSCAR/CONTCAR file. Throws StructureFileError with file and line.
Structure read_poscar(const std::string& path);

/// Parses POSCAR text; `source_name` is used in error messages.
Structure parse_poscar(std::string_view text, const std::string& source_name = "<poscar>");

struct PoscarWriteOptions {
  std::string comment = "written by ionhop";
  bool direct = true;  ///< fractional ("Direct") positions, else Cartesian [Å]
};

/// Formats a structure as VASP 5 POSCAR text (scale 1, species grouped in order of first
/// appearance, 16 significant digits; "Selective dynamics" when any atom is fixed).
/// Atoms are reordered by species group; the order within a species is kept.
std::string format_poscar(const Structure& s, const PoscarWriteOptions& options = {});

/// Writes format_poscar(s) to `path`.
void write_poscar(const std::string& path, const Structure& s, const PoscarWriteOptions& options = {});

}  // namespace ionhop::lattice
