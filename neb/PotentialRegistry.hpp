#pragma once
/// Potentials by name: a registry of factories from PotentialSpec, filled explicitly by
/// register_builtin_potentials() (no self-registering statics, which static linking can drop).
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "neb/Potential.hpp"
#include "neb/PotentialSpec.hpp"

namespace ionhop::neb {

class PotentialRegistry {
 public:
  /// Builds a potential from a spec; the registry is passed so composite potentials ("sum") can
  /// build their terms. Throws PotentialSpecError for an invalid spec.
  using Factory = std::function<std::unique_ptr<Potential>(const PotentialSpec&, const PotentialRegistry&)>;

  /// Adds a factory; throws std::invalid_argument if the name is taken.
  void add(const std::string& name, Factory factory);
  bool contains(const std::string& name) const { return factories_.count(name) != 0; }
  /// Registered names, sorted.
  std::vector<std::string> names() const;
  /// Creates spec.type; throws PotentialSpecError (unknown type: lists the known ones).
  std::unique_ptr<Potential> create(const PotentialSpec& spec) const;

 private:
  std::map<std::string, Factory> factories_;
};

/// Registers lennard_jones, morse, buckingham, repulsion_r12, coulomb_ewald, coulomb_dsf, sum.
/// Keys (units in the names):
///   pair terms:     settings cutoff_A; pairs lennard_jones {epsilon_eV, sigma_A},
///                   morse {D_eV, alpha_per_A, r0_A}, buckingham {A_eV, rho_A, C_eV_A6},
///                   repulsion_r12 {B_eV_A12}
///   coulomb_ewald:  charges_e; settings real_cutoff_A (10), accuracy (1e-6), alpha_per_A,
///                   kspace_cutoff_per_A (both optional)
///   coulomb_dsf:    charges_e; settings cutoff_A (10), alpha_per_A (0.2)
///   sum:            terms
void register_builtin_potentials(PotentialRegistry& registry);

/// A registry holding the built-in potentials (built once, on first use; thread-safe).
const PotentialRegistry& builtin_potentials();

/// builtin_potentials().create(spec).
std::unique_ptr<Potential> make_potential(const PotentialSpec& spec);

}  // namespace ionhop::neb
