// Li₂O with the Pedone force field (inputs/potentials/pedone.toml: Morse + C/r¹² + Ewald
// Coulomb with partial charges Li +0.6, O −1.2): the relaxed antifluorite lattice constant
// against experiment, and CI-NEB of the nearest-neighbour Li vacancy hop in a 2×2×2 supercell.
#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <thread>

#include "inputs/PotentialFileReader.hpp"
#include "lattice/StructureGeometry.hpp"
#include "tests/support/Antifluorite.hpp"
#include "tests/support/NearestPair.hpp"
#include "neb/CellListPotential.hpp"
#include "neb/CellRelax.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {
namespace {

/// Conventional antifluorite cell (12 atoms): O on fcc sites, Li in all tetrahedral holes.
lattice::Structure li2o_cell(double a) { return ionhop::testing::antifluorite_cell(a); }

std::unique_ptr<Potential> pedone() {
  const inputs::PotentialFile file = inputs::read_potential_file(std::string(IONHOP_SOURCE_DIR) + "/inputs/potentials/pedone.toml");
  return make_potential(file.potential);
}

/// Relaxed lattice constant [Å] of the conventional cell (isotropic, zero stress).
double relaxed_lattice_constant(const Potential& potential) {
  CellRelaxParams p;
  p.relax.fmax_eV_A = 1e-4;
  p.stress_tol_eV_A3 = 1e-6;  // 0.16 MPa; with a bulk modulus of ~0.5 eV/Å³ a strain of ~1e-6
  const CellRelaxResult r = relax_cell(li2o_cell(4.61), potential, p);
  EXPECT_TRUE(r.converged) << to_string(r.status);
  return r.structure.cell(0, 0);
}

TEST(Li2OPedone, RelaxedLatticeConstantWithinOnePercentOfExperiment) {
  const auto potential = pedone();
  const double a = relaxed_lattice_constant(*potential);
  // Experiment: 4.61 Å (room temperature; e.g. Farley et al., J. Solid State Chem. 73, 514 (1988)).
  std::printf("Li2O Pedone relaxed lattice constant: %.4f A (experiment 4.61 A, %+.2f %%)\n", a, 100.0 * (a / 4.61 - 1.0));
  EXPECT_NEAR(a, 4.61, 0.01 * 4.61);
}

TEST(Li2OPedone, ReusedPairCandidatesGiveBitIdenticalResults) {
  // The pair list keeps its Verlet candidates while atoms move less than half the skin; a result
  // from reused candidates must equal, bit for bit, one from a fresh list (here: made on a new
  // thread, whose thread-local list is empty).
  const auto potential = pedone();
  lattice::Structure a = lattice::make_supercell(li2o_cell(4.61), {2, 2, 2});
  lattice::Structure b = a;
  for (Eigen::Index i = 0; i < b.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) b.positions(k, i) += 0.2 * std::sin(1.3 * static_cast<double>(i) + k);  // ≤ 0.35 Å < skin/2
  const ComputeRequest req{.forces = true, .virial = true};
  potential->compute(a, req);
  const int builds = thread_pair_list().candidate_builds();
  const PotentialResult reused = potential->compute(b, req);
  EXPECT_EQ(thread_pair_list().candidate_builds(), builds);  // b reused a's candidates
  PotentialResult fresh;
  std::thread([&] { fresh = potential->compute(b, req); }).join();
  EXPECT_EQ(reused.energy_eV, fresh.energy_eV);
  EXPECT_TRUE(reused.forces == fresh.forces);
  EXPECT_TRUE(*reused.virial_eV == *fresh.virial_eV);
}

TEST(Li2OPedone, LargeCellSumsDoNotDependOnTheThreadCount) {
  // 768 atoms: pair sums run in fixed chunks of atoms (parallel), the reciprocal sum per k-vector
  // and per block of atoms; one and two threads must agree bit for bit.
  const auto potential = pedone();
  lattice::Structure s = lattice::make_supercell(li2o_cell(4.61), {4, 4, 4});
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.1 * std::sin(0.7 * static_cast<double>(i) + 2.0 * k);
  const ComputeRequest req{.forces = true, .virial = true};
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const PotentialResult one = potential->compute(s, req);
  omp_set_num_threads(2);
  const PotentialResult two = potential->compute(s, req);
  omp_set_num_threads(threads);
  EXPECT_EQ(one.energy_eV, two.energy_eV);
  EXPECT_TRUE(one.forces == two.forces);
  EXPECT_TRUE(*one.virial_eV == *two.virial_eV);
}

TEST(Li2OPedone, LiVacancyHopBarrierIsSymmetricAndPositive) {
  const auto potential = pedone();
  const double a = relaxed_lattice_constant(*potential);
  const lattice::Structure host = lattice::make_supercell(li2o_cell(a), {2, 2, 2});  // 96 atoms
  // The nearest Li–Li pair (a/2 apart along a cube axis): Li atom `moving` hops into the site of
  // Li atom `vacancy`.
  const auto [moving, vacancy, distance_A] = ionhop::testing::nearest_pair(host, "Li");
  ASSERT_NEAR(distance_A, 0.5 * a, 1e-9);

  HopParams p;
  p.relax.fmax_eV_A = 1e-3;
  p.neb.images = 5;
  p.neb.fmax_eV_A = 0.02;
  p.neb.end_state_fmax_eV_A = 2e-3;
  p.neb.max_iterations = 500;
  const HopResult r = run_hop(build_vacancy_hop(host, moving, vacancy), *potential, p);
  ASSERT_EQ(r.status, HopStatus::ok) << to_string(r.status);
  ASSERT_EQ(r.neb.status, NebStatus::converged) << to_string(r.neb.status);
  // End states on their sites: the relaxation moves ions around the vacancy by a few 0.1 Å at most.
  EXPECT_LT(r.initial_max_displacement_A, 0.3);
  EXPECT_LT(r.final_max_displacement_A, 0.3);
  // Symmetric hop: the two end states are images of each other under a mirror, so equal energies
  // (both relaxed to 1e-3 eV/Å: an energy error of order F²/k ≪ 1 meV).
  EXPECT_NEAR(r.energy_initial_eV, r.energy_final_eV, 1e-3);
  EXPECT_NEAR(r.barrier_forward_eV, r.barrier_backward_eV, 1e-3);
  EXPECT_GT(r.barrier_forward_eV, 0.05);
  // The saddle of the mirror-symmetric path sits at its midpoint (5 images: image 3 of 0..6).
  EXPECT_EQ(r.neb.saddle_index, 3u);
  std::printf("Li2O Pedone Li vacancy hop (a = %.4f A, 95 atoms): barrier %.4f eV forward, %.4f eV backward; %d band force calls, %d total\n",
              a, r.barrier_forward_eV, r.barrier_backward_eV, r.neb.force_calls, r.force_calls);
}

}  // namespace
}  // namespace ionhop::neb
