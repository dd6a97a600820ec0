// The "must show" for Na₂O and MgAl₂O₄ spinel beyond what tests/neb/MlipTraining_test.cpp
// (held-out errors of all three oxides with the Ewald baseline, Li₂O without, coverage and σ
// growth on Li₂O) and MlipBarrier_test.cpp / ActiveLearning_test.cpp (the Li₂O barrier) show:
//  - held-out energy RMSE ≤ 5 meV/atom and force RMSE ≤ 0.10 eV/Å without any baseline
//    (short-range only; 2 meV/atom and 0.05 eV/Å with Ewald), and ≥ 90 % of held-out energies
//    (160 frames) and force components within 2 calibrated σ, with and without the baseline;
//  - the cation-vacancy CI-NEB barrier on the MLIP, reached by active learning from perturbed
//    perfect cells (no NEB data), within 0.03 eV (Ewald baseline) / 0.05 eV (none) of the
//    reference's barrier of the same hop, and its σ covering ≥ 18 of 20 held-out hops.
// Reference: the Pedone force field (inputs/potentials/pedone.toml), on hosts relaxed with it
// (docs/mlip-data.md: a = 5.337 Å for Na₂O; MgAl₂O₄ 8.100 Å); its barriers there are 0.237 eV
// (Na → Na vacancy, a/2) and 0.504 eV (Mg 8a → Mg vacancy, 3.50 Å) in the generate jobs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>

#include "lattice/StructureGeometry.hpp"
#include "lattice/StructureIO.hpp"
#include "neb/ActiveLearning.hpp"
#include "neb/CellRelax.hpp"
#include "neb/LinearAcePotential.hpp"
#include "tests/neb/MlipTestData.hpp"
#include "tests/support/NearestPair.hpp"

