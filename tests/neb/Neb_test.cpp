// CI-NEB on model surfaces with known saddles: Müller–Brown (shared/docs/VALIDATION.md) and a
// curved double well whose barrier is known in closed form.
#include "neb/Neb.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include "neb/MullerBrown.hpp"
#include "neb/NebPath.hpp"
#include "neb/Relax.hpp"
#include "NebTestObjectives.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {

Structure relaxed_mb(double x, double y) {
  RelaxParams p;
  p.fmax_eV_A = 1e-9;
  p.max_step_A = 0.02;
  const RelaxResult r = relax(MullerBrown::structure_at(x, y), MullerBrown{}, p);
  EXPECT_TRUE(r.converged);
  return r.structure;
}

NebParams mb_params(RelaxMethod m) {
  NebParams p;
  p.images = 15;
  p.method = m;
  p.fmax_eV_A = 1e-3;  // MB forces are O(100) per unit length
  p.max_step_A = 0.02;
  p.max_iterations = 5000;
  p.springs.k_eV_A2 = 50.0;
  p.end_state_fmax_eV_A = 1e-6;
  return p;
}

// V = h (x² − 1)² + ½ k (y − c x²)² for one atom: minima (±1, c), and along the minimum-energy
// path y = c x² the energy is h (x² − 1)², so the saddle is (0, 0) with barrier exactly h,
// while the straight line between the minima passes at y = c, ½ k c² higher.
class CurvedDoubleWell final : public Potential {
 public:
  static constexpr double h = 0.4, k = 2.0, c = 0.8;
  PotentialResult compute(const Structure& s, const ComputeRequest& = {}) const override {
    const double x = s.positions(0, 0), y = s.positions(1, 0), z = s.positions(2, 0);
    const double u = y - c * x * x;
    PotentialResult r;
    r.energy_eV = h * (x * x - 1) * (x * x - 1) + 0.5 * k * u * u + 0.5 * z * z;
    r.forces = Eigen::Matrix3Xd(3, 1);
    r.forces(0, 0) = -(4 * h * x * (x * x - 1) - 2 * k * c * x * u);
    r.forces(1, 0) = -k * u;
    r.forces(2, 0) = -z;
    // A variance growing with |y|, for the uncertainty stop.
    if (report_variance) r.energy_variance_eV2 = 0.01 * y * y;
    return r;
  }
  PotentialCapabilities capabilities() const override { return {false, report_variance, true}; }
  std::string name() const override { return "curved_double_well"; }
  bool report_variance = false;
};

Structure atom_at(double x, double y) { return MullerBrown::structure_at(x, y); }

}  // namespace

class NebMullerBrown : public ::testing::TestWithParam<RelaxMethod> {};

TEST_P(NebMullerBrown, FindsTheHigherSaddleBetweenTheDeepMinima) {
  const Structure a = relaxed_mb(-0.558, 1.442), b = relaxed_mb(0.623, 0.028);
  const NebResult r = run_neb(a, b, MullerBrown{}, mb_params(GetParam()));
  ASSERT_EQ(r.status, NebStatus::converged) << to_string(r.status) << " after " << r.iterations << " fmax " << r.max_force_eV_A;
  // VALIDATION.md: saddle near (−0.822, 0.624), E ≈ −40.66, required to 0.01 in energy.
  EXPECT_NEAR(r.energies_eV[r.saddle_index], -40.66, 0.01);
  EXPECT_NEAR(r.saddle.positions(0, 0), -0.822, 2e-3);
  EXPECT_NEAR(r.saddle.positions(1, 0), 0.624, 2e-3);
  EXPECT_NEAR(r.barrier_forward_eV, r.energies_eV[r.saddle_index] - r.energies_eV.front(), 1e-12);
  EXPECT_NEAR(r.barrier_backward_eV, r.energies_eV[r.saddle_index] - r.energies_eV.back(), 1e-12);
  // End points unchanged, bit for bit.
  EXPECT_EQ(r.images.front().positions, a.positions);
  EXPECT_EQ(r.images.back().positions, b.positions);
  // The path stays in the plane and goes down into the intermediate minimum (−0.050, 0.467).
  double lowest_inner = 0.0;
  for (std::size_t i = 0; i < r.images.size(); ++i) {
    EXPECT_EQ(r.images[i].positions(2, 0), 0.0);
    if (i > 0 && i + 1 < r.images.size()) lowest_inner = std::min(lowest_inner, r.energies_eV[i]);
  }
  EXPECT_LT(lowest_inner, -72.25);  // below the lower saddle: some image sits in the intermediate basin
  // Bookkeeping: reaction coordinate, history, force calls.
  EXPECT_EQ(r.reaction_coordinate_A.front(), 0.0);
  for (std::size_t i = 1; i < r.reaction_coordinate_A.size(); ++i) EXPECT_GT(r.reaction_coordinate_A[i], r.reaction_coordinate_A[i - 1]);
  EXPECT_EQ(r.max_force_history_eV_A.size(), static_cast<std::size_t>(r.iterations) + 1);
  EXPECT_LT(r.max_force_history_eV_A.back(), 1e-3);
  EXPECT_EQ(r.force_calls, 2 + 15 * (r.iterations + 1));
}

