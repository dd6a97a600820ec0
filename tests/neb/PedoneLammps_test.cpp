// Independent check of the Pedone force field (inputs/potentials/pedone.toml) against LAMMPS:
// LAMMPS has no Pedone style in Debian's version, so the test writes it as
//   hybrid/overlay morse + lj/cut/coul/long (ε = C/4, σ = 1 → C/r¹² − C/r⁶) + buck (A = 0,
//   C_buck = −C, cancelling the −C/r⁶), with kspace_style ewald,
// runs `lmp` on a distorted Li₂O supercell and compares energy and forces.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "inputs/PotentialFileReader.hpp"
#include "lattice/StructureGeometry.hpp"
#include "tests/support/Antifluorite.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {
namespace {

lattice::Structure distorted_li2o(int repeats) {
  // Antifluorite Li₂O, a = 4.61 Å: O on fcc sites, Li in all tetrahedral holes.
  const double a = 4.61;
  lattice::Structure cell = ionhop::testing::antifluorite_cell(a);
  lattice::Structure s = lattice::make_supercell(cell, {repeats, repeats, repeats});
  lattice::wrap_positions(s);
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.12 * std::sin(0.9 * static_cast<double>(i) * (k + 1) + 0.3 * k);
  lattice::wrap_positions(s);
  return s;
}

struct LammpsResult {
  double energy_eV = 0.0;
  Eigen::Matrix3Xd forces;
};

const PotentialSpec& term(const PotentialSpec& sum, const std::string& type) {
  for (const auto& t : sum.terms)
    if (t.type == type) return t;
  throw std::runtime_error("pedone.toml has no " + type + " term");
}

double pair_value(const PotentialSpec& spec, const std::string& a, const std::string& b, const std::string& key) {
  for (const auto& p : spec.pairs)
    if ((p.species_a == a && p.species_b == b) || (p.species_a == b && p.species_b == a)) return p.values.at(key);
  throw std::runtime_error("no pair " + a + "-" + b);
}

LammpsResult run_lammps(const lattice::Structure& s, const PotentialSpec& pedone, double accuracy, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  const PotentialSpec& morse = term(pedone, "morse");
  const PotentialSpec& r12 = term(pedone, "repulsion_r12");
  const PotentialSpec& ewald = term(pedone, "coulomb_ewald");
  const double rs = morse.settings.at("cutoff_A");
  const double rc = ewald.settings.at("real_cutoff_A");
  const char* names[2] = {"Li", "O"};
  {
    std::ofstream data(dir / "li2o.data");
    data.precision(17);
    data << "Li2O distorted supercell\n\n" << s.size() << " atoms\n2 atom types\n\n";
    data << "0 " << s.cell(0, 0) << " xlo xhi\n0 " << s.cell(1, 1) << " ylo yhi\n0 " << s.cell(2, 2) << " zlo zhi\n\n";
    data << "Masses\n\n1 6.94\n2 15.999\n\nAtoms # charge\n\n";
    for (std::size_t i = 0; i < s.size(); ++i) {
      const int type = s.species[i] == "Li" ? 1 : 2;
      data << i + 1 << " " << type << " " << ewald.charges_e.at(s.species[i]) << " " << s.positions(0, static_cast<Eigen::Index>(i)) << " "
           << s.positions(1, static_cast<Eigen::Index>(i)) << " " << s.positions(2, static_cast<Eigen::Index>(i)) << "\n";
    }
  }
  {
    std::ofstream in(dir / "in.pedone");
    in.precision(17);
    in << "units metal\natom_style charge\nboundary p p p\nread_data li2o.data\n";
    in << "pair_style hybrid/overlay morse " << rs << " lj/cut/coul/long " << rs << " " << rc << " buck " << rs << "\n";
    in << "pair_coeff * * lj/cut/coul/long 0.0 1.0\n";
    for (int a = 0; a < 2; ++a)
      for (int b = a; b < 2; ++b) {
        const std::string A = names[a], B = names[b];
        if (A == "Li" && B == "Li") continue;  // Pedone: no cation-cation short-range term
        const double C = pair_value(r12, A, B, "B_eV_A12");
        in << "pair_coeff " << a + 1 << " " << b + 1 << " morse " << pair_value(morse, A, B, "D_eV") << " "
           << pair_value(morse, A, B, "alpha_per_A") << " " << pair_value(morse, A, B, "r0_A") << "\n";
        in << "pair_coeff " << a + 1 << " " << b + 1 << " lj/cut/coul/long " << C / 4.0 << " 1.0\n";
        in << "pair_coeff " << a + 1 << " " << b + 1 << " buck 0.0 1.0 " << -C << "\n";
      }
    in << "pair_coeff 1 1 morse 0.0 1.0 1.0\npair_coeff 1 1 buck 0.0 1.0 0.0\n";
    in << "pair_modify shift yes table 0\n";
    in << "kspace_style ewald " << accuracy << "\n";
    in << "thermo_style custom step pe\nthermo_modify format float %.16g\n";
    in << "dump f all custom 1 forces.dump id fx fy fz\ndump_modify f sort id format float %.16g\n";
    in << "run 0\nprint \"IONHOP_ENERGY $(pe:%.16g)\"\n";
  }
  const std::string command = "cd '" + dir.string() + "' && lmp -in in.pedone -log log.lammps -screen screen.txt > /dev/null 2>&1";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("lmp failed; see " + (dir / "log.lammps").string());

  LammpsResult r;
  std::ifstream log(dir / "log.lammps");
  std::string line;
  bool found = false;
  while (std::getline(log, line))
    if (line.rfind("IONHOP_ENERGY ", 0) == 0) {
      r.energy_eV = std::stod(line.substr(14));
      found = true;
    }
  if (!found) throw std::runtime_error("no energy in LAMMPS log");
  r.forces = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(s.size()));
  std::ifstream dump(dir / "forces.dump");
  while (std::getline(dump, line))
    if (line.rfind("ITEM: ATOMS", 0) == 0) break;
  for (std::size_t k = 0; k < s.size(); ++k) {
    int id = 0;
    double f[3];
    dump >> id >> f[0] >> f[1] >> f[2];
    if (!dump || id < 1 || id > static_cast<int>(s.size())) throw std::runtime_error("bad LAMMPS dump");
    r.forces.col(id - 1) = Eigen::Vector3d(f[0], f[1], f[2]);
  }
  return r;
}

