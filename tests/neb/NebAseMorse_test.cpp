// CI-NEB of a vacancy hop in a Morse fcc crystal against ASE (an independent code):
// tests/neb/ase_morse_vacancy_neb.py runs ASE's MorsePotential (with its smooth quintic cutoff,
// which ionhop's pair potentials offer as switch_on_A), NEB(climb=True) and FIRE on the same
// setup. Energies of the same structure must agree to rounding; converged tightly (0.001 eV/Å)
// the two barriers must agree to 1 meV.
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

// Must match ase_morse_vacancy_neb.py (Girifalco–Weizer Cu Morse parameters).
constexpr double kD = 0.3429, kAlpha = 1.3588, kR0 = 2.866, kSwitchOn = 4.6, kCutoff = 5.4, kA = 3.61;
constexpr int kCells = 3, kImages = 5;

Structure host() {
  Structure s;
  s.cell = Eigen::Matrix3d::Identity() * (kCells * kA);
  const Eigen::Vector3d basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  s.positions.resize(3, 4 * kCells * kCells * kCells);
  Eigen::Index c = 0;
  for (int i = 0; i < kCells; ++i)
    for (int j = 0; j < kCells; ++j)
      for (int k = 0; k < kCells; ++k)
        for (const auto& b : basis) s.positions.col(c++) = kA * (Eigen::Vector3d(i, j, k) + b);
  s.species.assign(static_cast<std::size_t>(c), "Cu");
  return s;
}

std::unique_ptr<Potential> morse() {
  PotentialSpec spec;
  spec.type = "morse";
  spec.settings["cutoff_A"] = kCutoff;
  spec.settings["switch_on_A"] = kSwitchOn;
  spec.pairs.push_back({"Cu", "Cu", {{"D_eV", kD}, {"alpha_per_A", kAlpha}, {"r0_A", kR0}}});
  return make_potential(spec);
}

std::map<std::string, double> run_ase() {
  const std::string out = std::string(IONHOP_BINARY_DIR) + "/ase_morse_vacancy_neb.txt";
  const std::string cmd = "/usr/bin/python3 " + std::string(IONHOP_SOURCE_DIR) + "/tests/neb/ase_morse_vacancy_neb.py " + out;
  std::map<std::string, double> values;
  if (std::system(cmd.c_str()) != 0) return values;
  std::ifstream in(out);
  std::string key;
  double v;
  while (in >> key >> v) values[key] = v;
  return values;
}

}  // namespace

TEST(NebAseMorse, SwitchedCutoffForcesAreMinusTheEnergyGradient) {
  // A dimer in a large box, at distances below, inside and beyond the switching region.
  const auto pot = morse();
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

TEST(NebAseMorse, VacancyHopBarrierAndForceCallsAgainstAse) {
  if (std::system("/usr/bin/python3 -c 'import ase' 2>/dev/null") != 0) GTEST_SKIP() << "python3-ase not installed";
  const std::map<std::string, double> ase = run_ase();
  ASSERT_TRUE(ase.count("barrier_0p001")) << "the ASE script failed";

  const auto pot = morse();
  // The same function: the perfect host's energy agrees to rounding (331 eV summed over pairs).
  EXPECT_NEAR(pot->compute(host()).energy_eV, ase.at("e_host"), 1e-9);
  const HopEndStates hop = build_vacancy_hop(host(), 0, 1);
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
        // Issue 3: at 0.05 and 0.01 eV/Å no more force calls than ASE's CI-NEB with FIRE
        // (ionhop's default band optimizer, L-BFGS on the whole band).
        EXPECT_LE(r.force_calls, ase_calls) << tag;
      }
    }
  }
  std::cout << table.str();
  std::ofstream(std::string(IONHOP_BINARY_DIR) + "/neb_vs_ase_morse_force_calls.txt") << table.str();
}
