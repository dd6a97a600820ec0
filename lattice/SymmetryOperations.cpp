#include "lattice/SymmetryOperations.hpp"

#include <cmath>

namespace ionhop::lattice {
namespace {

// Candidate rotations: integer matrices with entries in {-1, 0, 1} that preserve the metric
// G = AᵀA, i.e. WᵀGW = G. This covers every point-group operation of a reduced cell, including
// the hexagonal ones in the conventional hexagonal setting.
std::vector<Eigen::Matrix3i> metric_preserving_rotations(const Eigen::Matrix3d& cell) {
  const Eigen::Matrix3d G = cell.transpose() * cell;
  const double scale = G.diagonal().maxCoeff();
  std::vector<Eigen::Matrix3i> out;
  Eigen::Matrix3i W;
  for (int code = 0; code < 19683; ++code) {
    int c = code;
    for (int e = 0; e < 9; ++e) {
      W(e / 3, e % 3) = c % 3 - 1;
      c /= 3;
    }
    const int det = W.determinant();
    if (det != 1 && det != -1) continue;
    const Eigen::Matrix3d Wd = W.cast<double>();
    if ((Wd.transpose() * G * Wd - G).cwiseAbs().maxCoeff() < 1e-8 * scale) out.push_back(W);
  }
  return out;
}

}  // namespace

SiteImage apply_to_site(const Crystal& crystal, const SymmetryOperation& op,
                        const Eigen::Vector3d& fractional, int type, double tolerance) {
  const Eigen::Vector3d image = op.rotation.cast<double>() * fractional + op.translation;
  for (std::size_t b = 0; b < crystal.basis.size(); ++b) {
    if (crystal.basis[b].type != type) continue;
    const Eigen::Vector3d diff = image - crystal.basis[b].fractional;
    const Eigen::Vector3d shift = diff.array().round();
    if ((diff - shift).cwiseAbs().maxCoeff() < tolerance)
      return {static_cast<int>(b), shift.cast<int>()};
  }
  return {};
}

std::vector<SymmetryOperation> find_space_group(const Crystal& crystal, double tolerance) {
  std::vector<SymmetryOperation> ops;
  if (crystal.basis.empty()) return ops;
  const BasisSite& first = crystal.basis.front();
  for (const Eigen::Matrix3i& W : metric_preserving_rotations(crystal.cell)) {
    const Eigen::Vector3d rotated = W.cast<double>() * first.fractional;
    for (const BasisSite& target : crystal.basis) {
      if (target.type != first.type) continue;
      SymmetryOperation op{W, wrap_fractional(target.fractional - rotated)};
      bool maps_all = true;
      for (const BasisSite& s : crystal.basis) {
        if (apply_to_site(crystal, op, s.fractional, s.type, tolerance).basis < 0) {
          maps_all = false;
          break;
        }
      }
      if (maps_all) ops.push_back(op);
    }
  }
  return ops;
}

}  // namespace ionhop::lattice
