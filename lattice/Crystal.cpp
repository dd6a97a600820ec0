#include "lattice/Crystal.hpp"

#include <cmath>

namespace ionhop::lattice {

Eigen::Vector3d wrap_fractional(const Eigen::Vector3d& f) {
  Eigen::Vector3d w;
  for (int k = 0; k < 3; ++k) {
    w[k] = f[k] - std::floor(f[k]);
    if (w[k] > 1.0 - 1e-9) w[k] = 0.0;
  }
  return w;
}

int Crystal::type_index(const std::string& name) const {
  for (std::size_t i = 0; i < type_names.size(); ++i)
    if (type_names[i] == name) return static_cast<int>(i);
  return -1;
}

void Crystal::add_site(const std::string& type, const Eigen::Vector3d& fractional) {
  int t = type_index(type);
  if (t < 0) {
    type_names.push_back(type);
    t = static_cast<int>(type_names.size()) - 1;
  }
  basis.push_back({t, wrap_fractional(fractional)});
}

}  // namespace ionhop::lattice
