#pragma once
/// Physical constants and unit conversions, defined once (CODATA 2018).
/// ionhop works in Å, eV, K, s and the elementary charge; conversions happen at the edges.
namespace ionhop::units {

inline constexpr double kBoltzmann_eV_per_K = 8.617333262e-5;  ///< k_B [eV/K]
inline constexpr double kElementaryCharge_C = 1.602176634e-19;  ///< e [C]
inline constexpr double kBoltzmann_J_per_K = 1.380649e-23;      ///< k_B [J/K]
inline constexpr double kAngstrom_m = 1e-10;                    ///< 1 Å [m]
inline constexpr double kAngstrom_cm = 1e-8;                    ///< 1 Å [cm]
inline constexpr double kVacuumPermittivity_F_per_m = 8.8541878128e-12;  ///< ε₀ [F/m]

}  // namespace ionhop::units
