#pragma once
/// Atomic masses for molecular dynamics, and the time unit they imply in eV–Å units.
#include <map>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

/// Unified atomic mass unit [kg] (CODATA 2018).
inline constexpr double kAtomicMassUnit_kg = 1.66053906660e-27;
/// Acceleration of a force of 1 eV/Å on a mass of 1 u, in Å/fs² (≈ 9.6485e-3): the force
/// 1.602176634e-19 J / 1e-10 m over 1 u gives m/s²; 1 m/s² = 1e-20 Å/fs².
inline constexpr double kAcceleration_A_per_fs2_per_eV_A_u = 1.602176634e-19 / 1e-10 / kAtomicMassUnit_kg * 1e-20;

/// Standard atomic weight [u] of a chemical element (IUPAC 2021, abridged to 5 significant
/// digits; conventional values for Li, B, C, N, O, Mg, Si, S, Cl, Br, Tl). Throws
/// std::invalid_argument for a symbol that is not an element with a standard atomic weight
/// (H to Bi, plus Th and U).
double standard_atomic_weight_u(const std::string& symbol);

/// Mass of every atom of `s` [u]: `overrides` (species → mass) first, else the standard atomic
/// weight of the species. Throws std::invalid_argument for a species with neither, or a mass ≤ 0.
std::vector<double> atom_masses_u(const lattice::Structure& s, const std::map<std::string, double>& overrides = {});

}  // namespace ionhop::neb