namespace ionhop::neb {
namespace {

struct Compound {
  const char* name;
  lattice::Structure host;         ///< relaxed with Pedone
  std::vector<std::string> elements;
  std::string cation;              ///< the hopping species
  double displacement_A;           ///< amplitude of the perturbed frames
  double generate_barrier_eV;      ///< Pedone barrier of the generate job (docs/mlip-data.md)
};

lattice::Structure relaxed(const lattice::Structure& s) {
  const auto pedone = make_potential(testing::pedone_spec());
  CellRelaxParams p;
  p.stress_tol_eV_A3 = 1e-5;
  const CellRelaxResult r = relax_cell(s, *pedone, p);
  EXPECT_TRUE(r.converged);
  return r.structure;
}

const Compound& na2o() {
  static const Compound c{"Na2O",
                          relaxed(lattice::make_supercell(ionhop::testing::antifluorite_cell(5.55, "Na", "O"), {2, 2, 2})),
                          {"Na", "O"},
                          "Na",
                          0.3,
                          0.237};
  return c;
}

const Compound& spinel() {
  static const Compound c{"MgAl2O4",
                          relaxed(lattice::read_structure(std::string(IONHOP_SOURCE_DIR) + "/inputs/jobs/MgAl2O4.cif")),
                          {"Mg", "Al", "O"},
                          "Mg",
                          0.2,
                          0.504};
  return c;
}

AceBasisSpec small_basis(const std::vector<std::string>& elements) {
  AceBasisSpec s;
  s.elements = elements;
  s.cutoff_A = 6.0;
  s.radial_size_2 = 12;
  s.radial_size_3 = 3;
  s.lmax = 2;
  return s;
}

MlipTrainingOptions options(const Compound& c, bool baseline) {
  MlipTrainingOptions o;
  o.basis = small_basis(c.elements);
  o.folds = 4;
  o.lambdas = {1e-12, 1e-10, 1e-8, 1e-6};
  if (baseline) o.baseline = testing::pedone_coulomb_spec();
  return o;
}

/// Held-out errors and calibrated coverage: trained on 24 perturbed cells (±displacement, ±3 %
/// strain), calibrated on 80 others (κ_E, α, κ_F; neb/MlipEvaluation.hpp), tested on 160 more
/// (four independent draws of 40; force σ on the first 40 — thousands of components).
/// Targets: 5 meV/atom and 0.10 eV/Å without a baseline, 2 meV/atom and 0.05 eV/Å with Ewald.
struct HeldOutData {
  std::vector<lattice::XyzFrame> train, calibration, test;
};

/// The labelled frames of a compound, made once for both baselines.
const HeldOutData& held_out_data(const Compound& c) {
  static std::map<std::string, HeldOutData> cache;
  auto it = cache.find(c.name);
  if (it != cache.end()) return it->second;
  const auto pedone = make_potential(testing::pedone_spec());
  HeldOutData d;
  d.train = testing::perturbed_frames(*pedone, c.host, 24, 71, c.displacement_A, 0.03);
  d.calibration = testing::perturbed_frames(*pedone, c.host, 80, 72, c.displacement_A, 0.03);
  for (std::uint64_t seed : {73, 74, 75, 76})
    for (auto& f : testing::perturbed_frames(*pedone, c.host, 40, seed, c.displacement_A, 0.03)) d.test.push_back(std::move(f));
  return cache.emplace(c.name, std::move(d)).first->second;
}

void check_held_out(const Compound& c, bool baseline) {
  const HeldOutData& data = held_out_data(c);
  const auto& train = data.train;
  const auto& calibration = data.calibration;
  const auto& test = data.test;
  const std::vector<lattice::XyzFrame> first(test.begin(), test.begin() + 40);
  TrainedLinearAce t = train_linear_ace(train, options(c, baseline));
  const MlipCalibrationReport k = calibrate_model(t.model, calibration);
  const LinearAcePotential mlip(t.model);
  const MlipErrorReport r = evaluate(mlip, test, {.energy_uncertainty = true, .force_uncertainty = false});
  const MlipErrorReport r40 = evaluate(mlip, first, {.energy_uncertainty = true, .force_uncertainty = true});
  std::printf("%s, %s baseline: P = %zu, lambda %.0e; held-out RMSE E %.3f meV/atom, F %.4f eV/A, stress %.2e eV/A^3 (%zu frames); "
              "kappa E %.2f (quantile %.2f, likelihood %.2f), alpha %.3g (dlnL %.2f), kappa F %.2f; within 2 sigma: energies %.3f "
              "(first 40: %.3f), forces %.3f (%zu components); train %.2f s\n",
              c.name, baseline ? "Ewald" : "no", t.report.coefficient_count, t.report.chosen.lambda, 1e3 * r.energy_eV_per_atom.rmse,
              r.force_eV_per_A.rmse, r.stress_eV_per_A3.rmse, r.energy_eV_per_atom.count, k.factors.energy, k.quantile_factors.energy,
              k.likelihood_factors.energy, k.factors.energy_grade_slope, k.grade_noise_log_likelihood_gain, k.factors.force,
              r.energy_coverage_2sigma, r40.energy_coverage_2sigma, r40.force_coverage_2sigma, r40.force_parity.sigma.size(),
              t.report.descriptor_seconds + t.report.solve_seconds);
  EXPECT_EQ(r.energy_eV_per_atom.count, 160u);
  EXPECT_LE(r.energy_eV_per_atom.rmse, baseline ? 2e-3 : 5e-3);
  EXPECT_LE(r.force_eV_per_A.rmse, baseline ? 0.05 : 0.10);
  // The calibration target: ≥ 90 % of held-out errors within 2 calibrated σ. Over 40
  // frames a σ whose 2σ truly covers 95 % shows ≤ 35/40 (< 90 %) with probability 0.14 (binomial;
  // measured per draw of 40: 0.875–1.0), too often for a test; over 160 frames with probability
  // 0.005 (σ of the fraction 0.017), while the former constant-noise, 95 %-quantile calibration
  // (0.88–0.90 over the same 160) fails it. docs/mlip.md, Calibration.
  EXPECT_GE(r.energy_coverage_2sigma, 0.9);
  EXPECT_GE(r40.force_coverage_2sigma, 0.9);
}

TEST(MlipValidation, Na2OWithoutBaselineReachesFiveMeVPerAtomAndTenthEVPerAngstromWithCalibratedSigma) {
  check_held_out(na2o(), false);
}

TEST(MlipValidation, SpinelWithoutBaselineReachesFiveMeVPerAtomAndTenthEVPerAngstromWithCalibratedSigma) {
  check_held_out(spinel(), false);
}

TEST(MlipValidation, Na2OWithEwaldBaselineCalibratedSigmaCoversNinetyPercent) { check_held_out(na2o(), true); }

TEST(MlipValidation, SpinelWithEwaldBaselineCalibratedSigmaCoversNinetyPercent) { check_held_out(spinel(), true); }

/// Calibration of the barrier σ over 20 held-out hops: the reference band's saddle and initial
/// state, strained (±1 %) and displaced (0.03 Å per component) together, 20 independent copies;
/// the error of E_saddle − E_initial on the final model against the reference, in units of the
/// model's calibrated σ of that difference. κ_D comes from the loop's own hop-like pairs (10 per
/// band: perturbed copies of the MLIP band's saddle and initial state, the same recipe but another
/// band and another random stream — RandomStream(1, iteration), here mt19937_64(91)). The issue
/// asks ≥ 90 % within 2σ: ≥ 18 of 20. (Before, with κ_D from consecutive held-out perfect and
/// vacancy cells, the spinel without a baseline had 7/20.)
void check_difference_coverage(const Compound& c, const ActiveLearningResult& r, bool baseline) {
  const auto pedone = make_potential(testing::pedone_spec());
  const LinearAcePotential mlip(r.model);
  const lattice::Structure& saddle0 = r.reference_hop->neb.images[r.reference_hop->neb.saddle_index];
  const lattice::Structure& initial0 = r.reference_hop->neb.images.front();
  testing::Uniform u(91);
  int covered = 0;
  const int hops = 20;
  double worst = 0.0;
  for (int k = 0; k < hops; ++k) {
    Eigen::Matrix3d strain = Eigen::Matrix3d::Identity();
    for (int a = 0; a < 3; ++a)
      for (int b = a; b < 3; ++b) {
        const double e = u(-0.01, 0.01) * (a == b ? 1.0 : 0.5);
        strain(a, b) += e;
        if (a != b) strain(b, a) += e;
      }
    lattice::Structure pair[2] = {saddle0, initial0};
    for (lattice::Structure& s : pair) {
      s.cell = strain * s.cell;
      s.positions = strain * s.positions;
      for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
        for (int a = 0; a < 3; ++a) s.positions(a, i) += u(-0.03, 0.03);
    }
    const double reference = pedone->compute(pair[0], {.forces = false}).energy_eV - pedone->compute(pair[1], {.forces = false}).energy_eV;
    const double predicted = mlip.compute(pair[0], {.forces = false}).energy_eV - mlip.compute(pair[1], {.forces = false}).energy_eV;
    const double sigma = mlip.energy_difference_uncertainty(pair[0], pair[1]).std_eV();
    const double z = std::abs(predicted - reference) / sigma;
    worst = std::max(worst, z);
    covered += z <= 2.0;
  }
  std::printf("%s, %s baseline: %d of %d perturbed hops within 2 sigma of the barrier difference (largest |z| %.2f; kappa_D %.2f "
              "from %zu pairs)\n",
              c.name, baseline ? "Ewald" : "no", covered, hops, worst, r.model.calibration.difference, r.calibration_pairs.size());
  EXPECT_GE(covered, 18);
}

/// Active learning from 8 perturbed perfect cells until the barrier's σ is below `tolerance_eV`;
/// the final MLIP barrier must be within `target_eV` of Pedone's for the same hop.
void check_barrier(const Compound& c, bool baseline, double tolerance_eV, double target_eV) {
  const auto pedone = make_potential(testing::pedone_spec());
  const ionhop::testing::NearestPair pair = ionhop::testing::nearest_pair(c.host, c.cation);
  const HopEndStates hop = build_vacancy_hop(c.host, pair.moving, pair.vacancy);
  ActiveLearningData data;
  data.training = testing::perturbed_frames(*pedone, c.host, 8, 81, 0.15, 0.02);
  data.held_out = testing::perturbed_frames(*pedone, c.host, 6, 82, 0.15, 0.02);
  for (auto& f : testing::perturbed_frames(*pedone, hop.initial, 8, 83, 0.15, 0.02)) data.held_out.push_back(std::move(f));
  ActiveLearningParams p;
  p.training = options(c, baseline);
  p.training.basis.cutoff_A = 5.0;
  p.training.basis.radial_size_2 = 8;
  p.calibration.forces = false;
  p.hop.relax.fmax_eV_A = 5e-3;
  p.hop.neb.images = 5;
  p.hop.neb.fmax_eV_A = 0.03;
  p.hop.neb.max_iterations = 400;
  p.barrier_std_tolerance_eV = tolerance_eV;
  p.image_std_threshold_eV = tolerance_eV;
  p.max_refits = 4;
  p.reference_barrier = true;
  p.calibration_pairs_per_band = 10;
  const ActiveLearningResult r = run_active_learning(hop, *pedone, std::move(data), p);
  ASSERT_TRUE(r.reference_hop.has_value());
  ASSERT_TRUE(r.reference_hop->neb.converged);
  const double reference = r.reference_hop->barrier_forward_eV;
  for (const ActiveLearningIteration& it : r.iterations)
    std::printf("%s, %s baseline, iteration %d: %zu frames, band %s, barrier %.4f eV, sigma %.4f eV, kappa_D %.2f, max grade %.1f, "
                "labelled %zu; fit %.2f s, band %.2f s, labels %.2f s\n",
                c.name, baseline ? "Ewald" : "no", it.iteration, it.training_frames, to_string(it.neb_status).c_str(),
                it.barrier_forward_eV, it.barrier_std_eV, it.calibration.difference, it.max_grade, it.labelled_images.size(),
                it.fit_seconds, it.band_seconds, it.label_seconds);
  const double barrier = r.iterations.back().barrier_forward_eV;
  std::printf("%s, %s baseline: %s; MLIP barrier %.4f eV, Pedone %.4f eV (generate job %.3f eV), error %+.4f eV\n", c.name,
              baseline ? "Ewald" : "no", to_string(r.status).c_str(), barrier, reference, c.generate_barrier_eV, barrier - reference);
  EXPECT_EQ(r.status, ActiveLearningStatus::converged);
  EXPECT_LE(std::abs(barrier - reference), target_eV);
  check_difference_coverage(c, r, baseline);
  // The reference hop is the generate job's (same host relaxation; band convergence 0.03 vs
  // 0.05 eV/Å and 5 images in both): agreement to a few meV.
  EXPECT_NEAR(reference, c.generate_barrier_eV, 0.005);
}

TEST(MlipValidation, Na2OVacancyBarrierWithEwaldBaselineWithinThirtyMeV) { check_barrier(na2o(), true, 0.002, 0.03); }
TEST(MlipValidation, Na2OVacancyBarrierWithoutBaselineWithinFiftyMeV) { check_barrier(na2o(), false, 0.01, 0.05); }
TEST(MlipValidation, SpinelMgVacancyBarrierWithEwaldBaselineWithinThirtyMeV) { check_barrier(spinel(), true, 0.002, 0.03); }
TEST(MlipValidation, SpinelMgVacancyBarrierWithoutBaselineWithinFiftyMeV) { check_barrier(spinel(), false, 0.01, 0.05); }

}  // namespace
}  // namespace ionhop::neb
