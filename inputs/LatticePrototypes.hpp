#pragma once
/// Names of the prototype lattices a study file may ask for, and the site types each one has.
/// The geometry itself lives in lattice/; this list is what the study reader validates against.
#include <span>
#include <string_view>

namespace ionhop::inputs {

struct LatticePrototypeInfo {
  std::string_view name;                       ///< as written in `lattice.prototype`
  std::span<const std::string_view> site_types;///< site-type names, in the lattice's order
  int dimensionality;                          ///< 1, 2 or 3: dimension of the hop network
  bool uses_c_over_a;                          ///< whether `lattice.c_over_a` applies
  std::string_view description;                ///< one line for the docs
};

/// All prototypes, in documentation order.
std::span<const LatticePrototypeInfo> lattice_prototypes();

/// The prototype called `name`, or nullptr.
const LatticePrototypeInfo* find_lattice_prototype(std::string_view name);

/// Ideal c/a of a hexagonal close packing, √(8/3): the default of `lattice.c_over_a`.
inline constexpr double kIdealHcpCOverA = 1.6329931618554521;

}  // namespace ionhop::inputs
