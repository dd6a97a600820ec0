#pragma once
/// Format-agnostic structure reading and writing, chosen from the file name:
/// *.cif → CIF; *.xyz / *.extxyz → extended XYZ; POSCAR*, CONTCAR*, *.vasp, *.poscar → POSCAR.
#include <string>

#include "lattice/Structure.hpp"

namespace ionhop::lattice {

/// Reads one structure. For extended XYZ the last frame is returned (the final state of a
/// trajectory or relaxation). A CIF with partially occupied sites is an error here (use read_cif,
/// which reports them). Throws StructureFileError, also for an unrecognised file name.
Structure read_structure(const std::string& path);

/// Writes one structure as POSCAR or extended XYZ (chosen as for reading; CIF is not written).
void write_structure(const std::string& path, const Structure& s);

}  // namespace ionhop::lattice
