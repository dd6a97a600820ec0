#pragma once
/// Small structures shared by the potential tests.
#include <Eigen/Core>
#include <cmath>
#include <string>

#include "lattice/Structure.hpp"
#include "lattice/StructureGeometry.hpp"

namespace ionhop::neb::testing {

/// Rock salt conventional cell (4 A + 4 B) with lattice parameter a [Å].
inline lattice::Structure rock_salt(double a, const std::string& cation = "Na", const std::string& anion = "Cl") {
  lattice::Structure s;
  s.cell = a * Eigen::Matrix3d::Identity();
  const double f[8][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}, {.5, 0, 0}, {0, .5, 0}, {0, 0, .5}, {.5, .5, .5}};
  s.positions.resize(3, 8);
  for (int i = 0; i < 8; ++i) {
    s.positions.col(i) = a * Eigen::Vector3d(f[i][0], f[i][1], f[i][2]);
    s.species.push_back(i < 4 ? cation : anion);
  }
  return s;
}

/// CsCl cell (1 A + 1 B) with lattice parameter a [Å].
inline lattice::Structure cesium_chloride(double a) {
  lattice::Structure s;
  s.cell = a * Eigen::Matrix3d::Identity();
  s.positions.resize(3, 2);
  s.positions.col(0) = Eigen::Vector3d::Zero();
  s.positions.col(1) = Eigen::Vector3d::Constant(0.5 * a);
  s.species = {"Cs", "Cl"};
  return s;
}

/// Rock salt (a = 4.2 Å) in a sheared, triclinic cell about 4.3 Å wide, with deterministic
/// pseudo-random displacements of up to 0.2 Å: several periodic images of every atom lie within
/// typical cutoffs, and no pair sits on a symmetric position.
inline lattice::Structure distorted_triclinic() {
  lattice::Structure s = rock_salt(4.2, "A", "B");
  Eigen::Matrix3d shear;
  shear << 1.0, 0.12, -0.07, 0.0, 1.03, 0.09, 0.0, 0.0, 0.97;
  s.cell = shear * s.cell;
  s.positions = shear * s.positions;
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.2 * std::sin(1.7 * static_cast<double>(i) + 2.3 * k + 0.4);
  return s;
}

}  // namespace ionhop::neb::testing
