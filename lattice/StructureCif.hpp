#pragma once
/// CIF reading (through gemmi): the asymmetric unit expanded by the space-group operations to the
/// full conventional cell. Fully occupied sites become atoms of a Structure; partially occupied
/// sites (the mobile-ion sites of most electrolytes, or mixed occupancy) are reported separately
/// so the caller decides how to populate them.
#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::lattice {

/// A symmetry-expanded site with occupancy below 1.
struct PartialSite {
  std::string label;             ///< `_atom_site_label` of the asymmetric-unit site, e.g. "Li2"
  std::string species;           ///< element symbol (from `_atom_site_type_symbol`, charge removed)
  double occupancy = 1.0;        ///< `_atom_site_occupancy`, in (0, 1)
  Eigen::Vector3d fractional = Eigen::Vector3d::Zero();  ///< position in [0, 1)³ of the cell

  bool operator==(const PartialSite&) const = default;
};

struct CifStructure {
  /// The conventional cell (a along x, b in the xy plane) with every fully occupied site.
  Structure structure;
  /// Site label of each atom of `structure` (same order).
  std::vector<std::string> labels;
  /// Sites with occupancy < 1 − 1e-6, symmetry-expanded.
  std::vector<PartialSite> partial_sites;
  /// Hermann–Mauguin symbol as written in the file (may be empty).
  std::string space_group;
  /// Number of symmetry operations applied (including centring translations).
  int symmetry_operations = 1;
};

/// Reads the first data block of a CIF file. Symmetry comes from the listed operations
/// (`_space_group_symop_operation_xyz` or `_symmetry_equiv_pos_as_xyz`) when present, else from
/// the Hermann–Mauguin name; a file with neither is taken as P1. Copies of a site closer than
/// 0.05 Å (special positions) are merged. Throws StructureFileError.
CifStructure read_cif(const std::string& path);

/// Parses CIF text; `source_name` is used in error messages.
CifStructure parse_cif(std::string_view text, const std::string& source_name = "<cif>");

}  // namespace ionhop::lattice
