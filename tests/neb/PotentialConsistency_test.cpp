// Internal consistency of every built-in potential, constructed through the registry:
// forces = −∇E (central differences), virial = −∂E/∂ε (finite strain), invariance under
// translation, rotation and permutation of like atoms, continuity of E at the cutoff.
#include <gtest/gtest.h>

#include <Eigen/Geometry>
#include <cmath>
#include <string>
#include <vector>

#include "neb/PotentialError.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/neb/PotentialTestStructures.hpp"

namespace ionhop::neb {
namespace {

struct Case {
  std::string label;
  PotentialSpec spec;
  double pair_cutoff_A = 0.0;  ///< > 0: a shifted pair term, test continuity at this cutoff
};

// Names the case in test output (ctest lists parameters by their PrintTo).
void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

PotentialSpec make_spec(const std::string& type, std::map<std::string, double> settings, std::map<std::string, double> charges = {}) {
  PotentialSpec s;
  s.type = type;
  s.settings = std::move(settings);
  s.charges_e = std::move(charges);
  return s;
}

PotentialSpec pair_spec(const std::string& type, double cutoff, std::map<std::string, double> ab, std::map<std::string, double> aa,
                        std::map<std::string, double> bb) {
  PotentialSpec s = make_spec(type, {{"cutoff_A", cutoff}});
  s.pairs = {{"A", "B", ab}, {"A", "A", aa}, {"B", "B", bb}};
  return s;
}

// Ewald with α and |k|max fixed so the k-vector set does not change under strain, and both sums
// converged far below the test tolerance: erfc(0.4·14) ≈ 1e-15, exp(−k²/4α²) at k = 4.6: 2e-13.
PotentialSpec ewald_spec() {
  return make_spec("coulomb_ewald", {{"real_cutoff_A", 14.0}, {"alpha_per_A", 0.4}, {"kspace_cutoff_per_A", 4.6}},
                   {{"A", 1.1}, {"B", -1.1}});
}

std::vector<Case> cases() {
  std::vector<Case> c;
  c.push_back({"lennard_jones", pair_spec("lennard_jones", 7.0, {{"epsilon_eV", 0.01}, {"sigma_A", 2.0}},
                                          {{"epsilon_eV", 0.02}, {"sigma_A", 2.4}}, {{"epsilon_eV", 0.005}, {"sigma_A", 2.6}}),
               7.0});
  c.push_back({"morse", pair_spec("morse", 6.5, {{"D_eV", 0.3}, {"alpha_per_A", 1.6}, {"r0_A", 2.2}},
                                  {{"D_eV", 0.05}, {"alpha_per_A", 1.2}, {"r0_A", 3.0}}, {{"D_eV", 0.04}, {"alpha_per_A", 1.4}, {"r0_A", 3.3}}),
               6.5});
  c.push_back({"buckingham", pair_spec("buckingham", 6.0, {{"A_eV", 1200.0}, {"rho_A", 0.3}, {"C_eV_A6", 0.0}},
                                       {{"A_eV", 500.0}, {"rho_A", 0.25}, {"C_eV_A6", 5.0}}, {{"A_eV", 9000.0}, {"rho_A", 0.26}, {"C_eV_A6", 30.0}}),
               6.0});
  c.push_back({"repulsion_r12", pair_spec("repulsion_r12", 5.0, {{"B_eV_A12", 3.0}}, {{"B_eV_A12", 1.0}}, {{"B_eV_A12", 22.0}}), 5.0});
  c.push_back({"coulomb_ewald", ewald_spec(), 0.0});
  c.push_back({"coulomb_dsf", make_spec("coulomb_dsf", {{"cutoff_A", 7.5}, {"alpha_per_A", 0.25}}, {{"A", 1.1}, {"B", -1.1}}), 7.5});
  PotentialSpec sum = make_spec("sum", {});
  sum.terms = {c[1].spec, c[3].spec, ewald_spec()};
  c.push_back({"sum", sum, 0.0});
  return c;
}

class PotentialConsistency : public ::testing::TestWithParam<Case> {};

double max_abs(const Eigen::MatrixXd& m) { return m.cwiseAbs().maxCoeff(); }

TEST_P(PotentialConsistency, ForcesAreMinusTheEnergyGradient) {
  const auto potential = make_potential(GetParam().spec);
  lattice::Structure s = testing::distorted_triclinic();
  const PotentialResult r = potential->compute(s, {.forces = true});
  ASSERT_EQ(r.forces.cols(), static_cast<Eigen::Index>(s.size()));
  // Central differences: truncation h²/6·E''' ≈ 1e-12 eV/Å and rounding ε·|E|/h ≈ 1e-10 eV/Å,
  // both far below the 1e-6 relative tolerance.
  const double h = 1e-5;
  Eigen::Matrix3Xd numeric(3, s.size());
  for (Eigen::Index i = 0; i < numeric.cols(); ++i)
    for (int k = 0; k < 3; ++k) {
      lattice::Structure p = s, m = s;
      p.positions(k, i) += h;
      m.positions(k, i) -= h;
      numeric(k, i) = -(potential->compute(p, {.forces = false}).energy_eV - potential->compute(m, {.forces = false}).energy_eV) / (2 * h);
    }
  EXPECT_LT(max_abs(r.forces - numeric), 1e-6 * max_abs(r.forces) + 1e-9) << GetParam().label;
  EXPECT_GT(max_abs(r.forces), 1e-3) << "test structure must have non-trivial forces";
}

TEST_P(PotentialConsistency, VirialIsMinusTheStrainDerivative) {
  const auto potential = make_potential(GetParam().spec);
  const lattice::Structure s = testing::distorted_triclinic();
  const PotentialResult r = potential->compute(s, {.forces = false, .virial = true});
  ASSERT_TRUE(r.virial_eV.has_value());
  const double h = 1e-6;
  Eigen::Matrix3d numeric;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      auto strained = [&](double e) {
        Eigen::Matrix3d f = Eigen::Matrix3d::Identity();
        f(a, b) += e;
        lattice::Structure t = s;
        t.cell = f * s.cell;
        t.positions = f * s.positions;
        return potential->compute(t, {.forces = false}).energy_eV;
      };
      numeric(a, b) = -(strained(h) - strained(-h)) / (2 * h);
    }
  EXPECT_LT(max_abs(*r.virial_eV - numeric), 1e-6 * max_abs(numeric) + 1e-8) << GetParam().label << "\n" << *r.virial_eV << "\n" << numeric;
}

TEST_P(PotentialConsistency, InvariantUnderTranslationRotationAndPermutation) {
  const auto potential = make_potential(GetParam().spec);
  const lattice::Structure s = testing::distorted_triclinic();
  const PotentialResult r = potential->compute(s);
  const double tol_e = 1e-10 * std::abs(r.energy_eV) + 1e-12;
  const double tol_f = 1e-9 * max_abs(r.forces) + 1e-12;

  lattice::Structure shifted = s;
  shifted.positions.colwise() += Eigen::Vector3d(0.37, -1.21, 2.93);
  const PotentialResult rt = potential->compute(shifted);
  EXPECT_NEAR(rt.energy_eV, r.energy_eV, tol_e);
  EXPECT_LT(max_abs(rt.forces - r.forces), tol_f);

  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(0.7, Eigen::Vector3d(1, 2, -0.5).normalized()).toRotationMatrix();
  lattice::Structure rotated = s;
  rotated.cell = rotation * s.cell;
  rotated.positions = rotation * s.positions;
  const PotentialResult rr = potential->compute(rotated);
  EXPECT_NEAR(rr.energy_eV, r.energy_eV, tol_e);
  EXPECT_LT(max_abs(rr.forces - rotation * r.forces), tol_f);

  // Atoms 0 and 2 are both "A": swapping them swaps their forces.
  lattice::Structure permuted = s;
  permuted.positions.col(0).swap(permuted.positions.col(2));
  const PotentialResult rp = potential->compute(permuted);
  EXPECT_NEAR(rp.energy_eV, r.energy_eV, tol_e);
  EXPECT_LT((rp.forces.col(0) - r.forces.col(2)).cwiseAbs().maxCoeff(), tol_f);
  EXPECT_LT((rp.forces.col(2) - r.forces.col(0)).cwiseAbs().maxCoeff(), tol_f);
}

TEST_P(PotentialConsistency, EnergyIsContinuousAtTheCutoff) {
  const double rc = GetParam().pair_cutoff_A;
  if (rc <= 0.0) GTEST_SKIP() << "long-range term without a cutoff";
  const auto potential = make_potential(GetParam().spec);
  lattice::Structure dimer;
  dimer.cell = 40.0 * Eigen::Matrix3d::Identity();
  dimer.species = {"A", "B"};
  dimer.positions = Eigen::Matrix3Xd::Zero(3, 2);
  auto energy = [&](double r) {
    dimer.positions(0, 1) = r;
    return potential->compute(dimer, {.forces = false}).energy_eV;
  };
  const double inside = energy(rc - 1e-9), outside = energy(rc + 1e-9), far = energy(rc + 2.0);
  EXPECT_NEAR(inside, outside, 1e-8) << GetParam().label;
  EXPECT_NEAR(outside, far, 1e-14);
  EXPECT_NE(energy(0.8 * rc), far) << "the pair must interact inside the cutoff";
}

INSTANTIATE_TEST_SUITE_P(Builtin, PotentialConsistency, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.label; });

