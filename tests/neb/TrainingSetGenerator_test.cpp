// Training-set generation with the Pedone reference on Li₂O: labels equal the reference, the
// stress is (1/V) ∂E/∂ε (ASE sign) by finite differences, each kind of frame is what it says,
// a seed fixes every frame whatever the thread count, and the NEB frames are the hop's band.
#include <gtest/gtest.h>
#include <omp.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdio>
#include <string>

#include "inputs/PotentialFileReader.hpp"
#include "lattice/StructureGeometry.hpp"
#include "neb/PotentialRegistry.hpp"
#include "neb/ReferenceLabel.hpp"
#include "neb/StructurePerturbation.hpp"
#include "neb/TrainingSetGenerator.hpp"
#include "tests/support/Antifluorite.hpp"

namespace ionhop::neb {
namespace {

std::unique_ptr<Potential> pedone() {
  const inputs::PotentialFile file = inputs::read_potential_file(std::string(IONHOP_SOURCE_DIR) + "/inputs/potentials/pedone.toml");
  return make_potential(file.potential);
}

/// Pedone's relaxed antifluorite lattice constant (docs/performance.md: 4.6401 Å).
lattice::Structure li2o() { return ionhop::testing::antifluorite_cell(4.6401); }

TrainingSetPlan small_plan() {
  TrainingSetPlan p;
  p.seed = 2024;
  p.strained.frames = 3;
  p.displaced.frames = 3;
  p.vacancy.frames = 2;
  p.vacancy.species = {"Li", "Li", "O"};  // a neutral Schottky defect
  p.interstitial.frames = 2;
  p.interstitial.species = {"Li"};
  p.md.temperatures_K = {300.0, 1500.0};
  p.md.frames_per_temperature = 2;
  p.md.equilibration_steps = 20;
  p.md.steps_between_frames = 10;
  return p;
}

TEST(TrainingSetGenerator, LabelsAreTheReferenceAndStressIsTheStrainDerivative) {
  const auto ref = pedone();
  lattice::Structure s = li2o();
  RandomStream rng(1, 0);
  s = apply_strain(s, random_symmetric_strain(rng, 0.03));
  rattle(s, rng, 0.05);
  const lattice::XyzFrame f = label_with_reference(s, *ref, "x");
  const PotentialResult r = ref->compute(s, {.forces = true, .virial = true});
  EXPECT_EQ(*f.energy_eV, r.energy_eV);
  EXPECT_EQ(*f.forces_eV_per_A, r.forces);
  EXPECT_EQ(f.config_type(), "x");
  ASSERT_TRUE(f.stress_eV_per_A3.has_value());
  // ASE: σ_ij = (1/V) ∂E/∂ε_ij for a symmetric strain; central differences, h = 1e-5 (truncation
  // ~h² E''' ≈ 1e-10 eV; Ewald at accuracy 1e-6 is smooth in the strain at fixed α and k-set).
  const double h = 1e-5;
  const double volume = s.volume_A3();
  double worst = 0.0, scale = 0.0;
  for (int i = 0; i < 3; ++i)
    for (int j = i; j < 3; ++j) {
      Eigen::Matrix3d e = Eigen::Matrix3d::Zero();
      e(i, j) = e(j, i) = h;
      const double plus = ref->compute(apply_strain(s, e), {.forces = false}).energy_eV;
      const double minus = ref->compute(apply_strain(s, -e), {.forces = false}).energy_eV;
      const double derivative = (plus - minus) / (2.0 * h) / volume / (i == j ? 1.0 : 2.0);
      worst = std::max(worst, std::abs(derivative - (*f.stress_eV_per_A3)(i, j)));
      scale = std::max(scale, std::abs(derivative));
    }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3e of %.3e", worst, scale);
  RecordProperty("stress_fd_max_abs_error_eV_A3", buf);
  EXPECT_GT(scale, 1e-3);  // a 3 % strain gives a stress of order 1e-2 eV/Å³: the check is not vacuous
  // Ewald truncated at accuracy 1e-6 leaves energy and analytic virial consistent to about
  // 1e-5 relative (measured 1.8e-7 eV/Å³ of 1.3e-2); 1e-5 eV/Å³ absolute is 1e-3 relative.
  EXPECT_LT(worst, 1e-5);
}

TEST(TrainingSetGenerator, EachKindOfFrameIsWhatItSays) {
  const auto ref = pedone();
  const lattice::Structure host = li2o();
  TrainingSetReport report;
  const auto frames = generate_training_set(host, *ref, small_plan(), &report);
  ASSERT_EQ(frames.size(), 3u + 3u + 2u + 2u + 4u);
  EXPECT_EQ(report.frames_by_config_type.at("strained"), 3);
  EXPECT_EQ(report.frames_by_config_type.at("md"), 4);
  for (const auto& f : frames) {
    ASSERT_TRUE(f.energy_eV && f.forces_eV_per_A && f.stress_eV_per_A3);
    EXPECT_EQ(f.forces_eV_per_A->cols(), static_cast<Eigen::Index>(f.structure.size()));
    EXPECT_EQ(f.weight, 1.0);
  }
  for (int k = 0; k < 3; ++k) {
    // cell' = (I + ε) cell: ε symmetric with every component within ±3 %.
    const Eigen::Matrix3d eps = frames[k].structure.cell * host.cell.inverse() - Eigen::Matrix3d::Identity();
    EXPECT_EQ(frames[k].config_type(), "strained");
    EXPECT_LT((eps - eps.transpose()).cwiseAbs().maxCoeff(), 1e-12);
    EXPECT_LE(eps.cwiseAbs().maxCoeff(), 0.03 + 1e-12);
    EXPECT_GT(eps.cwiseAbs().maxCoeff(), 1e-3);
  }
  for (int k = 3; k < 6; ++k) {
    EXPECT_EQ(frames[k].config_type(), "displaced");
    EXPECT_EQ(frames[k].structure.cell, host.cell);
    // σ = 0.1 Å per component: the RMS displacement of 36 components is 0.1 within ~±0.04 (4 SE).
    const double rms = std::sqrt((frames[k].structure.positions - host.positions).squaredNorm() / 36.0);
    EXPECT_NEAR(rms, 0.1, 4.0 * 0.1 / std::sqrt(72.0));
  }
  for (int k = 6; k < 8; ++k) {
    EXPECT_EQ(frames[k].config_type(), "vacancy");
    EXPECT_EQ(frames[k].structure.size(), 9u);
    EXPECT_EQ(std::count(frames[k].structure.species.begin(), frames[k].structure.species.end(), "O"), 3);
  }
  for (int k = 8; k < 10; ++k) {
    EXPECT_EQ(frames[k].config_type(), "interstitial");
    ASSERT_EQ(frames[k].structure.size(), 13u);
    EXPECT_EQ(frames[k].structure.species.back(), "Li");
  }
  // The largest void of antifluorite is the empty cube centre (octahedral site), a√3/4 = 2.01 Å
  // from the nearest Li: 512 random candidates come within 0.25 Å of it.
  EXPECT_GT(report.min_interstitial_clearance_A, 2.0092 - 0.25);
  EXPECT_LE(report.min_interstitial_clearance_A, 2.0092 + 1e-9);
  for (int k = 10; k < 14; ++k) {
    EXPECT_EQ(frames[k].config_type(), "md");
    EXPECT_EQ(frames[k].info.at("temperature_K"), k < 12 ? "300" : "1500");
    EXPECT_EQ(frames[k].info.at("time_fs"), (k - 10) % 2 == 0 ? "30" : "40");
  }
  // Hotter MD frames have larger forces (further from the minimum).
  const auto force_rms = [&](int k) { return frames[k].forces_eV_per_A->norm(); };
  EXPECT_GT(force_rms(12) + force_rms(13), force_rms(10) + force_rms(11));
}

TEST(TrainingSetGenerator, SeedFixesEveryFrameWhateverTheThreads) {
  const auto ref = pedone();
  const lattice::Structure host = li2o();
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const auto one = generate_training_set(host, *ref, small_plan());
  omp_set_num_threads(2);
  const auto two = generate_training_set(host, *ref, small_plan());
  omp_set_num_threads(threads);
  TrainingSetPlan other = small_plan();
  other.seed = 2025;
  const auto different = generate_training_set(host, *ref, other);
  ASSERT_EQ(one.size(), two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    EXPECT_EQ(one[i].structure.positions, two[i].structure.positions) << i;
    EXPECT_EQ(*one[i].energy_eV, *two[i].energy_eV) << i;
    EXPECT_EQ(*one[i].forces_eV_per_A, *two[i].forces_eV_per_A) << i;
  }
  EXPECT_NE(*one[0].energy_eV, *different[0].energy_eV);
  EXPECT_NE(one.back().structure.positions, different.back().structure.positions);
}

TEST(TrainingSetGenerator, NebFramesAreTheBandOfTheVacancyHop) {
  const auto ref = pedone();
  const lattice::Structure host = li2o();
  TrainingSetPlan plan;
  plan.seed = 1;
  NebFrames n;
  n.moving_atom = 5;
  n.vacancy_site = 4;
  n.hop.neb.images = 3;
  n.hop.neb.fmax_eV_A = 0.05;
  n.weight = 2.0;
  plan.neb = n;
  TrainingSetReport report;
  const auto frames = generate_training_set(host, *ref, plan, &report);
  const HopResult direct = run_hop(build_vacancy_hop(host, 5, 4), *ref, n.hop);
  ASSERT_EQ(direct.status, HopStatus::ok);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_EQ(report.neb_status, "converged");
  EXPECT_EQ(report.neb_barrier_forward_eV, direct.neb.barrier_forward_eV);
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].config_type(), "neb");
    EXPECT_EQ(frames[i].info.at("image"), std::to_string(i));
    EXPECT_EQ(frames[i].weight, 2.0);
    EXPECT_EQ(frames[i].structure.positions, direct.neb.images[i].positions);
    EXPECT_EQ(*frames[i].energy_eV, direct.neb.energies_eV[i]);
  }
}

TEST(TrainingSetGenerator, RejectsBadPlansBeforeAnyWork) {
  const auto ref = pedone();
  const lattice::Structure host = li2o();
  TrainingSetPlan p;
  p.vacancy.frames = 1;
  p.vacancy.species = {"Na"};
  EXPECT_THROW(generate_training_set(host, *ref, p), std::invalid_argument);
  p = {};
  p.md.frames_per_temperature = 1;
  EXPECT_THROW(generate_training_set(host, *ref, p), std::invalid_argument);  // no temperature
  p = {};
  p.neb = NebFrames{};
  p.neb->moving_atom = 0;  // O
  p.neb->vacancy_site = 4;  // Li
  EXPECT_THROW(generate_training_set(host, *ref, p), std::invalid_argument);
  p = {};
  p.strained.frames = 1;
  p.strained.max_strain = 0.9;
  EXPECT_THROW(generate_training_set(host, *ref, p), std::invalid_argument);
  lattice::Structure slab = host;
  slab.pbc[2] = false;
  EXPECT_THROW(generate_training_set(slab, *ref, {}), std::invalid_argument);
}

}  // namespace
}  // namespace ionhop::neb
