// The linear ACE MLIP: energy + forces time per atom (ML part alone, one thread: run with
// OMP_NUM_THREADS=1) for body order 2, 3 and 4 bases on distorted Li₂O supercells, and training
// time against the number of training frames (96-atom frames labelled by Pedone Li–O/O–O Morse
// + C/r¹² + Ewald, the parameters of inputs/potentials/pedone.toml, written out here because
// this program links only ionhop_neb, which does not read TOML).
#include <benchmark/benchmark.h>

#include <cmath>

#include "lattice/StructureGeometry.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/MlipTraining.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/support/Antifluorite.hpp"

namespace {

using namespace ionhop;

lattice::Structure li2o_supercell(int repeats, double amplitude = 0.05, double phase = 0.0) {
  lattice::Structure s = lattice::make_supercell(ionhop::testing::antifluorite_cell(4.61), {repeats, repeats, repeats});
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += amplitude * std::sin(0.9 * static_cast<double>(i) * (k + 1) + phase);
  return s;
}

/// Body order 3 (the default basis: 12 pair + 5 × 5 × 5 three-body radial/angular functions,
/// 299 descriptors per element, 600 coefficients for Li₂O), body order 2, or body order 4 (the
/// default plus radial_size_4 = 2, lmax_4 = 2: 160 four-body descriptors, 459 per element).
neb::MlipModel model(int body_order, int radial_size_3 = 5, int lmax = 4) {
  neb::MlipModel m;
  m.basis.elements = {"Li", "O"};
  m.basis.cutoff_A = 5.5;
  m.basis.body_order = body_order;
  m.basis.radial_size_3 = radial_size_3;
  m.basis.lmax = lmax;
  m.basis.radial_size_4 = 2;
  m.basis.lmax_4 = 2;
  const neb::AceBasis basis(m.basis);
  m.coefficients.resize(static_cast<Eigen::Index>(basis.coefficient_count()));
  for (Eigen::Index k = 0; k < m.coefficients.size(); ++k) m.coefficients[k] = 1e-3 * std::sin(0.37 * static_cast<double>(k));
  return m;
}

void energy_forces(benchmark::State& state, int body_order, int radial_size_3 = 5, int lmax = 4) {
  const neb::LinearAcePotential potential(model(body_order, radial_size_3, lmax));
  const lattice::Structure s = li2o_supercell(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(potential.compute_ml(s, {.forces = true}).energy_eV);
  state.counters["atoms"] = static_cast<double>(s.size());
  state.counters["coefficients"] = static_cast<double>(potential.basis().coefficient_count());
  state.counters["us_per_atom"] =
      benchmark::Counter(static_cast<double>(s.size()) * 1e-6, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_MlipEnergyForcesBodyOrder3(benchmark::State& state) { energy_forces(state, 3); }
void BM_MlipEnergyForcesBodyOrder2(benchmark::State& state) { energy_forces(state, 2); }
void BM_MlipEnergyForcesBodyOrder4(benchmark::State& state) { energy_forces(state, 4); }
/// Body order 3 with 4 radial functions and lmax 3 (164 descriptors per element; the tests' basis).
void BM_MlipEnergyForcesBodyOrder3Small(benchmark::State& state) { energy_forces(state, 3, 4, 3); }
BENCHMARK(BM_MlipEnergyForcesBodyOrder3)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MlipEnergyForcesBodyOrder3Small)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MlipEnergyForcesBodyOrder2)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MlipEnergyForcesBodyOrder4)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMillisecond);

neb::PotentialSpec pedone_li2o() {
  neb::PotentialSpec morse, r12, ewald, sum;
  morse.type = "morse";
  morse.settings = {{"cutoff_A", 5.5}};
  morse.pairs = {{"Li", "O", {{"D_eV", 0.001114}, {"alpha_per_A", 3.429506}, {"r0_A", 2.681360}}},
                 {"O", "O", {{"D_eV", 0.042395}, {"alpha_per_A", 1.379316}, {"r0_A", 3.618701}}}};
  r12.type = "repulsion_r12";
  r12.settings = {{"cutoff_A", 5.5}};
  r12.pairs = {{"Li", "O", {{"B_eV_A12", 1.0}}}, {"O", "O", {{"B_eV_A12", 22.0}}}};
  ewald.type = "coulomb_ewald";
  ewald.settings = {{"real_cutoff_A", 10.0}, {"accuracy", 1e-6}};
  ewald.charges_e = {{"Li", 0.6}, {"O", -1.2}};
  sum.type = "sum";
  sum.terms = {morse, r12, ewald};
  return sum;
}

/// Training on `frames` labelled 96-atom frames: building the normal equations (all CV folds),
/// 15-point λ scan with 5-fold CV, final solve with the posterior covariance.
void BM_MlipTraining(benchmark::State& state) {
  const auto reference = neb::make_potential(pedone_li2o());
  std::vector<lattice::XyzFrame> frames;
  for (int k = 0; k < state.range(0); ++k) {
    lattice::XyzFrame f;
    f.structure = li2o_supercell(2, 0.15, 0.31 * k);
    const neb::PotentialResult r = reference->compute(f.structure, {.forces = true, .virial = true});
    f.energy_eV = r.energy_eV;
    f.forces_eV_per_A = r.forces;
    f.stress_eV_per_A3 = Eigen::Matrix3d(-*r.virial_eV / f.structure.volume_A3());
    frames.push_back(f);
  }
  neb::MlipTrainingOptions o;
  o.basis.elements = {"Li", "O"};
  o.basis.cutoff_A = 5.5;
  double descriptors = 0.0, solve = 0.0;
  for (auto _ : state) {
    const neb::TrainedLinearAce t = neb::train_linear_ace(frames, o);
    descriptors = t.report.descriptor_seconds;
    solve = t.report.solve_seconds;
    benchmark::DoNotOptimize(t.model.coefficients.data());
  }
  state.counters["frames"] = static_cast<double>(frames.size());
  state.counters["normal_eq_s"] = descriptors;
  state.counters["cv_solve_s"] = solve;
}
BENCHMARK(BM_MlipTraining)->Arg(10)->Arg(20)->Arg(40)->Arg(80)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
