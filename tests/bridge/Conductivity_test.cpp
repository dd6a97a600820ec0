#include "bridge/Conductivity.hpp"

#include <gtest/gtest.h>


namespace ionhop::bridge {
namespace {

// Hand calculation in SI units: σ = N z² e² D /(V k_B T) with e in C, D in m²/s, V in m³ and
// k_B in J/K gives S/m. The J/K and eV/K values of k_B in CODATA 2018 agree to 1e-10 relative
// (k_B[eV/K] is rounded), which bounds the tolerance.
double hand_sigma_S_m(double N, int z, double D_A2_s, double V_A3, double T) {
  const double e = 1.602176634e-19;
  const double kB = 1.380649e-23;
  const double D_m2_s = D_A2_s * 1e-20;
  const double V_m3 = V_A3 * 1e-30;
  return N * z * z * e * e * D_m2_s / (V_m3 * kB * T);
}

TEST(Conductivity, NernstEinsteinMatchesAnSIHandCalculation) {
  // 24 Mg²⁺ in a 12 Å × 12 Å × 18 Å cell, D = 3.2e6 Å²/s (3.2e-10 cm²/s), 700 K.
  const double sigma = nernst_einstein_conductivity_S_cm(24, 2, 3.2e6, 12.0 * 12.0 * 18.0, 700.0);
  const double expected_S_cm = hand_sigma_S_m(24, 2, 3.2e6, 2592.0, 700.0) / 100.0;
  EXPECT_NEAR(sigma, expected_S_cm, 1e-9 * expected_S_cm);
  EXPECT_NEAR(S_per_cm_to_S_per_m(sigma), 100.0 * sigma, 1e-15 * sigma);
}

TEST(Conductivity, ChargeMsdSlopeForm) {
  // One species of N ions, z: charge-MSD slope z²·(collective slope) = z² · 2 d N D_σ.
  const double N = 16, z = 3, d = 2, D = 5.0e7, V = 1500.0, T = 450.0;
  const double slope = z * z * 2.0 * d * N * D;
  const double sigma = conductivity_from_charge_msd_slope_S_cm(slope, 2, V, T);
  const double expected_S_cm = hand_sigma_S_m(N, 3, D, V, T) / 100.0;
  EXPECT_NEAR(sigma, expected_S_cm, 1e-9 * expected_S_cm);
}

TEST(Conductivity, DiffusivityUnitConversion) {
  EXPECT_DOUBLE_EQ(A2_per_s_to_cm2_per_s(1e16), 1.0);
  EXPECT_NEAR(A2_per_s_to_cm2_per_s(2.5e8), 2.5e-8, 1e-22);
}

}  // namespace
}  // namespace ionhop::bridge
