// Active learning on the Li vacancy hop in Li₂O (2×2×2 antifluorite at Pedone's lattice constant,
// 95 atoms) with the Pedone force field as the reference: a small MLIP (P = 160) trained on 8
// perturbed perfect cells (no vacancy, no NEB images) runs CI-NEB; the images it is unsure about are
// labelled, added and refitted until the barrier's calibrated σ is below the tolerance. The
// final barrier must agree with the reference's barrier of the same hop within 0.03 eV (the
// issue's target with the Ewald baseline), and σ must have fallen on the way.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <omp.h>
#include <limits>

#include "lattice/StructureGeometry.hpp"
#include "neb/ActiveLearning.hpp"
#include "neb/LinearAcePotential.hpp"
#include "tests/neb/MlipTestData.hpp"
#include "tests/support/NearestPair.hpp"

namespace ionhop::neb {
namespace {

/// Pedone's own Li₂O lattice constant (docs/mlip-data.md: isotropic cell relaxation, 4.640 Å).
constexpr double kPedoneLatticeA = 4.640;

struct Li2OHop {
  lattice::Structure host;
  HopEndStates hop;
  std::vector<lattice::XyzFrame> training, held_out;
};

const Li2OHop& li2o_hop() {
  static const Li2OHop c = [] {
    const auto pedone = make_potential(testing::pedone_spec());
    Li2OHop h;
    h.host = lattice::make_supercell(ionhop::testing::antifluorite_cell(kPedoneLatticeA), {2, 2, 2});
    // The nearest Li–Li pair (a/2 apart): one Li hops into the site of the other.
    const ionhop::testing::NearestPair li = ionhop::testing::nearest_pair(h.host, "Li");
    h.hop = build_vacancy_hop(h.host, li.moving, li.vacancy);
    // Training: perturbed perfect cells only; held out: perfect and vacancy cells, so the
    // calibration sees the kind of error a vacancy brings.
    auto add = [&](std::vector<lattice::XyzFrame>& out, const lattice::Structure& s, int count, std::uint64_t seed) {
      for (auto& f : testing::perturbed_frames(*pedone, s, count, seed, 0.15, 0.02)) out.push_back(std::move(f));
    };
    add(h.training, h.host, 8, 61);
    add(h.held_out, h.host, 6, 63);
    add(h.held_out, h.hop.initial, 8, 64);
    return h;
  }();
  return c;
}

ActiveLearningParams small_params(bool baseline = true, double tolerance_eV = 0.002) {
  ActiveLearningParams p;
  p.training.basis.elements = {"Li", "O"};
  p.training.basis.cutoff_A = 5.0;
  p.training.basis.radial_size_2 = 8;
  p.training.basis.radial_size_3 = 3;
  p.training.basis.lmax = 2;
  if (baseline) p.training.baseline = testing::pedone_coulomb_spec();
  p.training.folds = 4;
  p.training.lambdas = {1e-10, 1e-8, 1e-6, 1e-4};
  p.calibration.forces = false;
  p.hop.relax.fmax_eV_A = 5e-3;
  p.hop.neb.images = 5;
  p.hop.neb.fmax_eV_A = 0.03;
  p.hop.neb.max_iterations = 400;
  p.barrier_std_tolerance_eV = tolerance_eV;
  p.image_std_threshold_eV = tolerance_eV;
  p.grade_threshold = 5.0;
  p.max_refits = 4;
  p.reference_barrier = true;
  return p;
}

/// Runs the loop and checks it: the starting model is unsure (σ above the tolerance), σ falls
/// below it, the final barrier is within 0.03 eV of Pedone's for the same hop.
ActiveLearningResult check_loop(bool baseline, double tolerance_eV) {
  const Li2OHop& c = li2o_hop();
  const auto pedone = make_potential(testing::pedone_spec());
  const ActiveLearningParams p = small_params(baseline, tolerance_eV);
  ActiveLearningResult r = run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p);
  EXPECT_TRUE(r.reference_hop.has_value());
  if (!r.reference_hop) return r;
  EXPECT_TRUE(r.reference_hop->neb.converged);
  const double reference = r.reference_hop->barrier_forward_eV;
  for (const ActiveLearningIteration& it : r.iterations)
    std::printf("%s baseline, iteration %d: %zu frames, lambda %.0e, kappa_D %.2f, band %s, barrier %.4f eV, sigma %.4f eV "
                "(noise part %.4f), max grade %.2f, labelled %zu; fit %.2f s, band %.2f s, labels %.2f s\n",
                baseline ? "Ewald" : "no", it.iteration, it.training_frames, it.regularisation, it.calibration.difference,
                to_string(it.neb_status).c_str(), it.barrier_forward_eV, it.barrier_std_eV, it.barrier_noise_std_eV, it.max_grade,
                it.labelled_images.size(), it.fit_seconds, it.band_seconds, it.label_seconds);
  std::printf("%s after %zu band(s): barrier %.4f eV, Pedone %.4f eV (error %+.4f eV)\n", to_string(r.status).c_str(),
              r.iterations.size(), r.iterations.back().barrier_forward_eV, reference,
              r.iterations.back().barrier_forward_eV - reference);

