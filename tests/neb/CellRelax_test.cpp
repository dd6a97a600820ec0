// Cell relaxation to zero stress with a Lennard-Jones fcc crystal.
#include "neb/CellRelax.hpp"

#include <gtest/gtest.h>

#include "NebTestObjectives.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {
// ε = 0.0104 eV, σ = 3.40 Å (argon-like), cutoff 2.5σ.
const nebtest::TestLennardJones kLj(0.0104, 3.40, 8.5);

Structure fcc_cell(double ax, double ay, double az) {
  Structure s;
  s.cell = Eigen::Vector3d(ax, ay, az).asDiagonal();
  s.species.assign(4, "Ar");
  s.positions.resize(3, 4);
  s.positions << 0, 0.5, 0.5, 0, 0, 0.5, 0, 0.5, 0, 0, 0.5, 0.5;
  s.positions = s.cell * s.positions;
  return s;
}

double energy_at(double a) { return kLj.compute(fcc_cell(a, a, a)).energy_eV; }
}  // namespace

TEST(CellRelax, VirialSignMatchesFiniteStrain) {
  // σ = −W/V = (1/V) dE/dε: check dE/dε_xx by a central difference of a uniaxial strain.
  const Structure s = fcc_cell(5.1, 5.3, 5.4);
  const PotentialResult r = kLj.compute(s, ComputeRequest{true, true});
  ASSERT_TRUE(r.virial_eV);
  const double h = 1e-6;
  for (int k = 0; k < 3; ++k) {
    Structure p = s, m = s;
    Eigen::Matrix3d fp = Eigen::Matrix3d::Identity(), fm = Eigen::Matrix3d::Identity();
    fp(k, k) += h;
    fm(k, k) -= h;
    p.cell = fp * s.cell;
    p.positions = fp * s.positions;
    m.cell = fm * s.cell;
    m.positions = fm * s.positions;
    const double dE = (kLj.compute(p).energy_eV - kLj.compute(m).energy_eV) / (2 * h);
    EXPECT_NEAR(dE, -(*r.virial_eV)(k, k), 1e-6 * std::abs(dE) + 1e-10);
  }
}

TEST(CellRelax, IsotropicRelaxationFindsTheEnergyMinimumOverTheLatticeConstant) {
  CellRelaxParams p;
  p.relax.fmax_eV_A = 1e-4;
  p.stress_tol_eV_A3 = 1e-7;
  const CellRelaxResult r = relax_cell(fcc_cell(5.0, 5.0, 5.0), kLj, p);
  ASSERT_TRUE(r.converged) << r.steps << " " << r.max_stress_eV_A3;
  const double a = r.structure.cell(0, 0);
  EXPECT_NEAR(r.structure.cell(1, 1), a, 1e-12);
  // Residual stress below the tolerance up to the (V/V₀)/(1 + e) factor of a few per cent.
  EXPECT_LT(r.max_stress_eV_A3, 1.2e-7);
  // dE/da = 3 a² σ ⇒ |a − a*| ≤ 3a²·|σ| / (d²E/da²); check E(a ± 0.01 Å) lies above E(a).
  EXPECT_LT(r.energy_eV, energy_at(a + 0.01));
  EXPECT_LT(r.energy_eV, energy_at(a - 0.01));
  // Independent estimate of the minimum: parabola through energies 0.004 Å apart (its own cubic
  // error ≈ 1e-5 Å). The stress tolerance allows |dE/da| = 3a²|σ| ≈ 1e-5 eV/Å, and with
  // d²E/da² ≈ 9VB/a² ≈ 0.14 eV/Å² that is |a − a*| ≈ 7e-5 Å.
  const double em = energy_at(a - 0.004), e0 = energy_at(a), ep = energy_at(a + 0.004);
  const double a_fit = a - 0.004 * (ep - em) / (2 * (ep - 2 * e0 + em));
  EXPECT_NEAR(a, a_fit, 1e-4);
}

TEST(CellRelax, OrthorhombicRelaxationRestoresTheCubicCell) {
  CellRelaxParams iso;
  iso.relax.fmax_eV_A = 1e-4;
  iso.stress_tol_eV_A3 = 1e-7;
  const double a_iso = relax_cell(fcc_cell(5.2, 5.2, 5.2), kLj, iso).structure.cell(0, 0);
  for (RelaxMethod m : {RelaxMethod::fire, RelaxMethod::lbfgs}) {
    CellRelaxParams p = iso;
    p.mode = CellRelaxMode::orthorhombic;
    p.relax.method = m;
    p.relax.max_steps = 3000;
    const CellRelaxResult r = relax_cell(fcc_cell(5.0, 5.4, 5.25), kLj, p);
    ASSERT_TRUE(r.converged) << to_string(m) << " stress " << r.max_stress_eV_A3;
    // Bulk modulus of LJ argon ≈ 3e-3 eV/Å³: a stress of 1e-7 eV/Å³ is a strain of ≈ 3e-5.
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(r.structure.cell(k, k), a_iso, 5e-5 * a_iso) << to_string(m);
  }
}

TEST(CellRelax, RefusesAPotentialWithoutVirial) {
  class NoVirial final : public Potential {
   public:
    PotentialResult compute(const Structure& s, const ComputeRequest& = {}) const override {
      PotentialResult r;
      r.forces = Eigen::Matrix3Xd::Zero(3, s.positions.cols());
      return r;
    }
    PotentialCapabilities capabilities() const override { return {false, false, true}; }
    std::string name() const override { return "no_virial"; }
  };
  EXPECT_THROW(relax_cell(fcc_cell(5, 5, 5), NoVirial{}, {}), std::invalid_argument);
}
