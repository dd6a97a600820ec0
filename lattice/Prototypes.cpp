#include "lattice/Prototypes.hpp"

#include <cmath>

#include "lattice/LatticeError.hpp"

namespace ionhop::lattice {
namespace {

constexpr double kFlatFactor = 10.0;  // c of the 2D and 1D prototypes, in units of a

Crystal cubic(double a) {
  Crystal c;
  c.cell = a * Eigen::Matrix3d::Identity();
  return c;
}

Crystal hexagonal_plane(double a) {
  Crystal c;
  c.cell.col(0) = Eigen::Vector3d(a, 0, 0);
  c.cell.col(1) = Eigen::Vector3d(0.5 * a, 0.5 * std::sqrt(3.0) * a, 0);
  c.cell.col(2) = Eigen::Vector3d(0, 0, kFlatFactor * a);
  return c;
}

void add_fcc_translations(Crystal& c, const std::string& type, const Eigen::Vector3d& offset) {
  for (const Eigen::Vector3d& t : {Eigen::Vector3d(0, 0, 0), Eigen::Vector3d(0, 0.5, 0.5),
                                  Eigen::Vector3d(0.5, 0, 0.5), Eigen::Vector3d(0.5, 0.5, 0)})
    c.add_site(type, t + offset);
}

}  // namespace

const std::vector<std::string>& prototype_names() {
  static const std::vector<std::string> names{
      "chain", "square", "triangular", "honeycomb", "sc", "bcc", "fcc", "diamond",
      "bcc_anion_T", "fcc_anion_TO", "hcp_anion_TO"};
  return names;
}

Crystal make_prototype(std::string_view name, double a, double c_over_a) {
  if (!(a > 0.0)) throw LatticeError("lattice parameter must be positive");
  Crystal c;
  if (name == "chain") {
    c.cell = Eigen::Vector3d(a, kFlatFactor * a, kFlatFactor * a).asDiagonal();
    c.add_site("A", {0, 0, 0});
  } else if (name == "square") {
    c.cell = Eigen::Vector3d(a, a, kFlatFactor * a).asDiagonal();
    c.add_site("A", {0, 0, 0});
  } else if (name == "triangular") {
    c = hexagonal_plane(a);
    c.add_site("A", {0, 0, 0});
  } else if (name == "honeycomb") {
    c = hexagonal_plane(a);
    c.add_site("A", {1.0 / 3, 1.0 / 3, 0});
    c.add_site("A", {2.0 / 3, 2.0 / 3, 0});
  } else if (name == "sc") {
    c = cubic(a);
    c.add_site("A", {0, 0, 0});
  } else if (name == "bcc") {
    c = cubic(a);
    c.add_site("A", {0, 0, 0});
    c.add_site("A", {0.5, 0.5, 0.5});
  } else if (name == "fcc") {
    c = cubic(a);
    add_fcc_translations(c, "A", {0, 0, 0});
  } else if (name == "diamond") {
    c = cubic(a);
    add_fcc_translations(c, "A", {0, 0, 0});
    add_fcc_translations(c, "A", {0.25, 0.25, 0.25});
  } else if (name == "bcc_anion_T") {
    // Tetrahedral interstices of bcc: four on each cube face, e.g. (1/2, 1/4, 0); with the
    // body-centring translation, 12 per cell. Nearest T–T distance a√2/4 (face-sharing).
    c = cubic(a);
    const double q[2] = {0.25, 0.75};
    for (double x : q) {
      c.add_site("T", {0.5, x, 0});
      c.add_site("T", {x, 0.5, 0});
      c.add_site("T", {0, 0.5, x});
      c.add_site("T", {0, x, 0.5});
      c.add_site("T", {x, 0, 0.5});
      c.add_site("T", {0.5, 0, x});
    }
  } else if (name == "fcc_anion_TO") {
    // Tetrahedral interstices at (±1/4, ±1/4, ±1/4), octahedral at (1/2, 0, 0) and equivalents.
    c = cubic(a);
    for (double x : {0.25, 0.75})
      for (double y : {0.25, 0.75})
        for (double z : {0.25, 0.75}) c.add_site("T", {x, y, z});
    add_fcc_translations(c, "O", {0.5, 0.5, 0.5});
  } else if (name == "hcp_anion_TO") {
    // Anions at (1/3, 2/3, 1/4) and (2/3, 1/3, 3/4); octahedral holes at z = 0, 1/2 on the
    // c axis; tetrahedral holes 3c/8 above and below each anion (face-sharing T–T pairs).
    const double ca = c_over_a > 0 ? c_over_a : std::sqrt(8.0 / 3.0);
    c.cell.col(0) = Eigen::Vector3d(a, 0, 0);
    c.cell.col(1) = Eigen::Vector3d(-0.5 * a, 0.5 * std::sqrt(3.0) * a, 0);
    c.cell.col(2) = Eigen::Vector3d(0, 0, ca * a);
    c.add_site("T", {1.0 / 3, 2.0 / 3, 5.0 / 8});
    c.add_site("T", {1.0 / 3, 2.0 / 3, 7.0 / 8});
    c.add_site("T", {2.0 / 3, 1.0 / 3, 1.0 / 8});
    c.add_site("T", {2.0 / 3, 1.0 / 3, 3.0 / 8});
    c.add_site("O", {0, 0, 0});
    c.add_site("O", {0, 0, 0.5});
  } else {
    throw LatticeError("unknown lattice prototype '" + std::string(name) + "'");
  }
  return c;
}

std::vector<std::string> prototype_site_types(std::string_view name) {
  return make_prototype(name, 1.0).type_names;
}

}  // namespace ionhop::lattice
