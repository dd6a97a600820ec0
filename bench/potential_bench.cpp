// Energy + forces per second of the Pedone force field (Morse + C/r¹² + Ewald Coulomb) on
// distorted Li₂O supercells of 96 to 8,748 atoms, and Debian LAMMPS (`lmp`, serial) on the same
// cells in the same run. The Li–O and O–O parameters and the cutoffs are those of
// inputs/potentials/pedone.toml (this program links only ionhop_neb, which does not read TOML);
// the Ewald accuracy is the file's 1e-6 in both codes (LAMMPS's `kspace_style ewald 1e-6` uses
// the same Kolafa–Perram estimates, so both pick the same α and k-space cutoff).
//
// LAMMPS writes Pedone as hybrid/overlay morse + lj/cut/coul/long (ε = C/4, σ = 1) + buck
// (A = 0, C_buck = −C), as tests/neb/PedoneLammps_test.cpp, with its default tabulated erfc
// (`pair_modify table 12`). Its time per evaluation is the CPU time of `run 20` minus that of
// `run 0` (both including setup; no atom moves, so the neighbour list is built once, at setup),
// divided by 20 — CPU time of the lmp child process (getrusage), since wall time on a shared
// machine measures the other users. Run with OMP_NUM_THREADS=1 and compare the CPU column of
// BM_PedoneEwaldEnergyForces with the Time column of BM_LammpsEwaldEnergyForces.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "lattice/StructureGeometry.hpp"
#include "tests/support/Antifluorite.hpp"
#include "neb/CoulombEwald.hpp"
#include "neb/PotentialRegistry.hpp"

namespace {

using namespace ionhop;

lattice::Structure li2o_supercell(int repeats) {
  const double a = 4.61;  // experimental lattice parameter [Å]
  lattice::Structure cell = ionhop::testing::antifluorite_cell(a);
  lattice::Structure s = lattice::make_supercell(cell, {repeats, repeats, repeats});
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.05 * std::sin(0.9 * static_cast<double>(i) * (k + 1));
  return s;
}

// Li–O and O–O Pedone parameters (pedone.toml): Morse D [eV], α [1/Å], r0 [Å]; C [eV Å¹²].
struct PedonePair {
  int type_a, type_b;  // LAMMPS types: 1 Li, 2 O
  double D, alpha, r0, C;
};
constexpr PedonePair kLiO{1, 2, 0.001114, 3.429506, 2.681360, 1.0};
constexpr PedonePair kOO{2, 2, 0.042395, 1.379316, 3.618701, 22.0};

neb::PotentialSpec pedone_li2o() {
  neb::PotentialSpec morse, r12, ewald, sum;
  morse.type = "morse";
  morse.settings = {{"cutoff_A", 5.5}};
  morse.pairs = {{"Li", "O", {{"D_eV", kLiO.D}, {"alpha_per_A", kLiO.alpha}, {"r0_A", kLiO.r0}}},
                 {"O", "O", {{"D_eV", kOO.D}, {"alpha_per_A", kOO.alpha}, {"r0_A", kOO.r0}}}};
  r12.type = "repulsion_r12";
  r12.settings = {{"cutoff_A", 5.5}};
  r12.pairs = {{"Li", "O", {{"B_eV_A12", kLiO.C}}}, {"O", "O", {{"B_eV_A12", kOO.C}}}};
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

/// CPU seconds (user + system) used so far by terminated children.
double children_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

/// Writes the LAMMPS data and input for s running `steps` evaluations; returns the directory.
std::filesystem::path write_lammps(const lattice::Structure& s, int steps) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("ionhop_bench_lammps_" + std::to_string(s.size()));
  std::filesystem::create_directories(dir);
  std::ofstream data(dir / "li2o.data");
  data.precision(17);
  data << "Li2O\n\n" << s.size() << " atoms\n2 atom types\n\n";
  data << "0 " << s.cell(0, 0) << " xlo xhi\n0 " << s.cell(1, 1) << " ylo yhi\n0 " << s.cell(2, 2) << " zlo zhi\n\n";
  data << "Masses\n\n1 6.94\n2 15.999\n\nAtoms # charge\n\n";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool li = s.species[i] == "Li";
    const auto c = static_cast<Eigen::Index>(i);
    data << i + 1 << " " << (li ? 1 : 2) << " " << (li ? 0.6 : -1.2) << " " << s.positions(0, c) << " " << s.positions(1, c) << " "
         << s.positions(2, c) << "\n";
  }
  std::ofstream in(dir / ("in." + std::to_string(steps)));
  in.precision(17);
  in << "units metal\natom_style charge\nboundary p p p\nread_data li2o.data\n";
  in << "pair_style hybrid/overlay morse 5.5 lj/cut/coul/long 5.5 10.0 buck 5.5\n";
  in << "pair_coeff * * lj/cut/coul/long 0.0 1.0\npair_coeff 1 1 morse 0.0 1.0 1.0\npair_coeff 1 1 buck 0.0 1.0 0.0\n";
  for (const PedonePair& p : {kLiO, kOO}) {
    in << "pair_coeff " << p.type_a << " " << p.type_b << " morse " << p.D << " " << p.alpha << " " << p.r0 << "\n";
    in << "pair_coeff " << p.type_a << " " << p.type_b << " lj/cut/coul/long " << p.C / 4.0 << " 1.0\n";
    in << "pair_coeff " << p.type_a << " " << p.type_b << " buck 0.0 1.0 " << -p.C << "\n";
  }
  in << "pair_modify shift yes\nkspace_style ewald 1e-6\nthermo_style custom step pe\nrun " << steps << "\n";
  return dir;
}

/// CPU seconds of one `lmp` run of `steps` evaluations on s.
double lammps_cpu_s(const lattice::Structure& s, int steps) {
  const std::filesystem::path dir = write_lammps(s, steps);
  const std::string command = "cd '" + dir.string() + "' && OMP_NUM_THREADS=1 lmp -nocite -in in." + std::to_string(steps) +
                              " -log log." + std::to_string(steps) + " -screen none > /dev/null 2>&1";
  const double before = children_cpu_s();
  if (std::system(command.c_str()) != 0) return -1.0;
  return children_cpu_s() - before;
}

void BM_LammpsEwaldEnergyForces(benchmark::State& state) {
  const lattice::Structure s = li2o_supercell(static_cast<int>(state.range(0)));
  if (std::system("command -v lmp > /dev/null 2>&1") != 0) {
    state.SkipWithError("lmp (Debian lammps) is not installed");
    return;
  }
  const int steps = s.size() > 3000 ? 4 : 20;
  for (auto _ : state) {
    const double setup = lammps_cpu_s(s, 0);
    const double total = lammps_cpu_s(s, steps);
    if (setup < 0.0 || total < 0.0) {
      state.SkipWithError("lmp failed");
      return;
    }
    state.SetIterationTime(std::max(total - setup, 0.0) / steps);
  }
  state.counters["atoms"] = static_cast<double>(s.size());
}

// 96, 324, 768, 2,592 and 8,748 atoms; the largest takes seconds per evaluation, so few iterations.
// Each size is measured in ionhop, then at once in LAMMPS, so both see about the same machine load.
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LammpsEwaldEnergyForces)->Arg(2)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LammpsEwaldEnergyForces)->Arg(3)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LammpsEwaldEnergyForces)->Arg(4)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LammpsEwaldEnergyForces)->Arg(6)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PedoneEwaldEnergyForces)->Arg(9)->Iterations(4)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LammpsEwaldEnergyForces)->Arg(9)->Iterations(3)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
