#pragma once
/// A periodic lattice of sites: a cell and a basis of typed sites (the primitive description).
#include <Eigen/Core>
#include <string>
#include <vector>

namespace ionhop::lattice {

struct BasisSite {
  int type = 0;                  ///< index into Crystal::type_names
  Eigen::Vector3d fractional;    ///< position in fractional coordinates, each in [0, 1)
};

struct Crystal {
  Eigen::Matrix3d cell = Eigen::Matrix3d::Identity();  ///< columns are lattice vectors [Å]
  std::vector<std::string> type_names;                 ///< site-type names
  std::vector<BasisSite> basis;

  Eigen::Vector3d to_cartesian(const Eigen::Vector3d& fractional) const { return cell * fractional; }
  /// Index of a type name, or -1.
  int type_index(const std::string& name) const;
  /// Adds a site, creating its type name if new; wraps the position into [0, 1).
  void add_site(const std::string& type, const Eigen::Vector3d& fractional);
};

/// Wraps each fractional coordinate into [0, 1) (values within 1e-9 of 1 become 0).
Eigen::Vector3d wrap_fractional(const Eigen::Vector3d& f);

}  // namespace ionhop::lattice
