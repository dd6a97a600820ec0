#include "lattice/StructureGeometry.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ionhop::lattice {

Eigen::Matrix3Xd fractional_positions(const Structure& s) {
  return s.cell.inverse() * s.positions;
}

void set_fractional_positions(Structure& s, const Eigen::Matrix3Xd& fractional) {
  s.positions = s.cell * fractional;
}

void wrap_positions(Structure& s) {
  Eigen::Matrix3Xd f = fractional_positions(s);
  for (Eigen::Index i = 0; i < f.cols(); ++i)
    for (int k = 0; k < 3; ++k)
      if (s.pbc[k]) {
        f(k, i) -= std::floor(f(k, i));
        if (f(k, i) >= 1.0) f(k, i) = 0.0;  // −1e-17 floors to −1 and lands on 1.0
      }
  set_fractional_positions(s, f);
}

Eigen::Vector3d perpendicular_widths_A(const Eigen::Matrix3d& cell) {
  const double volume = std::abs(cell.determinant());
  Eigen::Vector3d w;
  for (int k = 0; k < 3; ++k) {
    const Eigen::Vector3d n = cell.col((k + 1) % 3).cross(cell.col((k + 2) % 3));
    w[k] = volume / n.norm();
  }
  return w;
}

ImageDisplacement minimum_image(const Structure& s, const Eigen::Vector3d& from_A, const Eigen::Vector3d& to_A) {
  const Eigen::Vector3d d = to_A - from_A;
  Eigen::Vector3d f = s.cell.inverse() * d;
  Eigen::Vector3i base = Eigen::Vector3i::Zero();
  for (int k = 0; k < 3; ++k)
    if (s.pbc[k]) base[k] = -static_cast<int>(std::lround(f[k]));
  const Eigen::Vector3d reduced = d + s.cell * base.cast<double>();
  // An image shorter than `reduced` differs from it by at most |reduced| / width along each axis.
  const Eigen::Vector3d widths = perpendicular_widths_A(s.cell);
  Eigen::Vector3i range = Eigen::Vector3i::Zero();
  for (int k = 0; k < 3; ++k)
    if (s.pbc[k]) range[k] = static_cast<int>(std::ceil(reduced.norm() / widths[k] + 1e-12));
  ImageDisplacement best;
  best.distance_A = std::numeric_limits<double>::infinity();
  for (int a = -range[0]; a <= range[0]; ++a)
    for (int b = -range[1]; b <= range[1]; ++b)
      for (int c = -range[2]; c <= range[2]; ++c) {
        const Eigen::Vector3i image = base + Eigen::Vector3i(a, b, c);
        const Eigen::Vector3d v = d + s.cell * image.cast<double>();
        const double r = v.norm();
        if (r < best.distance_A - 1e-12) best = {v, image, r};
      }
  return best;
}

ImageDisplacement minimum_image(const Structure& s, std::size_t i, std::size_t j) {
  return minimum_image(s, s.positions.col(static_cast<Eigen::Index>(i)), s.positions.col(static_cast<Eigen::Index>(j)));
}

Structure make_supercell(const Structure& s, const std::array<int, 3>& repeats) {
  if (repeats[0] < 1 || repeats[1] < 1 || repeats[2] < 1)
    throw std::invalid_argument("make_supercell: repeats must be >= 1");
  const std::size_t n = s.size();
  const std::size_t copies = static_cast<std::size_t>(repeats[0]) * repeats[1] * repeats[2];
  Structure out;
  out.pbc = s.pbc;
  out.cell = s.cell;
  for (int k = 0; k < 3; ++k) out.cell.col(k) *= repeats[k];
  out.positions.resize(3, static_cast<Eigen::Index>(n * copies));
  out.species.reserve(n * copies);
  if (!s.fixed.empty()) out.fixed.reserve(n * copies);
  Eigen::Index col = 0;
  for (int c = 0; c < repeats[2]; ++c)
    for (int b = 0; b < repeats[1]; ++b)
      for (int a = 0; a < repeats[0]; ++a) {
        const Eigen::Vector3d t = s.cell * Eigen::Vector3d(a, b, c);
        for (std::size_t i = 0; i < n; ++i) {
          out.positions.col(col++) = s.positions.col(static_cast<Eigen::Index>(i)) + t;
          out.species.push_back(s.species[i]);
          if (!s.fixed.empty()) out.fixed.push_back(s.fixed[i]);
        }
      }
  return out;
}

}  // namespace ionhop::lattice
