#pragma once
/// Point charges per species for the Coulomb terms, and the Coulomb constant in ionhop units.
#include <map>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "lattice/Units.hpp"

namespace ionhop::neb {

/// e²/(4πε₀) [eV·Å] from CODATA 2018 (≈ 14.399645 eV·Å).
inline constexpr double kCoulomb_eV_A =
    units::kElementaryCharge_C / (4.0 * 3.14159265358979323846 * units::kVacuumPermittivity_F_per_m * units::kAngstrom_m);

/// Charge [e] of every atom of s. Throws PotentialEvaluationError naming a species without a charge.
std::vector<double> charges_of(const lattice::Structure& s, const std::map<std::string, double>& charges_e,
                               const std::string& potential_name);

}  // namespace ionhop::neb
