// CI-NEB of a vacancy hop in an fcc pair-potential crystal against ASE (an independent code),
// one driver for every potential: tests/neb/ase_vacancy_neb.py runs ASE's calculator,
// NEB(climb=True) and FIRE on the same set-up. The perfect host's energy must agree to
// rounding; converged tightly (0.001 eV/Å) the two barriers must agree to 1 meV; at 0.05 and
// 0.01 eV/Å ionhop's default band optimiser needs no more force calls than ASE's FIRE (issue 3).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>

#include "neb/HopBuilder.hpp"
#include "neb/Neb.hpp"
#include "neb/PotentialRegistry.hpp"
#include "neb/Relax.hpp"

using namespace ionhop::neb;
using ionhop::lattice::Structure;

namespace {

constexpr int kCells = 3, kImages = 5;

struct AseCase {
  const char* name;  ///< the script's set-up name
  double a_A;        ///< fcc lattice parameter, as in the script
  PotentialSpec spec;
};

void PrintTo(const AseCase& c, std::ostream* os) { *os << c.name; }

AseCase lennard_jones_case() {
  PotentialSpec spec;
  spec.type = "lennard_jones";
  spec.settings["cutoff_A"] = 4.8;
  spec.pairs.push_back({"Cu", "Cu", {{"epsilon_eV", 0.4}, {"sigma_A", 2.3}}});
  return {"lj", 3.651, spec};
}

AseCase morse_case() {
  // Girifalco–Weizer Cu Morse with ASE's quintic switch from 4.6 to 5.4 Å.
  PotentialSpec spec;
  spec.type = "morse";
  spec.settings["cutoff_A"] = 5.4;
  spec.settings["switch_on_A"] = 4.6;
  spec.pairs.push_back({"Cu", "Cu", {{"D_eV", 0.3429}, {"alpha_per_A", 1.3588}, {"r0_A", 2.866}}});
  return {"morse", 3.61, spec};
}

Structure host(double a) {
  Structure s;
  s.cell = Eigen::Matrix3d::Identity() * (kCells * a);
  const Eigen::Vector3d basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  s.positions.resize(3, 4 * kCells * kCells * kCells);
  Eigen::Index c = 0;
  for (int i = 0; i < kCells; ++i)
    for (int j = 0; j < kCells; ++j)
      for (int k = 0; k < kCells; ++k)
        for (const auto& b : basis) s.positions.col(c++) = a * (Eigen::Vector3d(i, j, k) + b);
  s.species.assign(static_cast<std::size_t>(c), "Cu");
  return s;
}

std::map<std::string, double> run_ase(const std::string& name) {
  const std::string out = std::string(IONHOP_BINARY_DIR) + "/ase_" + name + "_vacancy_neb.txt";
  const std::string cmd = "/usr/bin/python3 " + std::string(IONHOP_SOURCE_DIR) + "/tests/neb/ase_vacancy_neb.py " +
                          name + " " + out;
  std::map<std::string, double> values;
  if (std::system(cmd.c_str()) != 0) return values;
  std::ifstream in(out);
  std::string key;
  double v;
  while (in >> key >> v) values[key] = v;
  return values;
}

class NebAgainstAse : public ::testing::TestWithParam<AseCase> {};

TEST_P(NebAgainstAse, VacancyHopBarrierAndForceCalls) {
  if (std::system("/usr/bin/python3 -c 'import ase' 2>/dev/null") != 0) GTEST_SKIP() << "python3-ase not installed";
  const AseCase& c = GetParam();
  const std::map<std::string, double> ase = run_ase(c.name);
  ASSERT_TRUE(ase.count("barrier_0p001")) << "the ASE script failed";

  const auto pot = make_potential(c.spec);
  // The same function: the perfect host's energy agrees to rounding.
  EXPECT_NEAR(pot->compute(host(c.a_A)).energy_eV, ase.at("e_host"), 1e-9);
  const HopEndStates hop = build_vacancy_hop(host(c.a_A), 0, 1);
  RelaxParams rp;
  rp.fmax_eV_A = 1e-4;
  const RelaxResult ini = relax(hop.initial, *pot, rp);
  const RelaxResult fin = relax(hop.final_state, *pot, rp);
  ASSERT_TRUE(ini.converged && fin.converged);
  // Relaxed to 1e-4 eV/Å in both codes: end-state energies agree far below 1 meV.
  EXPECT_NEAR(ini.energy_eV, ase.at("e_initial"), 1e-6);
  EXPECT_NEAR(fin.energy_eV, ase.at("e_final"), 1e-6);

  std::ostringstream table;
  table << std::fixed << std::setprecision(7);
  for (RelaxMethod method : {RelaxMethod::fire, RelaxMethod::lbfgs}) {
    for (const char* tag : {"0p05", "0p01", "0p001"}) {
      NebParams p;
      p.images = kImages;
      p.springs.k_eV_A2 = 0.1;
      p.method = method;
      p.fmax_eV_A = std::string(tag) == "0p05" ? 0.05 : std::string(tag) == "0p01" ? 0.01 : 0.001;
      p.max_iterations = 5000;
      p.end_state_fmax_eV_A = 1e-3;
      const NebResult r = run_neb(ini.structure, fin.structure, *pot, p);
      ASSERT_EQ(r.status, NebStatus::converged) << tag;
      const double ase_barrier = ase.at(std::string("barrier_") + tag);
      const int ase_calls = static_cast<int>(ase.at(std::string("calls_") + tag));
      table << "| " << p.fmax_eV_A << " | " << to_string(method) << " | " << r.force_calls << " | " << ase_calls << " | "
            << r.barrier_forward_eV << " | " << ase_barrier << " |\n";
      if (std::string(tag) == "0p001") {
        EXPECT_NEAR(r.barrier_forward_eV, ase_barrier, 1e-3) << to_string(method);
      } else if (method == RelaxMethod::lbfgs) {
        EXPECT_LE(r.force_calls, ase_calls) << tag;
      }
    }
  }
  std::cout << table.str();
  std::ofstream(std::string(IONHOP_BINARY_DIR) + "/neb_vs_ase_" + c.name + "_force_calls.txt") << table.str();
}

INSTANTIATE_TEST_SUITE_P(PairPotentials, NebAgainstAse, ::testing::Values(lennard_jones_case(), morse_case()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(NebAgainstAse, SwitchedMorseForcesAreMinusTheEnergyGradient) {
  // A dimer in a large box, at distances below, inside and beyond the switching region.
  const auto pot = make_potential(morse_case().spec);
  for (double r : {3.0, 4.7, 5.0, 5.3, 5.39}) {
    Structure s;
    s.cell = 20.0 * Eigen::Matrix3d::Identity();
    s.positions = Eigen::Matrix3Xd::Zero(3, 2);
    s.positions.col(1) = Eigen::Vector3d(r, 0.0, 0.0);
    s.species = {"Cu", "Cu"};
    const double f = pot->compute(s).forces(0, 1);
    const double h = 1e-5;
    s.positions(0, 1) = r + h;
    const double ep = pot->compute(s).energy_eV;
    s.positions(0, 1) = r - h;
    const double em = pot->compute(s).energy_eV;
    // Central difference: truncation ~h²φ'''/6 < 1e-10 eV/Å, rounding ~1e-16·|φ|/h.
    EXPECT_NEAR(f, -(ep - em) / (2.0 * h), 1e-8) << "r = " << r;
  }
}

}  // namespace