TEST(PedoneLammps, Li2OSupercellEnergyAndForcesAgree) {
  if (std::system("command -v lmp > /dev/null 2>&1") != 0) GTEST_SKIP() << "LAMMPS (lmp) is not installed";
  const inputs::PotentialFile file = inputs::read_potential_file(std::string(IONHOP_SOURCE_DIR) + "/inputs/potentials/pedone.toml");
  EXPECT_NE(file.citation.find("11780"), std::string::npos);
  // Both codes at Ewald accuracy 1e-9 (relative RMS force error), far below the 1e-5 compared;
  // LAMMPS's Coulomb constant 14.399645 differs from CODATA's by 3e-8 relative.
  PotentialSpec spec = file.potential;
  for (auto& t : spec.terms)
    if (t.type == "coulomb_ewald") t.settings["accuracy"] = 1e-9;
  const auto pedone = make_potential(spec);
  const lattice::Structure s = distorted_li2o(2);  // 96 atoms in a 9.22 Å cell (< 2 × 10 Å cutoff)
  const PotentialResult ours = pedone->compute(s);
  const LammpsResult theirs = run_lammps(s, file.potential, 1e-9, std::filesystem::path(IONHOP_BINARY_DIR) / "pedone_lammps_check");
  EXPECT_NEAR(ours.energy_eV, theirs.energy_eV, 1e-5 * std::abs(theirs.energy_eV));
  const double fmax = theirs.forces.cwiseAbs().maxCoeff();
  EXPECT_GT(fmax, 0.1);
  EXPECT_LT((ours.forces - theirs.forces).cwiseAbs().maxCoeff(), 1e-5 * fmax);
  std::printf("Li2O 96 atoms: E ionhop %.10f eV, LAMMPS %.10f eV; max |dF| %.3e eV/A (max |F| %.3f)\n", ours.energy_eV, theirs.energy_eV,
              (ours.forces - theirs.forces).cwiseAbs().maxCoeff(), fmax);
}

}  // namespace
}  // namespace ionhop::neb