TEST_P(NebMullerBrown, FindsTheLowerSaddleFromTheIntermediateMinimum) {
  const Structure a = relaxed_mb(-0.050, 0.467), b = relaxed_mb(0.623, 0.028);
  NebParams p = mb_params(GetParam());
  p.images = 9;
  const NebResult r = run_neb(a, b, MullerBrown{}, p);
  ASSERT_EQ(r.status, NebStatus::converged) << to_string(r.status);
  // VALIDATION.md: saddle near (0.212, 0.293), E ≈ −72.25.
  EXPECT_NEAR(r.energies_eV[r.saddle_index], -72.25, 0.01);
  EXPECT_NEAR(r.saddle.positions(0, 0), 0.212, 2e-3);
  EXPECT_NEAR(r.saddle.positions(1, 0), 0.293, 2e-3);
}

INSTANTIATE_TEST_SUITE_P(BothOptimizers, NebMullerBrown, ::testing::Values(RelaxMethod::fire, RelaxMethod::lbfgs),
                         [](const auto& info) { return to_string(info.param); });

TEST(Neb, EnergyWeightedSpringsFindTheSameSaddle) {
  const Structure a = relaxed_mb(-0.558, 1.442), b = relaxed_mb(0.623, 0.028);
  NebParams p = mb_params(RelaxMethod::fire);
  p.springs.mode = NebSpringMode::energy_weighted;
  p.springs.k_min_eV_A2 = 10.0;
  const NebResult r = run_neb(a, b, MullerBrown{}, p);
  ASSERT_EQ(r.status, NebStatus::converged) << to_string(r.status);
  EXPECT_NEAR(r.energies_eV[r.saddle_index], -40.66, 0.01);
}

TEST(Neb, CurvedDoubleWellGivesTheExactBarrier) {
  const CurvedDoubleWell pot;
  for (RelaxMethod m : {RelaxMethod::fire, RelaxMethod::lbfgs}) {
    NebParams p;
    p.images = 6;  // even: no image starts on the saddle
    p.method = m;
    p.fmax_eV_A = 1e-6;
    p.max_step_A = 0.05;
    p.max_iterations = 5000;
    const NebResult r = run_neb(atom_at(-1, CurvedDoubleWell::c), atom_at(1, CurvedDoubleWell::c), pot, p);
    ASSERT_EQ(r.status, NebStatus::converged) << to_string(m);
    // The climbing image's force is below 1e-6 eV/Å and the smallest curvature at the saddle is
    // |−4h| ≈ 1.6 eV/Å²: the energy error is ≤ F²/(2|λ|) ≈ 3e-13 eV.
    EXPECT_NEAR(r.barrier_forward_eV, CurvedDoubleWell::h, 1e-10);
    EXPECT_NEAR(r.barrier_backward_eV, CurvedDoubleWell::h, 1e-10);
    EXPECT_NEAR(r.saddle.positions(0, 0), 0.0, 1e-6);
    EXPECT_NEAR(r.saddle.positions(1, 0), 0.0, 1e-6);
  }
}

TEST(Neb, ClimbingSwitchedOnLateStillConverges) {
  const CurvedDoubleWell pot;
  NebParams p;
  p.images = 5;
  p.fmax_eV_A = 1e-6;
  p.max_step_A = 0.05;
  p.max_iterations = 5000;
  p.climb_after_iterations = 20;
  const NebResult r = run_neb(atom_at(-1, CurvedDoubleWell::c), atom_at(1, CurvedDoubleWell::c), pot, p);
  ASSERT_EQ(r.status, NebStatus::converged);
  EXPECT_GT(r.iterations, 20);
  EXPECT_NEAR(r.barrier_forward_eV, CurvedDoubleWell::h, 1e-10);
}

TEST(Neb, StatusEndStatesNotMinima) {
  const Structure a = MullerBrown::structure_at(-0.5, 1.4);  // not a minimum: |F| ≈ 10
  const Structure b = relaxed_mb(0.623, 0.028);
  const NebResult r = run_neb(a, b, MullerBrown{}, mb_params(RelaxMethod::fire));
  EXPECT_EQ(r.status, NebStatus::end_states_not_minima);
  EXPECT_EQ(r.iterations, 0);
  EXPECT_FALSE(r.converged);
}

