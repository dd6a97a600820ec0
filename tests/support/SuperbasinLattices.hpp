#pragma once
// Lattices with superbasins, for tests and benchmarks: a two-rate ring, a random-trap ring and
// a 3D lattice of cages joined through bridge sites.
#include <cmath>
#include <memory>
#include <vector>

#include "kmc/Model.hpp"
#include "lattice/SymmetryOperations.hpp"
#include "lattice/Units.hpp"

namespace ionhop::testing {

/// Barrier (eV) whose Arrhenius factor at T is `factor`: exp(−E/k_BT) = factor.
inline double barrier_for_factor(double factor, double T) { return -units::kBoltzmann_eV_per_K * T * std::log(factor); }

inline std::shared_ptr<kmc::Model> finish_model(const lattice::Crystal& crystal, const std::vector<lattice::HopRule>& rules,
                                                std::array<int, 3> reps, std::vector<kmc::SiteType> types,
                                                long long ions, const std::vector<kmc::HopBarrier>& per_rule) {
  auto model = std::make_shared<kmc::Model>();
  model->network = std::make_shared<lattice::HopNetwork>(crystal, rules, lattice::find_space_group(crystal));
  model->supercell = std::make_shared<lattice::Supercell>(crystal, reps);
  model->site_types = std::move(types);
  model->species = {{"X", 1, true, std::vector<char>(model->site_types.size(), 1), ions}};
  std::vector<kmc::HopBarrier> per_class;
  for (const auto& c : model->network->classes()) per_class.push_back(per_rule.at(c.rule));
  model->barriers = std::make_shared<kmc::TableBarrierSource>(per_class);
  return model;
}

/// A ring of 2·cells sites, spacing alternating 0.6 Å (fast bond, rate Γ₁) and 1.4 Å (slow
/// bond, Γ₂): mean spacing a = 1 Å. Rates at T: Γ = ν exp(−E_KRA/k_BT), equal site energies.
inline std::shared_ptr<kmc::Model> make_two_rate_ring(int cells, double fast_barrier_eV, double slow_barrier_eV,
                                                      double nu_Hz = 1e13) {
  lattice::Crystal c;
  c.cell = Eigen::Vector3d(2.0, 20.0, 20.0).asDiagonal();
  c.add_site("A", {0.0, 0.0, 0.0});
  c.add_site("A", {0.3, 0.0, 0.0});
  return finish_model(c, {{0, 0, 1, {}}, {0, 0, 2, {}}}, {cells, 1, 1}, {{"A", 0.0, 0.0}}, 1,
                      {{fast_barrier_eV, nu_Hz}, {slow_barrier_eV, nu_Hz}});
}

/// A ring of `sites` sites 1 Å apart with Gaussian random traps of width sigma_eV: the rate
/// out of site i to either side is ν exp(−(E_KRA − δ_i)/k_BT).
inline std::shared_ptr<kmc::Model> make_trap_ring(int sites, double barrier_eV, double sigma_eV, double nu_Hz = 1e13) {
  lattice::Crystal c;
  c.cell = Eigen::Vector3d(1.0, 20.0, 20.0).asDiagonal();
  c.add_site("A", {0.0, 0.0, 0.0});
  kmc::SiteType a{"A", 0.0, sigma_eV};
  a.disorder_traps = true;
  return finish_model(c, {{0, 0, 1, {}}}, {sites, 1, 1}, {a}, 1, {{barrier_eV, nu_Hz}});
}

struct CageLatticeSpec {
  int cells = 3;                  ///< cages along each axis
  long long ions = 1;
  double intra_barrier_eV = 0.10; ///< E_KRA of the hops inside a cage
  double exit_kra_eV = 0.35;      ///< E_KRA of a cage ↔ bridge hop
  double c2_energy_eV = 0.03;     ///< energy of the two cage sites on ±z
  double bridge_energy_eV = 0.20;
  double nu_Hz = 1e13;
};

/// Cubic cells of 6 Å, one cage per cell: 6 sites 0.9 Å from the cell centre along ±x, ±y
/// (type C1, energy 0) and ±z (type C2), joined by 1.27 Å hops; bridge sites (type B) at the
/// face centres, 2.1 Å from the cage site that faces them. A cage is left only through a
/// bridge, so an ion that escapes a cage sits on a bridge before it enters the next cage.
inline std::shared_ptr<kmc::Model> make_cage_lattice(const CageLatticeSpec& s) {
  lattice::Crystal c;
  c.cell = Eigen::Matrix3d::Identity() * 6.0;
  const double d = 0.15;
  for (int axis = 0; axis < 3; ++axis)
    for (int sign : {-1, 1}) {
      Eigen::Vector3d f(0.5, 0.5, 0.5);
      f[axis] += sign * d;
      c.add_site(axis == 2 ? "C2" : "C1", f);
    }
  c.add_site("B", {0.0, 0.5, 0.5});
  c.add_site("B", {0.5, 0.0, 0.5});
  c.add_site("B", {0.5, 0.5, 0.0});
  const int c1 = c.type_index("C1"), c2 = c.type_index("C2"), b = c.type_index("B");
  std::vector<lattice::HopRule> rules{{c1, c1, 1, 1.3}, {c1, c2, 1, 1.3}, {c1, b, 1, 2.2}, {c2, b, 1, 2.2}};
  std::vector<kmc::SiteType> types(3);
  types[c1] = {"C1", 0.0, 0.0};
  types[c2] = {"C2", s.c2_energy_eV, 0.0};
  types[b] = {"B", s.bridge_energy_eV, 0.0};
  return finish_model(c, rules, {s.cells, s.cells, s.cells}, types, s.ions,
                      {{s.intra_barrier_eV, s.nu_Hz}, {s.intra_barrier_eV, s.nu_Hz}, {s.exit_kra_eV, s.nu_Hz},
                       {s.exit_kra_eV, s.nu_Hz}});
}

}  // namespace ionhop::testing
