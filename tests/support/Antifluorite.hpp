#pragma once
// The conventional antifluorite cell (Li₂O, Na₂O): anions on fcc sites, cations in all eight
// tetrahedral holes; 12 atoms, wrapped into the cell. Shared by tests and benchmarks.
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "lattice/StructureGeometry.hpp"

namespace ionhop::testing {

inline lattice::Structure antifluorite_cell(double a_A, const std::string& cation = "Li",
                                            const std::string& anion = "O") {
  lattice::Structure cell;
  cell.cell = a_A * Eigen::Matrix3d::Identity();
  const double fcc[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  std::vector<Eigen::Vector3d> pos;
  for (const auto& f : fcc) {
    pos.emplace_back(f[0], f[1], f[2]);
    cell.species.push_back(anion);
  }
  for (const auto& f : fcc)
    for (double t : {0.25, 0.75}) {
      pos.emplace_back(f[0] + t, f[1] + t, f[2] + t);
      cell.species.push_back(cation);
    }
  cell.positions.resize(3, static_cast<Eigen::Index>(pos.size()));
  for (std::size_t i = 0; i < pos.size(); ++i) cell.positions.col(static_cast<Eigen::Index>(i)) = a_A * pos[i];
  lattice::wrap_positions(cell);
  return cell;
}

}  // namespace ionhop::testing