TEST(Neb, StatusImageCollapseForIdenticalEndStates) {
  const Structure a = relaxed_mb(0.623, 0.028);
  const NebResult r = run_neb(a, a, MullerBrown{}, mb_params(RelaxMethod::fire));
  EXPECT_EQ(r.status, NebStatus::image_collapse);
}

TEST(Neb, StatusStepLimit) {
  const CurvedDoubleWell pot;
  NebParams p;
  p.images = 5;
  p.max_iterations = 3;
  p.fmax_eV_A = 1e-9;
  const NebResult r = run_neb(atom_at(-1, CurvedDoubleWell::c), atom_at(1, CurvedDoubleWell::c), pot, p);
  EXPECT_EQ(r.status, NebStatus::step_limit);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_EQ(r.force_calls, 2 + 5 * 4);
}

TEST(Neb, StatusUncertaintyTooHigh) {
  CurvedDoubleWell pot;
  pot.report_variance = true;
  NebParams p;
  p.images = 5;
  // Straight-line images sit at y = c = 0.8, σ = 0.1·0.8 = 0.08 eV; the end points too.
  p.max_energy_std_eV = 0.05;
  const NebResult r = run_neb(atom_at(-1, CurvedDoubleWell::c), atom_at(1, CurvedDoubleWell::c), pot, p);
  EXPECT_EQ(r.status, NebStatus::uncertainty_too_high);
  EXPECT_NEAR(r.max_energy_std_eV, 0.08, 1e-12);
}

TEST(Neb, PeriodicFinalStateIsUnwrappedToTheMinimumImage) {
  Structure a;
  a.cell = Eigen::Matrix3d::Identity() * 5.0;
  a.species = {"Li", "O"};
  a.positions = Eigen::Matrix3Xd(3, 2);
  a.positions << 4.8, 2.0, 1.0, 2.0, 1.0, 2.0;
  Structure b = a;
  b.positions(0, 0) = 0.3;  // crossed the boundary: physical displacement +0.5 Å, not −4.5 Å
  const std::vector<Structure> band = linear_path(a, b, 4);
  EXPECT_NEAR(band.back().positions(0, 0), 5.3, 1e-12);
  EXPECT_NEAR(reaction_coordinate(band).back(), 0.5, 1e-12);
  EXPECT_NEAR(band[1].positions(0, 0), 4.9, 1e-12);
}

TEST(Neb, OneThreadAndTwoThreadsAreBitIdentical) {
  // A vacancy hop in a small LJ fcc cell (ε = 0.0104 eV, σ = 3.40 Å): enough images for both threads.
  const double a0 = 5.26;
  Structure host;
  host.cell = Eigen::Matrix3d::Identity() * 2 * a0;
  const Eigen::Vector3d basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  std::vector<Eigen::Vector3d> pos;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 2; ++k)
        for (const auto& b : basis) pos.push_back(a0 * (Eigen::Vector3d(i, j, k) + b));
  // Remove site 1 (0.5, 0.5, 0)·a0; the atom at site 0 hops into it.
  Structure ini = host;
  for (std::size_t n = 0; n < pos.size(); ++n) {
    if (n == 1) continue;
    ini.species.push_back("Ar");
  }
  ini.positions.resize(3, static_cast<Eigen::Index>(pos.size() - 1));
  for (std::size_t n = 0, c = 0; n < pos.size(); ++n) {
    if (n != 1) ini.positions.col(static_cast<Eigen::Index>(c++)) = pos[n];
  }
  Structure fin = ini;
  fin.positions.col(0) = pos[1];
  const nebtest::TestLennardJones lj(0.0104, 3.40, 6.0);
  NebParams p;
  p.images = 4;
  p.fmax_eV_A = 0.01;
  p.end_state_fmax_eV_A = 10.0;  // unrelaxed end states are fine for this check
  auto run = [&](int threads, RelaxMethod m) {
    omp_set_num_threads(threads);
    p.method = m;
    return run_neb(ini, fin, lj, p);
  };
  for (RelaxMethod m : {RelaxMethod::fire, RelaxMethod::lbfgs}) {
    const NebResult r1 = run(1, m);
    const NebResult r2 = run(2, m);
    EXPECT_EQ(r1.iterations, r2.iterations);
    EXPECT_EQ(r1.energies_eV, r2.energies_eV);
    EXPECT_EQ(r1.max_force_history_eV_A, r2.max_force_history_eV_A);
    for (std::size_t i = 0; i < r1.images.size(); ++i) EXPECT_EQ(r1.images[i].positions, r2.images[i].positions);
  }
}
