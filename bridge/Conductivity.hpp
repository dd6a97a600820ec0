#pragma once
/// Conversions between diffusion coefficients, charge-displacement MSD slopes and ionic
/// conductivity (DESIGN.md §4). Inputs in ionhop units (Å, s, K, e); outputs in the unit named.
namespace ionhop::bridge {

/// Å²/s → cm²/s.
[[nodiscard]] double A2_per_s_to_cm2_per_s(double D_A2_s);

/// S/cm → S/m (1 S/cm = 100 S/m).
[[nodiscard]] double S_per_cm_to_S_per_m(double sigma_S_cm);

/// Nernst–Einstein conductivity σ = N z² e² D /(V k_B T) [S/cm] of `carriers` ions of charge
/// `charge` (in e) with diffusion coefficient D [Å²/s] in a cell of volume V [Å³] at T [K].
/// With D = D_σ this is the exact (collective) conductivity of one species; with D = D* it is
/// the Nernst–Einstein estimate σ_NE.
[[nodiscard]] double nernst_einstein_conductivity_S_cm(double carriers, int charge, double D_A2_s,
                                                       double volume_A3, double temperature_K);

/// Conductivity σ = b e² /(2 d V k_B T) [S/cm] from the slope b [e²Å²/s] of the charge-displacement
/// MSD ⟨|Σ_i z_i Δr_i(t)|²⟩ in d dimensions, cell volume V [Å³], temperature T [K].
[[nodiscard]] double conductivity_from_charge_msd_slope_S_cm(double slope_e2A2_s, int dimension,
                                                             double volume_A3,
                                                             double temperature_K);

}  // namespace ionhop::bridge