  EXPECT_EQ(r.status, ActiveLearningStatus::converged);
  // The starting model must be unsure, else the loop was not tested.
  EXPECT_GE(r.iterations.size(), 2u);
  EXPECT_GT(r.iterations.front().barrier_std_eV, tolerance_eV);
  EXPECT_LT(r.iterations.back().barrier_std_eV, tolerance_eV);
  EXPECT_TRUE(r.iterations.back().band_converged);
  EXPECT_LE(std::abs(r.iterations.back().barrier_forward_eV - reference), 0.03);
  // Pedone's barrier of this hop (docs/mlip-data.md: 0.339 eV in li2o_generate.toml, 0.337 eV
  // with tighter end-state and band convergence): the reference run is that physics.
  EXPECT_NEAR(reference, 0.338, 0.003);

  // Bookkeeping: every labelled image is in the final training set, marked.
  std::size_t labelled = 0;
  for (const ActiveLearningIteration& it : r.iterations) labelled += it.labelled_images.size();
  EXPECT_GT(labelled, 0u);
  EXPECT_EQ(r.labelled_frames.size(), labelled);
  EXPECT_EQ(r.training_frames.size(), c.training.size() + labelled);
  EXPECT_EQ(r.model.training_frames, r.training_frames.size());
  for (const lattice::XyzFrame& f : r.labelled_frames) EXPECT_EQ(f.config_type(), kConfigActiveLearning);
  EXPECT_TRUE(r.iterations.back().labelled_images.empty());
  return r;
}

TEST(ActiveLearning, WithEwaldBaselineBarrierSigmaFallsBelowTwoMeVAndMatchesPedone) { check_loop(true, 0.002); }

TEST(ActiveLearning, WithoutBaselineBarrierSigmaFallsBelowTenMeVAndMatchesPedone) {
  // Short-range only: the starting model is off by ~0.05 eV with σ ~0.04 eV. With this small
  // basis σ levels off near 0.007 eV: each refit shrinks the posterior, but the misfit on the
  // held-out frames stays and κ_D grows to cover it (measured: 6.3 → 9.9 over four refits).
  check_loop(false, 0.01);
}

TEST(ActiveLearning, StopsWhenARefitNoLongerLowersSigmaEnough) {
  // No baseline, tolerance 1 meV (below what this basis reaches): σ falls steeply at the first
  // refit, then levels off at the calibrated misfit of the basis (≈ 7-10 meV, see above); a refit
  // that gains less than 20 % stops the loop instead of labelling the band again.
  const Li2OHop& c = li2o_hop();
  const auto pedone = make_potential(testing::pedone_spec());
  ActiveLearningParams p = small_params(false, 0.001);
  p.min_std_decrease = 0.2;
  p.reference_barrier = false;
  const ActiveLearningResult r = run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p);
  ASSERT_EQ(r.status, ActiveLearningStatus::stalled);
  ASSERT_GE(r.iterations.size(), 3u);
  ASSERT_LT(static_cast<int>(r.iterations.size()), p.max_refits + 1);
  const double last = r.iterations.back().barrier_std_eV, before = r.iterations[r.iterations.size() - 2].barrier_std_eV;
  EXPECT_GT(last, (1.0 - p.min_std_decrease) * before);
  EXPECT_GT(last, p.barrier_std_tolerance_eV);
  EXPECT_TRUE(r.iterations.back().labelled_images.empty());
}

TEST(ActiveLearning, SameResultWithOneAndTwoThreads) {
  const Li2OHop& c = li2o_hop();
  const auto pedone = make_potential(testing::pedone_spec());
  ActiveLearningParams p = small_params(false, 0.01);
  p.reference_barrier = false;
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const ActiveLearningResult one = run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p);
  omp_set_num_threads(2);
  const ActiveLearningResult two = run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p);
  omp_set_num_threads(threads);
  ASSERT_EQ(one.iterations.size(), two.iterations.size());
  for (std::size_t k = 0; k < one.iterations.size(); ++k) {
    EXPECT_EQ(one.iterations[k].barrier_forward_eV, two.iterations[k].barrier_forward_eV);
    EXPECT_EQ(one.iterations[k].labelled_images, two.iterations[k].labelled_images);
  }
  EXPECT_EQ(one.model, two.model);
}

TEST(ActiveLearning, RejectsBadParametersBeforeAnyWork) {
  const Li2OHop& c = li2o_hop();
  const auto pedone = make_potential(testing::pedone_spec());
  ActiveLearningParams p = small_params();
  p.barrier_std_tolerance_eV = 0.0;
  EXPECT_THROW(run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p), std::invalid_argument);
  p = small_params();
  p.max_refits = -1;
  EXPECT_THROW(run_active_learning(c.hop, *pedone, {c.training, c.held_out, std::nullopt}, p), std::invalid_argument);
  EXPECT_THROW(run_active_learning(c.hop, *pedone, {{}, c.held_out, std::nullopt}, small_params()), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
