#include "bridge/Conductivity.hpp"

#include "lattice/Units.hpp"

namespace ionhop::bridge {

namespace {
/// e²/(k_B T) per Å expressed in S/cm: with k_B T in eV, e² /(k_B T [J]) = e [C] / (k_B T [eV]),
/// so N z² e D /(V k_B T) with D in Å²/s and V in Å³ is in C/(V s Å) = S/Å; 1 S/Å = 1e8 S/cm.
double siemens_per_cm(double z2_e2A2_per_s_per_A3, double temperature_K) {
  const double kT_eV = units::kBoltzmann_eV_per_K * temperature_K;
  return z2_e2A2_per_s_per_A3 * units::kElementaryCharge_C / kT_eV / units::kAngstrom_cm;
}
}  // namespace

double A2_per_s_to_cm2_per_s(double D_A2_s) {
  return D_A2_s * units::kAngstrom_cm * units::kAngstrom_cm;
}

double S_per_cm_to_S_per_m(double sigma_S_cm) { return sigma_S_cm * 100.0; }

double nernst_einstein_conductivity_S_cm(double carriers, int charge, double D_A2_s,
                                         double volume_A3, double temperature_K) {
  const double z = static_cast<double>(charge);
  return siemens_per_cm(carriers * z * z * D_A2_s / volume_A3, temperature_K);
}

double conductivity_from_charge_msd_slope_S_cm(double slope_e2A2_s, int dimension,
                                               double volume_A3, double temperature_K) {
  return siemens_per_cm(slope_e2A2_s / (2.0 * dimension * volume_A3), temperature_K);
}

}  // namespace ionhop::bridge
