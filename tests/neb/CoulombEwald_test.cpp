#include "neb/CoulombEwald.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "neb/CoulombCharges.hpp"
#include "neb/CoulombDsf.hpp"
#include "tests/neb/PotentialTestStructures.hpp"

namespace ionhop::neb {
namespace {

const std::map<std::string, double> kUnitCharges = {{"Na", 1.0}, {"Cl", -1.0}, {"Cs", 1.0}};

EwaldParams accurate(double real_cutoff_A, double accuracy) {
  EwaldParams p;
  p.real_cutoff_A = real_cutoff_A;
  p.accuracy = accuracy;
  return p;
}

// Madelung constants (energy per ion pair = −M k e²/r_nn): NaCl 1.747565, CsCl 1.762675.
// At accuracy 1e-10 both Ewald sums are converged far below the 1e-6 asked for.
TEST(CoulombEwald, MadelungConstantOfRockSalt) {
  const double a = 5.64;
  const auto s = testing::rock_salt(a);
  const CoulombEwald ewald(kUnitCharges, accurate(8.0, 1e-10));
  const double e = ewald.compute(s, {.forces = false}).energy_eV;
  const double madelung = -e / 4.0 * (a / 2.0) / kCoulomb_eV_A;
  EXPECT_NEAR(madelung, 1.747565, 1e-6);
}

TEST(CoulombEwald, MadelungConstantOfCesiumChloride) {
  const double a = 4.11;
  const auto s = testing::cesium_chloride(a);
  const CoulombEwald ewald(kUnitCharges, accurate(8.0, 1e-10));
  const double e = ewald.compute(s, {.forces = false}).energy_eV;
  const double madelung = -e * (a * std::sqrt(3.0) / 2.0) / kCoulomb_eV_A;
  EXPECT_NEAR(madelung, 1.762675, 1e-6);
}

TEST(CoulombEwald, PerfectCrystalHasZeroForces) {
  const auto s = lattice::make_supercell(testing::rock_salt(5.64), {2, 2, 2});
  const CoulombEwald ewald(kUnitCharges, accurate(8.0, 1e-8));
  EXPECT_LT(ewald.compute(s).forces.cwiseAbs().maxCoeff(), 1e-7);
}

// The result must not depend on the splitting within the requested accuracy. The accuracy is an
// RMS force error relative to k e²/Å² (LAMMPS convention), so forces must agree to a few times
// accuracy·k, and energies per atom to about accuracy·k·1 Å.
TEST(CoulombEwald, IndependentOfSplittingWithinRequestedAccuracy) {
  const auto s = testing::distorted_triclinic();
  const std::map<std::string, double> q = {{"A", 1.0}, {"B", -1.0}};
  const double accuracy = 1e-6;
  const CoulombEwald reference(q, accurate(12.0, 1e-12));
  const PotentialResult r0 = reference.compute(s);
  for (double rc : {6.0, 8.0, 11.0}) {
    const CoulombEwald ewald(q, accurate(rc, accuracy));
    const PotentialResult r = ewald.compute(s);
    SCOPED_TRACE("real cutoff " + std::to_string(rc) + " alpha " + std::to_string(ewald.splitting(s).alpha_per_A));
    EXPECT_NEAR(r.energy_eV / s.size(), r0.energy_eV / s.size(), accuracy * kCoulomb_eV_A);
    const double rms = std::sqrt((r.forces - r0.forces).squaredNorm() / s.size());
    EXPECT_LT(rms, 3.0 * accuracy * kCoulomb_eV_A);
  }
  // Explicitly chosen splittings agree as well (α·r_c ≥ 5.4: erfc ≤ 1e-13).
  for (double alpha : {0.45, 0.55, 0.7}) {
    EwaldParams p = accurate(12.0, 1e-12);
    p.alpha_per_A = alpha;
    p.kspace_cutoff_per_A = 2.0 * alpha * std::sqrt(-std::log(1e-14));
    const CoulombEwald ewald(q, p);
    EXPECT_NEAR(ewald.compute(s, {.forces = false}).energy_eV, r0.energy_eV, 1e-8 * std::abs(r0.energy_eV));
  }
}

// A charged cell: the neutralising background makes the energy independent of α as well.
TEST(CoulombEwald, ChargedCellWithBackgroundIsIndependentOfSplitting) {
  auto s = testing::distorted_triclinic();
  const std::map<std::string, double> q = {{"A", 1.0}, {"B", -0.5}};  // net charge +2
  double previous = 0.0;
  for (double alpha : {0.4, 0.55}) {
    EwaldParams p = accurate(14.0, 1e-12);
    p.alpha_per_A = alpha;
    p.kspace_cutoff_per_A = 2.0 * alpha * std::sqrt(-std::log(1e-15));
    const double e = CoulombEwald(q, p).compute(s, {.forces = false}).energy_eV;
    if (alpha > 0.4) {
      EXPECT_NEAR(e, previous, 1e-8 * std::abs(e));
    }
    previous = e;
  }
}

// DSF (Fennell & Gezelter 2006) approaches the Ewald energy of a neutral ionic crystal as the
// cutoff grows (small damping); the error must shrink and end below 0.1 %.
TEST(CoulombDsf, ConvergesTowardsEwaldForNeutralIonicCrystal) {
  const auto s = lattice::make_supercell(testing::rock_salt(5.64), {2, 2, 2});
  const double e_ewald = CoulombEwald(kUnitCharges, accurate(8.0, 1e-10)).compute(s, {.forces = false}).energy_eV;
  double previous_error = 1e300;
  for (double rc : {6.0, 10.0, 16.0}) {
    const double e = CoulombDsf(kUnitCharges, rc, 0.15).compute(s, {.forces = false}).energy_eV;
    const double error = std::abs(e - e_ewald) / std::abs(e_ewald);
    EXPECT_LT(error, previous_error) << "cutoff " << rc;
    previous_error = error;
  }
  EXPECT_LT(previous_error, 1e-3);
}

TEST(CoulombEwald, RejectsNonPeriodicCells) {
  auto s = testing::rock_salt(5.64);
  s.pbc[2] = false;
  EXPECT_THROW(CoulombEwald(kUnitCharges, {}).compute(s), std::runtime_error);
}

}  // namespace
}  // namespace ionhop::neb
