#pragma once
// The vacancy hop of tests on ionic hosts: the first atom of a species and its nearest neighbour
// of the same species (the first of equally near ones, up to rounding); the first hops into the
// site of the second.
#include <cstddef>
#include <limits>
#include <string>

#include "lattice/Structure.hpp"
#include "lattice/StructureGeometry.hpp"

namespace ionhop::testing {

struct NearestPair {
  std::size_t moving = 0, vacancy = 0;
  double distance_A = std::numeric_limits<double>::infinity();
};

inline NearestPair nearest_pair(const lattice::Structure& host, const std::string& species) {
  NearestPair p;
  for (std::size_t i = 0; i < host.size(); ++i) {
    if (host.species[i] != species) continue;
    p.moving = i;
    for (std::size_t j = 0; j < host.size(); ++j) {
      if (j == i || host.species[j] != species) continue;
      const double d = lattice::minimum_image(host, i, j).distance_A;
      if (d < p.distance_A) p.distance_A = d, p.vacancy = j;
    }
    break;
  }
  return p;
}

}  // namespace ionhop::testing