TEST(PotentialRegistry, ListsBuiltinsAndRejectsUnknownNamesAndKeys) {
  EXPECT_EQ(builtin_potentials().names(),
            (std::vector<std::string>{"buckingham", "coulomb_dsf", "coulomb_ewald", "lennard_jones", "morse", "repulsion_r12", "sum"}));
  EXPECT_THROW(make_potential(make_spec("lenard_jones", {})), PotentialSpecError);
  PotentialSpec bad = pair_spec("morse", 5.0, {{"D_eV", 1.0}, {"alpha_per_A", 1.0}, {"r0_A", 2.0}},
                                {{"D_eV", 1.0}, {"alpha_per_A", 1.0}, {"r0_A", 2.0}}, {{"D_eV", 1.0}, {"alpha", 1.0}, {"r0_A", 2.0}});
  EXPECT_THROW(make_potential(bad), PotentialSpecError);
  PotentialSpec unknown_setting = ewald_spec();
  unknown_setting.settings["cutof_A"] = 5.0;
  EXPECT_THROW(make_potential(unknown_setting), PotentialSpecError);
  PotentialRegistry registry;
  register_builtin_potentials(registry);
  EXPECT_THROW(register_builtin_potentials(registry), std::invalid_argument);
}

TEST(CoulombCharges, MissingChargeIsAnError) {
  const auto ewald = make_potential(ewald_spec());
  lattice::Structure s = testing::distorted_triclinic();
  s.species[1] = "C";
  EXPECT_THROW(ewald->compute(s), PotentialEvaluationError);
}

}  // namespace
}  // namespace ionhop::neb
