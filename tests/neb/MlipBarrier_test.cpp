// CI-NEB on the MLIP: the Li vacancy hop in Li₂O (2×2×2 antifluorite supercell, 95 atoms) with
// the Pedone force field as the reference. The MLIP is trained on labelled configurations around
// the reference band (displaced images, displaced and strained perfect cells), then the same hop
// is run on the MLIP from the same unrelaxed end states; its barrier must agree with the
// reference's within 0.03 eV (Ewald baseline) or 0.05 eV (no baseline), and the barrier's
// calibrated σ (exact difference variance of the linear model) is reported.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>

#include "lattice/StructureGeometry.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipTraining.hpp"
#include "tests/neb/MlipTestData.hpp"
#include "tests/support/NearestPair.hpp"

namespace ionhop::neb {
namespace {

struct HopCase {
  HopEndStates hop;
  HopResult reference;
  std::vector<lattice::XyzFrame> train, calibration;
};

HopParams hop_params() {
  HopParams p;
  p.relax.fmax_eV_A = 1e-3;
  p.neb.images = 5;
  p.neb.fmax_eV_A = 0.02;
  p.neb.end_state_fmax_eV_A = 2e-3;
  p.neb.max_iterations = 500;
  return p;
}

/// `copies` randomly displaced copies of each structure, labelled.
void add_displaced(std::vector<lattice::XyzFrame>& out, const std::vector<lattice::Structure>& structures, int copies,
                   double amplitude_A, std::uint64_t seed, const Potential& reference, const std::string& type) {
  testing::Uniform u(seed);
  for (const lattice::Structure& s0 : structures)
    for (int c = 0; c < copies; ++c) {
      lattice::Structure s = s0;
      for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
        for (int a = 0; a < 3; ++a) s.positions(a, i) += u(-amplitude_A, amplitude_A);
      out.push_back(testing::labelled(s, reference, type));
    }
}

const HopCase& li_vacancy_hop() {
  static const HopCase c = [] {
    const auto pedone = make_potential(testing::pedone_spec());
    const lattice::Structure host = lattice::make_supercell(ionhop::testing::antifluorite_cell(4.61), {2, 2, 2});
    // The nearest Li–Li pair (a/2 apart): one Li hops into the site of the other.
    const ionhop::testing::NearestPair li = ionhop::testing::nearest_pair(host, "Li");
    HopCase hc;
    hc.hop = build_vacancy_hop(host, li.moving, li.vacancy);
    hc.reference = run_hop(hc.hop, *pedone, hop_params());
    // Training: displaced copies of every reference image (0.1 Å) and of the unrelaxed end
    // states, plus displaced/strained perfect cells; calibration: fresh displacements.
    std::vector<lattice::Structure> band = hc.reference.neb.images;
    band.push_back(hc.hop.initial);
    band.push_back(hc.hop.final_state);
    add_displaced(hc.train, band, 5, 0.1, 41, *pedone, "band");
    for (auto& f : testing::li2o_frames(*pedone, 12, 42, 0.2, 0.02)) hc.train.push_back(std::move(f));
    add_displaced(hc.calibration, band, 3, 0.1, 43, *pedone, "band");
    return hc;
  }();
  return c;
}

void check_barrier(bool baseline, double tolerance_eV) {
  const HopCase& c = li_vacancy_hop();
  ASSERT_EQ(c.reference.status, HopStatus::ok);
  ASSERT_TRUE(c.reference.neb.converged);
  MlipTrainingOptions o;
  o.basis.elements = {"Li", "O"};
  o.basis.cutoff_A = 6.0;
  o.basis.radial_size_3 = 4;
  o.basis.lmax = 3;
  if (baseline) o.baseline = testing::pedone_coulomb_spec();
  TrainedLinearAce t = train_linear_ace(c.train, o);
  calibrate_model(t.model, c.calibration, MlipCalibrationOptions{.forces = false});
  const LinearAcePotential mlip(t.model);
  const HopResult r = run_hop(c.hop, mlip, hop_params());
  ASSERT_EQ(r.status, HopStatus::ok) << to_string(r.status);
  ASSERT_TRUE(r.neb.converged) << to_string(r.neb.status);
  const MlipEnergyUncertainty sigma =
      mlip.energy_difference_uncertainty(r.neb.images[r.neb.saddle_index], r.neb.images.front());
  const double error = r.barrier_forward_eV - c.reference.barrier_forward_eV;
  std::printf("Li2O Li vacancy hop, MLIP %s baseline (%zu training frames, P = %zu): barrier %.4f eV, Pedone %.4f eV, "
              "error %+.4f eV, calibrated sigma %.4f eV (kappa_D %.2f); band force calls %d\n",
              baseline ? "with Ewald" : "without", c.train.size(), t.report.coefficient_count, r.barrier_forward_eV,
              c.reference.barrier_forward_eV, error, sigma.std_eV(), t.model.calibration.difference, r.neb.force_calls);
  EXPECT_LE(std::abs(error), tolerance_eV);
  EXPECT_NEAR(r.barrier_forward_eV, r.barrier_backward_eV, 0.01);  // symmetric hop
  EXPECT_GT(sigma.std_eV(), 0.0);
}

TEST(MlipBarrier, LiVacancyHopInLi2OWithEwaldBaselineWithinThirtyMeV) { check_barrier(true, 0.03); }

TEST(MlipBarrier, LiVacancyHopInLi2OWithoutBaselineWithinFiftyMeV) { check_barrier(false, 0.05); }

}  // namespace
}  // namespace ionhop::neb
