#include "lattice/StructureCif.hpp"

// gemmi's bundled stb_sprintf is stripped in Debian; the standard snprintf serves instead.
#define USE_STD_SNPRINTF 1
#include <gemmi/cif.hpp>
#include <gemmi/smcif.hpp>
#include <gemmi/symmetry.hpp>

#include <Eigen/Dense>
#include <cmath>
#include <cstdlib>

#include "lattice/StructureFileError.hpp"
#include "lattice/StructureTextParsing.hpp"

namespace ionhop::lattice {
namespace {

constexpr double kMergeDistance_A = 0.05;
constexpr double kFullOccupancy = 1.0 - 1e-6;

/// gemmi reports parse errors as "<name>:<line>:<column>: ..."; recover the line when present.
int line_of(const std::string& message, const std::string& source) {
  const auto at = message.find(source + ":");
  if (at == std::string::npos) return 0;
  return std::atoi(message.c_str() + at + source.size() + 1);
}

std::vector<gemmi::Op> symmetry_operations(gemmi::cif::Block& block, const gemmi::SmallStructure& small,
                                           const std::string& source) {
  std::vector<gemmi::Op> ops;
  for (const char* tag : {"_space_group_symop_operation_xyz", "_symmetry_equiv_pos_as_xyz"}) {
    const gemmi::cif::Column column = block.find_values(tag);
    if (!column) continue;
    for (const std::string& raw : column) {
      const std::string xyz = gemmi::cif::as_string(raw);
      try {
        ops.push_back(gemmi::parse_triplet(xyz));
      } catch (const std::exception& e) {
        throw StructureFileError(source, 0, "cannot parse symmetry operation '" + xyz + "': " + e.what());
      }
    }
    if (!ops.empty()) return ops;
  }
  if (!small.spacegroup_hm.empty()) {
    const gemmi::SpaceGroup* sg = small.find_spacegroup();
    if (sg == nullptr) throw StructureFileError(source, 0, "unknown space group '" + small.spacegroup_hm + "' and no symmetry operations listed");
    const gemmi::GroupOps group = sg->operations();
    for (const gemmi::Op& sym : group.sym_ops)
      for (const gemmi::Op::Tran& cen : group.cen_ops) ops.push_back(sym.add_centering(cen));
    return ops;
  }
  ops.push_back(gemmi::Op::identity());
  return ops;
}

Eigen::Vector3d wrapped(const Eigen::Vector3d& f) {
  Eigen::Vector3d w;
  for (int k = 0; k < 3; ++k) {
    w[k] = f[k] - std::floor(f[k]);
    if (w[k] >= 1.0 - 1e-12) w[k] = 0.0;  // keep 0.9999999999 and 1.0 at the origin
  }
  return w;
}

}  // namespace

CifStructure parse_cif(std::string_view text, const std::string& source) {
  gemmi::cif::Document doc;
  try {
    doc = gemmi::cif::read_memory(text.data(), text.size(), source.c_str());
  } catch (const std::exception& e) {
    throw StructureFileError(source, line_of(e.what(), source), std::string("CIF syntax error: ") + e.what());
  }
  if (doc.blocks.empty()) throw StructureFileError(source, 0, "no data block");
  gemmi::cif::Block& block = doc.blocks.front();
  gemmi::SmallStructure small;
  try {
    small = gemmi::make_small_structure_from_block(block);
  } catch (const std::exception& e) {
    throw StructureFileError(source, 0, std::string("cannot read the structure: ") + e.what());
  }
  if (small.cell.a <= 0.0 || small.cell.b <= 0.0 || small.cell.c <= 0.0 || small.cell.volume <= 0.0)
    throw StructureFileError(source, 0, "missing or invalid _cell_length_*/_cell_angle_*");
  if (small.sites.empty()) throw StructureFileError(source, 0, "no _atom_site_ loop with fractional coordinates");

  CifStructure out;
  out.space_group = small.spacegroup_hm;
  const std::vector<gemmi::Op> ops = symmetry_operations(block, small, source);
  out.symmetry_operations = static_cast<int>(ops.size());

  Structure& s = out.structure;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) s.cell(r, c) = small.cell.orth.mat[r][c];
  s.pbc = {true, true, true};

  std::vector<Eigen::Vector3d> full_fractional;
  for (const auto& site : small.sites) {
    if (std::isnan(site.fract.x) || std::isnan(site.fract.y) || std::isnan(site.fract.z))
      throw StructureFileError(source, 0, "site '" + site.label + "' has no fractional coordinates");
    if (!(site.occ > 0.0) || site.occ > 1.0 + 1e-6)
      throw StructureFileError(source, 0, "site '" + site.label + "' has occupancy " + std::to_string(site.occ) + " outside (0, 1]");
    const std::string species = site.element != gemmi::El::X ? std::string(site.element.name())
                                                              : (site.type_symbol.empty() ? site.label : site.type_symbol);
    std::vector<Eigen::Vector3d> images;
    for (const gemmi::Op& op : ops) {
      const auto x = op.apply_to_xyz({site.fract.x, site.fract.y, site.fract.z});
      const Eigen::Vector3d f = wrapped(Eigen::Vector3d(x[0], x[1], x[2]));
      bool duplicate = false;
      for (const auto& g : images) {
        Eigen::Vector3d d = f - g;
        for (int k = 0; k < 3; ++k) d[k] -= std::round(d[k]);
        if ((s.cell * d).norm() < kMergeDistance_A) duplicate = true;
      }
      if (!duplicate) images.push_back(f);
    }
    for (const auto& f : images) {
      if (site.occ >= kFullOccupancy) {
        full_fractional.push_back(f);
        s.species.push_back(species);
        out.labels.push_back(site.label);
      } else {
        out.partial_sites.push_back({site.label, species, site.occ, f});
      }
    }
  }
  s.positions.resize(3, static_cast<Eigen::Index>(full_fractional.size()));
  for (std::size_t i = 0; i < full_fractional.size(); ++i) s.positions.col(static_cast<Eigen::Index>(i)) = s.cell * full_fractional[i];
  return out;
}

CifStructure read_cif(const std::string& path) { return parse_cif(text::read_file(path), path); }

}  // namespace ionhop::lattice
