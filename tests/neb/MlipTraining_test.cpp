// Training of the linear ACE MLIP on Li₂O labelled by the Pedone force field (Morse + C/r¹² +
// Ewald Coulomb): held-out accuracy with and without the Ewald baseline, exact recovery of a
// model inside the basis, determinism across thread counts, frame weights, and the Bayesian
// uncertainty (difference variance against sampling, calibrated coverage, growth off the data).
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstdio>

#include "lattice/StructureIO.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipTraining.hpp"
#include "tests/neb/MlipTestData.hpp"

namespace ionhop::neb {
namespace {

AceBasisSpec li2o_spec(int body_order = 3) {
  AceBasisSpec s;
  s.elements = {"Li", "O"};
  s.cutoff_A = 6.0;
  s.inner_A = 1.0;
  s.radial_exponent = 4.0;
  s.radial_size_2 = 12;
  s.radial_size_3 = 4;
  s.lmax = 3;
  s.body_order = body_order;
  return s;
}

/// Labelled Li₂O 2×2×2 cells (96 atoms): displacements up to ±0.3 Å, strains up to ±3 %.
/// Training, calibration and test sets come from independent random streams.
struct Li2OData {
  std::vector<lattice::XyzFrame> train, calibration, test;
};

const Li2OData& li2o_data() {
  static const Li2OData data = [] {
    const auto pedone = make_potential(testing::pedone_spec());
    Li2OData d;
    d.train = testing::li2o_frames(*pedone, 40, 11, 0.3, 0.03);
    d.calibration = testing::li2o_frames(*pedone, 30, 12, 0.3, 0.03);
    d.test = testing::li2o_frames(*pedone, 30, 13, 0.3, 0.03);
    return d;
  }();
  return data;
}

const TrainedLinearAce& trained(bool baseline) {
  static const TrainedLinearAce with = [] {
    MlipTrainingOptions o;
    o.basis = li2o_spec();
    o.baseline = testing::pedone_coulomb_spec();
    return train_linear_ace(li2o_data().train, o);
  }();
  static const TrainedLinearAce without = [] {
    MlipTrainingOptions o;
    o.basis = li2o_spec();
    return train_linear_ace(li2o_data().train, o);
  }();
  return baseline ? with : without;
}

void print(const char* what, const TrainedLinearAce& t, const MlipErrorReport& r) {
  std::printf("%s: P = %zu, lambda = %.1e (CV), p_eff = %.1f, train %.2f s; CV RMSE E %.3f meV/atom F %.4f eV/A; "
              "held-out RMSE E %.3f meV/atom, F %.4f eV/A, stress %.2e eV/A^3 (%zu frames)\n",
              what, t.report.coefficient_count, t.report.chosen.lambda, t.report.effective_parameters,
              t.report.descriptor_seconds + t.report.solve_seconds, 1e3 * t.report.chosen.energy_rmse_eV_per_atom,
              t.report.chosen.force_rmse_eV_per_A, 1e3 * r.energy_eV_per_atom.rmse, r.force_eV_per_A.rmse,
              r.stress_eV_per_A3.rmse, r.energy_eV_per_atom.count);
}

TEST(MlipTraining, Li2OWithEwaldBaselineReachesTwoMeVPerAtomAndFiftyMeVPerAngstrom) {
  const TrainedLinearAce& t = trained(true);
  const LinearAcePotential potential(t.model);
  const MlipErrorReport r = evaluate(potential, li2o_data().test);
  print("Li2O, Ewald baseline", t, r);
  EXPECT_EQ(r.energy_eV_per_atom.count, 30u);
  EXPECT_LE(r.energy_eV_per_atom.rmse, 2e-3);
  EXPECT_LE(r.force_eV_per_A.rmse, 0.05);
  EXPECT_EQ(r.force_by_element.size(), 2u);
  EXPECT_EQ(r.energy_by_config_type.count("displaced"), 1u);
}

TEST(MlipTraining, Li2OWithoutBaselineReachesFiveMeVPerAtomAndTenthEVPerAngstrom) {
  const TrainedLinearAce& t = trained(false);
  const LinearAcePotential potential(t.model);
  const MlipErrorReport r = evaluate(potential, li2o_data().test);
  print("Li2O, no baseline", t, r);
  EXPECT_LE(r.energy_eV_per_atom.rmse, 5e-3);
  EXPECT_LE(r.force_eV_per_A.rmse, 0.10);
}

/// Trains with the Pedone Ewald baseline on `train` and returns the held-out errors on `test`.
MlipErrorReport train_and_test(const std::vector<std::string>& elements, const std::vector<lattice::XyzFrame>& train,
                               const std::vector<lattice::XyzFrame>& test, const char* name) {
  MlipTrainingOptions o;
  o.basis = li2o_spec();
  o.basis.elements = elements;
  o.basis.radial_size_3 = 3;
  o.basis.lmax = 2;
  o.folds = 4;
  o.lambdas = {1e-12, 1e-10, 1e-8, 1e-6};
  o.baseline = testing::pedone_coulomb_spec();
  const TrainedLinearAce t = train_linear_ace(train, o);
  const MlipErrorReport r = evaluate(LinearAcePotential(t.model), test, {.energy_uncertainty = false});
  print(name, t, r);
  return r;
}

TEST(MlipTraining, Na2OAndSpinelWithEwaldBaselineReachTheTargets) {
  const auto pedone = make_potential(testing::pedone_spec());
  // Na₂O: antifluorite, a = 5.55 Å (experiment), 2×2×2 = 96 atoms.
  const lattice::Structure na2o = lattice::make_supercell(ionhop::testing::antifluorite_cell(5.55, "Na", "O"), {2, 2, 2});
  const MlipErrorReport na = train_and_test({"Na", "O"}, testing::perturbed_frames(*pedone, na2o, 24, 51, 0.3, 0.03),
                                            testing::perturbed_frames(*pedone, na2o, 20, 52, 0.3, 0.03), "Na2O, Ewald baseline");
  EXPECT_LE(na.energy_eV_per_atom.rmse, 2e-3);
  EXPECT_LE(na.force_eV_per_A.rmse, 0.05);
  // MgAl₂O₄ normal spinel, conventional cell (56 atoms), inputs/jobs/MgAl2O4.cif.
  const lattice::Structure spinel = lattice::read_structure(std::string(IONHOP_SOURCE_DIR) + "/inputs/jobs/MgAl2O4.cif");
  ASSERT_EQ(spinel.size(), 56u);
  const MlipErrorReport sp = train_and_test({"Mg", "Al", "O"}, testing::perturbed_frames(*pedone, spinel, 30, 53, 0.2, 0.03),
                                            testing::perturbed_frames(*pedone, spinel, 20, 54, 0.2, 0.03),
                                            "MgAl2O4, Ewald baseline");
  EXPECT_LE(sp.energy_eV_per_atom.rmse, 2e-3);
  EXPECT_LE(sp.force_eV_per_A.rmse, 0.05);
}

TEST(MlipTraining, RecoversAModelInsideTheBasis) {
  // Labels from a linear ACE model itself: the fit must find it (up to the ridge's bias, which at
  // λ ≤ 1e-6 on the unit-diagonal scale is far below the tolerances).
  AceBasisSpec spec = li2o_spec();
  spec.radial_size_2 = 5;
  spec.radial_size_3 = 2;
  spec.lmax = 2;
  const AceBasis basis(spec);
  MlipModel truth;
  truth.basis = spec;
  truth.coefficients = Eigen::VectorXd(static_cast<Eigen::Index>(basis.coefficient_count()));
  for (Eigen::Index k = 0; k < truth.coefficients.size(); ++k) truth.coefficients[k] = 0.02 * std::cos(0.9 * static_cast<double>(k));
  const LinearAcePotential reference(truth);
  const auto train = testing::li2o_frames(reference, 12, 21, 0.3, 0.03);
  const auto test = testing::li2o_frames(reference, 6, 22, 0.3, 0.03);
  MlipTrainingOptions o;
  o.basis = spec;
  o.folds = 3;
  o.lambdas = {1e-10, 1e-8, 1e-6};
  const TrainedLinearAce t = train_linear_ace(train, o);
  const MlipErrorReport r = evaluate(LinearAcePotential(t.model), test);
  std::printf("model inside the basis: lambda %.0e, held-out RMSE E %.2e eV/atom, F %.2e eV/A\n", t.report.chosen.lambda,
              r.energy_eV_per_atom.rmse, r.force_eV_per_A.rmse);
  EXPECT_LT(r.energy_eV_per_atom.rmse, 1e-6);
  EXPECT_LT(r.force_eV_per_A.rmse, 1e-5);
}

TEST(MlipTraining, BitIdenticalWithOneAndTwoThreads) {
  const auto& data = li2o_data();
  const std::vector<lattice::XyzFrame> frames(data.train.begin(), data.train.begin() + 20);
  MlipTrainingOptions o;
  o.basis = li2o_spec();
  o.baseline = testing::pedone_coulomb_spec();
  o.frames_per_batch = 4;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const TrainedLinearAce one = train_linear_ace(frames, o);
  omp_set_num_threads(2);
  const TrainedLinearAce two = train_linear_ace(frames, o);
  omp_set_num_threads(threads);
  EXPECT_TRUE(one.model.coefficients == two.model.coefficients);
  EXPECT_TRUE(one.model.covariance == two.model.covariance);
  EXPECT_EQ(one.model, two.model);
}

TEST(MlipTraining, ZeroWeightFramesDoNotChangeTheFit) {
  const auto& data = li2o_data();
  std::vector<lattice::XyzFrame> frames(data.train.begin(), data.train.begin() + 10);
  MlipTrainingOptions o;
  o.basis = li2o_spec(2);
  o.folds = 2;
  const TrainedLinearAce plain = train_linear_ace(frames, o);
  // Two junk frames (energy and forces scrambled) with weight 0, one in each fold.
  for (int k = 0; k < 2; ++k) {
    lattice::XyzFrame junk = data.test[static_cast<std::size_t>(k)];
    *junk.energy_eV += 50.0;
    *junk.forces_eV_per_A *= -3.0;
    junk.weight = 0.0;
    frames.push_back(junk);
  }
  const TrainedLinearAce weighted = train_linear_ace(frames, o);
  EXPECT_EQ(plain.report.chosen.lambda, weighted.report.chosen.lambda);
  // Equal up to the summation order of the stacked batches (rounding, amplified by the
  // conditioning of the lightly regularised normal matrix in the coefficients but not in the
  // predictions): compare predictions.
  const LinearAcePotential a(plain.model), b(weighted.model);
  for (std::size_t k = 2; k < 6; ++k) {
    const lattice::Structure& s = data.test[k].structure;
    const PotentialResult ra = a.compute(s), rb = b.compute(s);
    EXPECT_NEAR(ra.energy_eV, rb.energy_eV, 1e-9 * std::abs(ra.energy_eV));
    EXPECT_LT((ra.forces - rb.forces).cwiseAbs().maxCoeff(), 1e-7);
  }
  EXPECT_NE(plain.model.training_set_hash, weighted.model.training_set_hash);
}

TEST(MlipTraining, CrossValidationChoosesTheLowestValidationLoss) {
  const TrainedLinearAce& t = trained(true);
  ASSERT_EQ(t.report.cross_validation.size(), MlipTrainingOptions{}.lambdas.size());
  for (const MlipCvPoint& p : t.report.cross_validation) {
    if (p.solved) {
      EXPECT_GE(p.loss, t.report.chosen.loss);
    }
  }
  // The strongest regularisation is measurably worse (its bias shows in the validation folds).
  ASSERT_TRUE(t.report.cross_validation.back().solved);
  EXPECT_GT(t.report.cross_validation.back().loss, t.report.chosen.loss);
  EXPECT_GT(t.report.cross_validation.back().force_rmse_eV_per_A, t.report.chosen.force_rmse_eV_per_A);
  EXPECT_EQ(t.model.regularisation, t.report.chosen.lambda);
}

/// Standard normal numbers by Box–Muller from the raw-bit uniform stream.
struct Normal {
  testing::Uniform u;
  double operator()() {
    const double a = u(1e-300, 1.0), b = u(0.0, 1.0);
    return std::sqrt(-2.0 * std::log(a)) * std::cos(2.0 * std::numbers::pi * b);
  }
};

TEST(MlipTraining, EnergyDifferenceVarianceMatchesSamplingThePosterior) {
  // For a linear model E = c·φ with c ~ N(ĉ, Σ), E_A − E_B = c·(φ_A − φ_B) has variance
  // (φ_A − φ_B)ᵀ Σ (φ_A − φ_B) exactly. Check against coefficients sampled from the posterior.
  const TrainedLinearAce& t = trained(true);
  const LinearAcePotential potential(t.model);
  const lattice::Structure& a = li2o_data().test[0].structure;
  const lattice::Structure& b = li2o_data().test[1].structure;
  const MlipEnergyUncertainty u = potential.energy_difference_uncertainty(a, b);
  const Eigen::VectorXd d = potential.features(a) - potential.features(b);
  // var(A − B) = var(A) + var(B) − 2 cov(A, B).
  const Eigen::VectorXd fa = potential.features(a), fb = potential.features(b);
  const Eigen::MatrixXd& S = t.model.covariance;
  // The three-term form cancels badly (φ_A ≈ φ_B); its rounding is bounded by P ε Σ|φ||Σ||φ|.
  const Eigen::MatrixXd Sa = S.cwiseAbs();
  const Eigen::VectorXd aa = fa.cwiseAbs(), ab = fb.cwiseAbs();
  const double rounding = static_cast<double>(S.rows()) * 1.1e-16 * (aa.dot(Sa * aa) + ab.dot(Sa * ab) + 2.0 * aa.dot(Sa * ab));
  EXPECT_NEAR(u.parametric_eV2, fa.dot(S * fa) + fb.dot(S * fb) - 2.0 * fa.dot(S * fb), rounding);
  EXPECT_NEAR(u.parametric_eV2, d.dot(S * d), 1e-12 * u.parametric_eV2);
  // Sampling: c = ĉ + L z, Σ = L Lᵀ (eigen-decomposition; Σ is only semi-definite in practice).
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(S);
  const Eigen::MatrixXd L = eig.eigenvectors() * eig.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  const Eigen::VectorXd projected = L.transpose() * d;  // E_A − E_B − mean = zᵀ (Lᵀ d)
  Normal normal{testing::Uniform(77)};
  const int n = 4000;
  double sum = 0.0, sum2 = 0.0;
  for (int k = 0; k < n; ++k) {
    double x = 0.0;
    for (Eigen::Index j = 0; j < projected.size(); ++j) x += normal() * projected[j];
    sum += x;
    sum2 += x * x;
  }
  const double var = (sum2 - sum * sum / n) / (n - 1);
  // Relative standard error of a sample variance: √(2/(n−1)) = 2.2 %; allow 4 standard errors.
  EXPECT_NEAR(var / u.parametric_eV2, 1.0, 4.0 * std::sqrt(2.0 / (n - 1)));
  EXPECT_GT(u.noise_eV2, 0.0);
}

TEST(MlipTraining, CalibratedTwoSigmaCoversNinetyPercentOfHeldOutErrors) {
  MlipModel model = trained(true).model;
  const MlipCalibrationReport c = calibrate_model(model, li2o_data().calibration);
  ASSERT_TRUE(c.energy_fitted && c.force_fitted && c.difference_fitted);
  const LinearAcePotential potential(model);
  const MlipErrorReport r = evaluate(potential, li2o_data().test, MlipEvaluationOptions{.force_uncertainty = true});
  // Differences between consecutive test frames (same atoms).
  int covered = 0, pairs = 0;
  for (std::size_t k = 1; k < li2o_data().test.size(); ++k) {
    const auto& fa = li2o_data().test[k];
    const auto& fb = li2o_data().test[k - 1];
    const double error = (potential.compute(fa.structure, {.forces = false}).energy_eV - *fa.energy_eV) -
                         (potential.compute(fb.structure, {.forces = false}).energy_eV - *fb.energy_eV);
    covered += std::abs(error) <= 2.0 * potential.energy_difference_uncertainty(fa.structure, fb.structure).std_eV();
    ++pairs;
  }
  std::printf("calibration factors: energy %.3f, force %.3f, difference %.3f (%zu/%zu/%zu samples); held-out 2-sigma coverage: "
              "energies %.3f (%zu), forces %.3f (%zu), differences %.3f (%d)\n",
              c.factors.energy, c.factors.force, c.factors.difference, c.energy_samples, c.force_samples, c.difference_samples,
              r.energy_coverage_2sigma, r.energy_parity.sigma.size(), r.force_coverage_2sigma, r.force_parity.sigma.size(),
              static_cast<double>(covered) / pairs, pairs);
  EXPECT_GE(r.energy_parity.sigma.size(), 20u);
  EXPECT_GE(r.energy_coverage_2sigma, 0.9);
  EXPECT_GE(r.force_coverage_2sigma, 0.9);
  EXPECT_GE(static_cast<double>(covered) / pairs, 0.9);
}

TEST(MlipTraining, SigmaAndExtrapolationGradeGrowFarFromTheTrainingData) {
  const TrainedLinearAce& t = trained(true);
  const LinearAcePotential potential(t.model);
  const auto pedone = make_potential(testing::pedone_spec());
  // Inside: held-out frames like the training frames. Outside: 10 % strain, 0.6 Å displacements.
  const auto inside = li2o_data().test;
  const auto outside = testing::li2o_frames(*pedone, 5, 31, 0.6, 0.10, {2, 2, 2}, 1.0);
  double sigma_in = 0.0, grade_in = 0.0;
  for (const auto& f : inside) {
    sigma_in = std::max(sigma_in, potential.force_std(f.structure).maxCoeff());
    grade_in = std::max(grade_in, potential.extrapolation_grade(f.structure).max);
  }
  for (const auto& f : outside) {
    const double sigma = potential.force_std(f.structure).maxCoeff();
    const double grade = potential.extrapolation_grade(f.structure).max;
    std::printf("far frame: max force sigma %.3f eV/A (inside max %.3f), grade %.1f (inside max %.1f)\n", sigma, sigma_in, grade,
                grade_in);
    EXPECT_GT(sigma, sigma_in);
    EXPECT_GT(grade, grade_in);
  }
}

}  // namespace
}  // namespace ionhop::neb
