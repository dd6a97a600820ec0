#pragma once
/// The static description of a KMC system, shared read-only by every replica and temperature:
/// lattice, hop network, species, energetics and barriers. Built by the app from a study.
#include <memory>
#include <string>
#include <vector>

#include "kmc/BarrierSource.hpp"
#include "lattice/HopNetwork.hpp"
#include "lattice/NeighborShells.hpp"
#include "lattice/Supercell.hpp"

namespace ionhop::kmc {

/// A mobile or immobile species. Species are numbered globally: mobile ones first.
struct Species {
  std::string name;
  int charge = 1;                 ///< z [e]
  bool mobile = true;
  std::vector<char> allowed_type; ///< per site type: may it sit there
  long long count = 0;            ///< number placed on the lattice
};

/// Pair energy between species a and b (global indices) by neighbour shell.
struct PairInteraction {
  int species_a = 0;
  int species_b = 0;
  std::vector<double> shell_energies_eV;  ///< [k] is shell k+1
};

/// A slab of the supercell with its own energetics.
struct Region {
  std::string name;
  int axis = 0;                 ///< 0, 1, 2: along supercell vector a, b, c
  double from_fraction = 0.0;   ///< [from, to) in fractions of the supercell along axis
  double to_fraction = 0.0;
  double energy_shift_eV = 0.0;
  double barrier_shift_eV = 0.0;
};

struct SiteType {
  std::string name;
  double energy_eV = 0.0;
  double disorder_sigma_eV = 0.0;
  /// How the Gaussian disorder acts. false: it shifts the site energy, and with the KRA form
  /// the saddles move by the mean of their ends (random site energies). true: random traps
  /// (Haus & Kehr 1987): it lowers or raises the site alone, every saddle stays put, so the
  /// barrier out of site i is E_KRA − δ_i whatever the target.
  bool disorder_traps = false;
};

struct Model {
  std::shared_ptr<const lattice::Supercell> supercell;
  std::shared_ptr<const lattice::HopNetwork> network;
  std::vector<SiteType> site_types;      ///< indexed like the crystal's type_names
  std::vector<Species> species;          ///< mobile first, then immobile
  std::vector<PairInteraction> interactions;
  /// Neighbour shells out to max_shell(); required when there are interactions.
  std::shared_ptr<const lattice::NeighborShells> shells;
  std::vector<Region> regions;
  std::shared_ptr<const BarrierSource> barriers;

  int n_mobile() const;
  /// Largest shell used by any interaction (0: no interactions).
  int max_shell() const;
  /// Throws std::invalid_argument if inconsistent (e.g. more ions than allowed sites).
  void validate() const;
  /// Throws std::invalid_argument if a site would see itself, or one neighbour twice, through
  /// its hops or interaction shells (the supercell is smaller than their range).
  void check_supercell_size() const;
};

}  // namespace ionhop::kmc
