// Langevin dynamics (BAOAB): equipartition in a harmonic (Einstein) crystal within the
// statistical error of the run, energy conservation with O(Δt²) fluctuations when γ = 0,
// determinism from the seed.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "lattice/StructureGeometry.hpp"
#include "lattice/Units.hpp"
#include "neb/AtomicMasses.hpp"
#include "neb/LangevinMd.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {
namespace {

/// Every atom tied to its reference site by a spring: E = Σ ½ k |r_i − r0_i|².
class EinsteinCrystal : public Potential {
 public:
  EinsteinCrystal(Eigen::Matrix3Xd sites, double k_eV_A2) : sites_(std::move(sites)), k_(k_eV_A2) {}
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest&) const override {
    PotentialResult r;
    const Eigen::Matrix3Xd d = s.positions - sites_;
    r.energy_eV = 0.5 * k_ * d.squaredNorm();
    r.forces = -k_ * d;
    return r;
  }
  PotentialCapabilities capabilities() const override { return {}; }
  std::string name() const override { return "einstein"; }

 private:
  Eigen::Matrix3Xd sites_;
  double k_;
};

/// Mean and its standard error by blocking (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461
/// (1989)): 32 blocks, each much longer than the correlation time, are independent.
struct MeanWithError {
  double mean = 0.0, standard_error = 0.0;
};
MeanWithError block_average(const std::vector<double>& x) {
  const std::size_t blocks = 32;
  const std::size_t per = x.size() / blocks;
  std::vector<double> means(blocks, 0.0);
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t i = 0; i < per; ++i) means[b] += x[b * per + i];
    means[b] /= static_cast<double>(per);
  }
  double mean = 0.0;
  for (double m : means) mean += m;
  mean /= blocks;
  double var = 0.0;
  for (double m : means) var += (m - mean) * (m - mean);
  var /= blocks - 1;
  return {mean, std::sqrt(var / blocks)};
}

lattice::Structure two_species_cube(int n_per_side, double spacing_A) {
  lattice::Structure s;
  s.cell = n_per_side * spacing_A * Eigen::Matrix3d::Identity();
  for (int i = 0; i < n_per_side; ++i)
    for (int j = 0; j < n_per_side; ++j)
      for (int k = 0; k < n_per_side; ++k) {
        s.species.push_back((i + j + k) % 2 == 0 ? "Li" : "O");
        s.positions.conservativeResize(3, s.positions.cols() + 1);
        s.positions.col(s.positions.cols() - 1) = spacing_A * Eigen::Vector3d(i, j, k);
      }
  return s;
}

TEST(LangevinMd, EquipartitionInAHarmonicCrystalForEachMass) {
  // 64 atoms, Li (6.94 u) and O (16.00 u), k = 2 eV/Å²: ω_Li Δt = 0.053, so BAOAB's O(Δt²)
  // kinetic bias (ω²Δt²/4 ≈ 7e-4 relative) is far below the statistical error (~0.5 %);
  // positions are sampled exactly for a harmonic potential (Leimkuhler & Matthews 2013).
  const lattice::Structure s = two_species_cube(4, 2.5);
  const double k = 2.0;
  const EinsteinCrystal potential(s.positions, k);
  LangevinParams p;
  p.temperature_K = 600.0;
  p.timestep_fs = 1.0;
  p.friction_per_fs = 0.05;
  p.seed = 7;
  LangevinMd md(s, potential, atom_masses_u(s), p);
  md.run(500);  // equilibrate (10 / γ)
  const double kT = units::kBoltzmann_eV_per_K * p.temperature_K;
  std::vector<double> kinetic_li, kinetic_o, configurational;
  const double conv = kAcceleration_A_per_fs2_per_eV_A_u;
  for (int step = 0; step < 40000; ++step) {
    md.run(1);
    double k_li = 0.0, k_o = 0.0;
    int n_li = 0, n_o = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const double m = standard_atomic_weight_u(s.species[i]);
      const double ke = 0.5 * m * md.velocities().col(static_cast<Eigen::Index>(i)).squaredNorm() / conv;
      if (s.species[i] == "Li") {
        k_li += ke;
        ++n_li;
      } else {
        k_o += ke;
        ++n_o;
      }
    }
    kinetic_li.push_back(k_li / (1.5 * n_li * kT));  // 1 at equipartition
    kinetic_o.push_back(k_o / (1.5 * n_o * kT));
    configurational.push_back(md.potential_energy_eV() / (1.5 * static_cast<double>(s.size()) * kT));
  }
  const char* names[] = {"kinetic_Li", "kinetic_O", "configurational"};
  int n = 0;
  for (const auto* series : {&kinetic_li, &kinetic_o, &configurational}) {
    const MeanWithError m = block_average(*series);
    RecordProperty(names[n++], std::to_string(m.mean) + " +- " + std::to_string(m.standard_error));
    EXPECT_GT(m.standard_error, 0.0);
    EXPECT_LT(m.standard_error, 0.02);
    EXPECT_NEAR(m.mean, 1.0, 4.0 * m.standard_error) << "±" << m.standard_error;
  }
}

