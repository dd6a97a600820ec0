// Energy + forces per second of the Pedone force field (Morse + C/r¹² + Ewald Coulomb) on
// distorted Li₂O supercells of 96 to 8,748 atoms. The Li–O and O–O parameters and the cutoffs
// are those of inputs/potentials/pedone.toml (this program links only ionhop_neb, which does not
// read TOML); the Ewald accuracy is the file's 1e-6.
#include <benchmark/benchmark.h>

#include <cmath>

#include "lattice/StructureGeometry.hpp"
#include "neb/CoulombEwald.hpp"
#include "neb/PotentialRegistry.hpp"

namespace {

using namespace ionhop;

lattice::Structure li2o_supercell(int repeats) {
  const double a = 4.61;  // experimental lattice parameter [Å]
  lattice::Structure cell;
  cell.cell = a * Eigen::Matrix3d::Identity();
  const double fcc[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  std::vector<Eigen::Vector3d> pos;
  for (const auto& f : fcc) {
    pos.emplace_back(f[0], f[1], f[2]);
    cell.species.push_back("O");
  }
  for (const auto& f : fcc)
    for (double t : {0.25, 0.75}) {
      pos.emplace_back(f[0] + t, f[1] + t, f[2] + t);
      cell.species.push_back("Li");
    }
  cell.positions.resize(3, static_cast<Eigen::Index>(pos.size()));
  for (std::size_t i = 0; i < pos.size(); ++i) cell.positions.col(static_cast<Eigen::Index>(i)) = a * pos[i];
  lattice::Structure s = lattice::make_supercell(cell, {repeats, repeats, repeats});
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.05 * std::sin(0.9 * static_cast<double>(i) * (k + 1));
  return s;
}

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

void BM_PedoneEwaldEnergyForces(benchmark::State& state) {
  const lattice::Structure s = li2o_supercell(static_cast<int>(state.range(0)));
  const auto potential = neb::make_potential(pedone_li2o());
  double energy = 0.0;
  for (auto _ : state) {
    const neb::PotentialResult r = potential->compute(s);
    energy = r.energy_eV;
    benchmark::DoNotOptimize(r.forces.data());
  }
  neb::EwaldParams ewald_params;
  ewald_params.real_cutoff_A = 10.0;
  ewald_params.accuracy = 1e-6;
  const neb::CoulombEwald ewald({{"Li", 0.6}, {"O", -1.2}}, ewald_params);
  const neb::EwaldSplitting split = ewald.splitting(s);
  state.counters["atoms"] = static_cast<double>(s.size());
  state.counters["energy_eV_per_atom"] = energy / static_cast<double>(s.size());
  state.counters["alpha_per_A"] = split.alpha_per_A;
  state.counters["kcut_per_A"] = split.kspace_cutoff_per_A;
  state.counters["evaluations_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// 96, 324, 768, 2,592 and 8,748 atoms; the largest takes seconds per evaluation, so few iterations.
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(2)->Arg(3)->Arg(4)->Arg(6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(9)->Iterations(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
