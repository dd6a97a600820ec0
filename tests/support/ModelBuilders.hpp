#pragma once
// Small builders of KMC models for tests and benchmarks.
#include <memory>
#include <string>
#include <vector>

#include "kmc/Model.hpp"
#include "lattice/Prototypes.hpp"

namespace ionhop::testing {

struct LatticeGasSpec {
  std::string prototype = "sc";
  double a_A = 1.0;
  int repeat = 8;                  ///< supercell repetitions along each periodic axis
  long long ions = 1;
  double barrier_eV = 0.0;
  double nu_Hz = 1.0;
  std::vector<double> shell_energies_eV;  ///< Li–Li pair energies by shell (empty: none)
};

/// One mobile species "X" (z = 1) on a one-type prototype with nearest-neighbour hops.
inline std::shared_ptr<kmc::Model> make_lattice_gas(const LatticeGasSpec& spec) {
  auto crystal = lattice::make_prototype(spec.prototype, spec.a_A);
  const auto ops = lattice::find_space_group(crystal);
  std::array<int, 3> reps{spec.repeat, spec.repeat, spec.repeat};
  // Two-dimensional and chain prototypes are flat along c (and b for the chain).
  if (spec.prototype == "chain") reps = {spec.repeat, 1, 1};
  if (spec.prototype == "square" || spec.prototype == "triangular" || spec.prototype == "honeycomb")
    reps = {spec.repeat, spec.repeat, 1};
  auto model = std::make_shared<kmc::Model>();
  model->network = std::make_shared<lattice::HopNetwork>(crystal, std::vector<lattice::HopRule>{{0, 0, 1, {}}}, ops);
  model->supercell = std::make_shared<lattice::Supercell>(crystal, reps);
  model->site_types = {{"A", 0.0, 0.0}};
  model->species = {{"X", 1, true, {1}, spec.ions}};
  if (!spec.shell_energies_eV.empty()) {
    model->interactions = {{0, 0, spec.shell_energies_eV}};
    model->shells = std::make_shared<lattice::NeighborShells>(crystal, static_cast<int>(spec.shell_energies_eV.size()));
  }
  std::vector<kmc::HopBarrier> barriers(model->network->classes().size(), {spec.barrier_eV, spec.nu_Hz});
  model->barriers = std::make_shared<kmc::TableBarrierSource>(barriers);
  return model;
}

}  // namespace ionhop::testing