/// Lennard-Jones argon, fcc a = 5.26 Å, 2×2×2 conventional cells (32 atoms).
lattice::Structure argon_fcc() {
  lattice::Structure cell;
  cell.cell = 5.26 * Eigen::Matrix3d::Identity();
  cell.species = {"Ar", "Ar", "Ar", "Ar"};
  cell.positions.resize(3, 4);
  cell.positions << 0, 0, 2.63, 2.63,  //
      0, 2.63, 0, 2.63,                //
      0, 2.63, 2.63, 0;
  return lattice::make_supercell(cell, {2, 2, 2});
}

std::unique_ptr<Potential> argon_lj() {
  PotentialSpec spec;
  spec.type = "lennard_jones";
  spec.settings["cutoff_A"] = 8.5;
  spec.pairs.push_back({"Ar", "Ar", {{"epsilon_eV", 0.0104}, {"sigma_A", 3.4}}});
  return make_potential(spec);
}

/// RMS deviation of the total energy from its mean over `steps` steps of NVE (γ = 0).
double total_energy_rms(double dt_fs, int steps, double* drift) {
  const lattice::Structure s = argon_fcc();
  const auto lj = argon_lj();
  LangevinParams p;
  p.temperature_K = 60.0;
  p.timestep_fs = dt_fs;
  p.friction_per_fs = 0.0;
  p.seed = 3;
  LangevinMd md(s, *lj, atom_masses_u(s), p);
  std::vector<double> e;
  for (int i = 0; i < steps; ++i) {
    md.run(1);
    e.push_back(md.potential_energy_eV() + md.kinetic_energy_eV());
  }
  double mean = 0.0;
  for (double v : e) mean += v;
  mean /= static_cast<double>(e.size());
  double var = 0.0;
  for (double v : e) var += (v - mean) * (v - mean);
  *drift = e.back() - e.front();
  return std::sqrt(var / static_cast<double>(e.size()));
}

TEST(LangevinMd, ConservesEnergyWithoutFrictionWithSecondOrderFluctuations) {
  // Same physical time (4 ps) at Δt = 8 fs and 4 fs: velocity Verlet's energy error is O(Δt²),
  // so halving Δt divides the fluctuation by 4 (3 to 5 allows for the higher-order terms).
  double drift_8 = 0.0, drift_4 = 0.0;
  const double rms_8 = total_energy_rms(8.0, 500, &drift_8);
  const double rms_4 = total_energy_rms(4.0, 1000, &drift_4);
  const double kinetic_scale = 1.5 * 32 * units::kBoltzmann_eV_per_K * 60.0;  // ≈ 0.25 eV
  RecordProperty("rms_8fs_eV", std::to_string(rms_8));
  RecordProperty("rms_4fs_eV", std::to_string(rms_4));
  EXPECT_LT(rms_4, 1e-3 * kinetic_scale);
  EXPECT_GT(rms_8 / rms_4, 3.0);
  EXPECT_LT(rms_8 / rms_4, 5.0);
  EXPECT_LT(std::abs(drift_4), 5.0 * rms_4 + 1e-6);  // bounded: no secular drift
}

TEST(LangevinMd, SeedFixesTheTrajectoryAndStreamsDiffer) {
  const lattice::Structure s = argon_fcc();
  const auto lj = argon_lj();
  LangevinParams p;
  p.temperature_K = 300.0;
  p.seed = 11;
  LangevinMd a(s, *lj, atom_masses_u(s), p), b(s, *lj, atom_masses_u(s), p);
  p.stream = 1;
  LangevinMd c(s, *lj, atom_masses_u(s), p);
  a.run(50);
  b.run(50);
  c.run(50);
  EXPECT_EQ(a.structure().positions, b.structure().positions);
  EXPECT_GT((a.structure().positions - c.structure().positions).cwiseAbs().maxCoeff(), 1e-3);
}

TEST(LangevinMd, FixedAtomsStayAndBadInputsThrow) {
  lattice::Structure s = argon_fcc();
  s.fixed.assign(s.size(), 0);
  s.fixed[5] = 1;
  const auto lj = argon_lj();
  LangevinParams p;
  p.temperature_K = 500.0;
  LangevinMd md(s, *lj, atom_masses_u(s), p);
  md.run(20);
  EXPECT_EQ(md.structure().positions.col(5), s.positions.col(5));
  EXPECT_GT((md.structure().positions - s.positions).cwiseAbs().maxCoeff(), 1e-3);
  EXPECT_THROW(LangevinMd(s, *lj, std::vector<double>(3, 1.0), p), std::invalid_argument);
  p.timestep_fs = 0.0;
  EXPECT_THROW(LangevinMd(s, *lj, atom_masses_u(s), p), std::invalid_argument);
  EXPECT_THROW(standard_atomic_weight_u("Xx"), std::invalid_argument);
  EXPECT_DOUBLE_EQ(atom_masses_u(s, {{"Ar", 40.0}})[0], 40.0);
}

}  // namespace
}  // namespace ionhop::neb
