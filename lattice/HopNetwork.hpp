#pragma once
/// The hop network of a crystal: directed hop templates per basis site (a hop from basis site b
/// in cell 0 to basis site b' in cell n), split into symmetry-distinct classes, stored also as a
/// Boost.Graph quotient graph whose edges carry the periodic image offset.
#include <Eigen/Core>
#include <boost/graph/adjacency_list.hpp>
#include <optional>
#include <vector>

#include "lattice/Crystal.hpp"
#include "lattice/SymmetryOperations.hpp"

namespace ionhop::lattice {

/// Creates hops between sites of type `from_type` and `to_type` at the `shell`-th distinct
/// distance between those types, or at every distance up to `max_distance_A`. Hops are
/// reversible: the reverse hops are created too.
struct HopRule {
  int from_type = 0;
  int to_type = 0;
  int shell = 1;
  std::optional<double> max_distance_A;
};

struct HopTemplate {
  int from_basis = 0;
  int to_basis = 0;
  Eigen::Vector3i cell_offset = Eigen::Vector3i::Zero();  ///< cell of the target, relative
  Eigen::Vector3d vector_A = Eigen::Vector3d::Zero();     ///< Cartesian displacement [Å]
  int rule = 0;       ///< index of the rule that created it
  int hop_class = 0;  ///< symmetry class (a hop and its reverse share a class)
};

/// A symmetry class of hops: all hops mapped onto each other by the space group or by reversal.
struct HopClass {
  int from_type = 0;        ///< type of the origin of the class's representative hop
  int to_type = 0;
  double distance_A = 0.0;
  int rule = 0;
  int templates_per_cell = 0;  ///< directed hops of this class per primitive cell
};

struct HopEdge {
  Eigen::Vector3i cell_offset = Eigen::Vector3i::Zero();
  int hop_class = 0;
};
/// Vertices are basis sites; an edge b → b' with offset n is a hop template.
using HopGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                                       boost::no_property, HopEdge>;

class HopNetwork {
 public:
  /// Throws LatticeError when a rule finds no hop or names an unknown type.
  HopNetwork(const Crystal& crystal, const std::vector<HopRule>& rules,
             const std::vector<SymmetryOperation>& space_group);

  const std::vector<HopTemplate>& templates() const { return templates_; }
  const std::vector<HopClass>& classes() const { return classes_; }
  /// Indices into templates() of the hops leaving basis site b.
  const std::vector<int>& templates_from(int basis) const { return by_basis_[basis]; }
  const HopGraph& graph() const { return graph_; }
  /// Dimensionality of the network (0–3): the rank of the lattice of periodic translations
  /// reachable by hops, maximised over connected components.
  int dimension() const { return dimension_; }
  double max_hop_distance_A() const;

 private:
  std::vector<HopTemplate> templates_;
  std::vector<HopClass> classes_;
  std::vector<std::vector<int>> by_basis_;
  HopGraph graph_;
  int dimension_ = 0;
};

}  // namespace ionhop::lattice
