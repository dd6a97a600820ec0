// `ionhop relax` and `ionhop neb` end to end, in-process through run_cli: the written files
// against the library called directly, exit code 2 and no output for bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "app/H5File.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureGeometry.hpp"
#include "lattice/StructureIO.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/support/CliRun.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace fs = std::filesystem;
using ionhop::app::H5File;
using ionhop::testing::cli;

namespace {

const fs::path kJobs = fs::path(IONHOP_SOURCE_DIR) / "inputs/jobs";

/// The LJ potential of inputs/jobs/lj_fcc_vacancy_neb.toml, built through the registry.
std::unique_ptr<ionhop::neb::Potential> lj_potential() {
  ionhop::neb::PotentialSpec spec;
  spec.type = "lennard_jones";
  spec.settings["cutoff_A"] = 4.8;
  spec.pairs.push_back({"Cu", "Cu", {{"epsilon_eV", 0.4}, {"sigma_A", 2.3}}});
  return ionhop::neb::make_potential(spec);
}

class RelaxNebCommand : public ionhop::testing::ScratchDirTest {
 protected:
  RelaxNebCommand() : ScratchDirTest("relaxneb", {"out"}) {}
};

/// A relax job of one LJ fcc cell with its atoms displaced from the lattice sites.
std::string lj_relax_job(const std::string& extra = "") {
  return "[job]\nname = \"ljcell\"\n\n[structure]\nfile = \"rattled.xyz\"\n\n[potential]\ntype = \"lennard_jones\"\n"
         "cutoff_A = 4.8\npairs = [{ species = [\"Cu\", \"Cu\"], epsilon_eV = 0.4, sigma_A = 2.3 }]\n\n"
         "[relax]\nfmax_eV_A = 1e-4\n" +
         extra;
}

ionhop::lattice::Structure rattled_cell() {
  ionhop::lattice::Structure s = ionhop::lattice::make_supercell(
      ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()), {2, 2, 2});
  // Deterministic displacements of up to 0.1 Å, well inside the basin of the perfect lattice.
  for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
    for (int k = 0; k < 3; ++k) s.positions(k, i) += 0.1 * std::sin(1.7 * static_cast<double>(3 * i + k) + 0.3);
  return s;
}

}  // namespace

TEST_F(RelaxNebCommand, HelpAndUsage) {
  for (const char* sub : {"relax", "neb"}) {
    const auto r = cli({sub, "--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("usage: ionhop"), std::string::npos) << sub;
    EXPECT_EQ(cli({sub}).code, 2) << sub;
    EXPECT_EQ(cli({sub, "a.toml", "--bogus"}).code, 2) << sub;
  }
  EXPECT_NE(cli({"--help"}).out.find("neb NEB.toml"), std::string::npos);
}

TEST_F(RelaxNebCommand, RelaxWritesTheRelaxedStructureTheLibraryFinds) {
  const ionhop::lattice::Structure start = rattled_cell();
  ionhop::lattice::write_structure((dir_ / "rattled.xyz").string(), start);
  const fs::path job = write("relax.toml", lj_relax_job());
  const fs::path out = dir_ / "out/relaxed.xyz";
  const auto r = cli({"relax", job.string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("status          converged"), std::string::npos) << r.out;

  const auto frames = ionhop::lattice::read_extxyz(out.string());
  ASSERT_EQ(frames.size(), 1u);
  const auto lj = lj_potential();
  ionhop::neb::RelaxParams p;
  p.fmax_eV_A = 1e-4;
  const ionhop::neb::RelaxResult expected = ionhop::neb::relax(start, *lj, p);
  ASSERT_TRUE(expected.converged);
  // The same deterministic optimizer on the same input: the same numbers (the file keeps 17 digits).
  EXPECT_EQ(*frames[0].energy_eV, expected.energy_eV);
  EXPECT_EQ(frames[0].info.at("force_calls"), std::to_string(expected.force_calls));
  EXPECT_EQ((frames[0].structure.positions - expected.structure.positions).cwiseAbs().maxCoeff(), 0.0);
  // Relaxed: the written forces are below the tolerance; the energy is the perfect lattice's,
  // to second order in the residual force (|F|²/k ≪ 1e-8 eV for k ~ 1 eV/Å²).
  ASSERT_TRUE(frames[0].forces_eV_per_A.has_value());
  EXPECT_LT(frames[0].forces_eV_per_A->colwise().norm().maxCoeff(), 1e-4);
  const ionhop::lattice::Structure perfect = ionhop::lattice::make_supercell(
      ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()), {2, 2, 2});
  EXPECT_NEAR(*frames[0].energy_eV, lj->compute(perfect).energy_eV, 1e-8);
}

TEST_F(RelaxNebCommand, PedoneLi2OCellRelaxationGivesTheExperimentalLatticeConstant) {
  const fs::path out = dir_ / "out/li2o.xyz";
  const auto r = cli({"relax", (kJobs / "li2o_relax.toml").string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::cout << r.out;
  const auto frames = ionhop::lattice::read_extxyz(out.string());
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].info.at("status"), "converged");
  // Issue 3: the Pedone Li2O lattice constant within 1 % of experiment (4.61 Å).
  const double a = frames[0].structure.cell.col(0).norm();
  EXPECT_NEAR(a, 4.61, 0.01 * 4.61);
  EXPECT_EQ(frames[0].structure.size(), 12u);
}

TEST_F(RelaxNebCommand, NebOnTheLjVacancyHopWritesTheLibraryResult) {
  const fs::path job = kJobs / "lj_fcc_vacancy_neb.toml";
  const auto r = cli({"neb", job.string(), "--outdir", (dir_ / "out").string(), "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::cout << r.out;
  EXPECT_EQ(file_names("out"), (std::vector<std::string>{"lj_fcc_vacancy_neb.h5", "lj_fcc_vacancy_neb.xyz",
                                                 "lj_fcc_vacancy_saddle.xyz"}));

  // The library on the same setup (parameters as in the job file).
  const ionhop::lattice::Structure host = ionhop::lattice::make_supercell(
      ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()), {3, 3, 3});
  ionhop::neb::HopParams p;
  p.relax.fmax_eV_A = 1e-4;
  p.neb.images = 5;
  p.neb.springs.k_eV_A2 = 0.1;
  p.neb.fmax_eV_A = 0.01;
  p.neb.end_state_fmax_eV_A = 1e-3;
  const auto lj = lj_potential();
  const ionhop::neb::HopResult expected = ionhop::neb::run_hop(ionhop::neb::build_vacancy_hop(host, 0, 1), *lj, p);
  ASSERT_EQ(expected.status, ionhop::neb::HopStatus::ok);
  ASSERT_TRUE(expected.neb.converged);

  const H5File h5 = H5File::open_read_only(dir_ / "out/lj_fcc_vacancy_neb.h5");
  EXPECT_EQ(h5.read_string_attribute("/", "format"), "ionhop-neb");
  EXPECT_EQ(h5.read_int64_attribute("/", "format_version"), 1);
  EXPECT_EQ(h5.read_string("/hop/status"), "ok");
  EXPECT_EQ(h5.read_string("/neb/status"), "converged");
  const double barrier = h5.read_double("/neb/barrier_forward_eV");
  EXPECT_GT(barrier, 0.0);
  // Deterministic code, one thread, same inputs: bit-identical numbers.
  EXPECT_EQ(barrier, expected.neb.barrier_forward_eV);
  EXPECT_EQ(h5.read_double("/neb/barrier_backward_eV"), expected.neb.barrier_backward_eV);
  EXPECT_EQ(h5.read_doubles("/neb/energies_eV"), expected.neb.energies_eV);
  EXPECT_EQ(h5.read_doubles("/neb/reaction_coordinate_A"), expected.neb.reaction_coordinate_A);
  EXPECT_EQ(h5.read_doubles("/neb/max_force_history_eV_A"), expected.neb.max_force_history_eV_A);
  EXPECT_EQ(h5.read_int64("/neb/force_calls"), expected.neb.force_calls);
  EXPECT_EQ(h5.read_int64("/hop/force_calls"), expected.force_calls);
  EXPECT_EQ(h5.read_int64("/neb/saddle_index"), static_cast<std::int64_t>(expected.neb.saddle_index));
  EXPECT_EQ(h5.read_doubles("/neb/max_force_history_eV_A").size(),
            static_cast<std::size_t>(h5.read_int64("/neb/iterations")) + 1);
  EXPECT_LT(h5.read_double("/neb/max_force_eV_A"), 0.01);
  // Symmetric hop between equivalent sites: equal barriers both ways, to the band's convergence.
  EXPECT_NEAR(barrier, h5.read_double("/neb/barrier_backward_eV"), 1e-3);
  for (const char* path : {"/neb/energies_eV", "/neb/barrier_forward_eV", "/hop/energy_initial_eV"})
    EXPECT_EQ(h5.units(path), "eV") << path;
  EXPECT_EQ(h5.units("/neb/reaction_coordinate_A"), "angstrom");
  EXPECT_EQ(h5.units("/neb/max_force_history_eV_A"), "eV/angstrom");
  EXPECT_EQ(h5.units("/neb/force_calls"), "1");
  EXPECT_EQ(h5.shape("/images/image_003/positions_A"), (std::vector<std::size_t>{107, 3}));

  const auto band = ionhop::lattice::read_extxyz((dir_ / "out/lj_fcc_vacancy_neb.xyz").string());
  ASSERT_EQ(band.size(), 7u);  // 5 images + 2 end points
  const auto saddle = ionhop::lattice::read_extxyz((dir_ / "out/lj_fcc_vacancy_saddle.xyz").string());
  ASSERT_EQ(saddle.size(), 1u);
  EXPECT_EQ(*saddle[0].energy_eV, expected.neb.energies_eV[expected.neb.saddle_index]);
  EXPECT_EQ(*band[expected.neb.saddle_index].energy_eV, *saddle[0].energy_eV);
}

TEST_F(RelaxNebCommand, BadInputExitsWithTwoAndWritesNothing) {
  ionhop::lattice::write_structure((dir_ / "rattled.xyz").string(), rattled_cell());
  // An atom index the structure does not have: found only once the structure is read, reported
  // at the key.
  std::ifstream in(kJobs / "lj_fcc_vacancy_neb.toml");
  std::stringstream text;
  text << in.rdbuf();
  std::string neb = text.str();
  neb.replace(neb.find("file = \"lj_fcc.xyz\""), 19, "file = \"" + (kJobs / "lj_fcc.xyz").string() + "\"");
  neb.replace(neb.find("moving_atom = 0"), 15, "moving_atom = 108");
  const fs::path job = write("neb.toml", neb);
  auto r = cli({"neb", job.string(), "--outdir", (dir_ / "out").string()});
  EXPECT_EQ(r.code, 2);
  std::istringstream lines(neb);
  std::string line;
  int line_no = 0, moving_line = 0;
  while (std::getline(lines, line)) {
    ++line_no;
    if (line.rfind("moving_atom", 0) == 0) moving_line = line_no;
  }
  EXPECT_NE(r.err.find(job.string() + ":" + std::to_string(moving_line) + ":15: error: hop.moving_atom: atom 108 does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(file_names("out").empty());

  // A misspelt key: exit 2, nothing written.
  const fs::path relax = write("relax.toml", lj_relax_job("maxstep_A = 0.1\n"));
  r = cli({"relax", relax.string(), "-o", (dir_ / "out/x.xyz").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("did you mean 'max_step_A'?"), std::string::npos) << r.err;
  // A species the potential does not know.
  const fs::path argon = write("ar.toml", std::regex_replace(lj_relax_job(), std::regex("\"Cu\", \"Cu\""), "\"Ar\", \"Ar\""));
  r = cli({"relax", argon.string(), "-o", (dir_ / "out/x.xyz").string()});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("potential.type: the structure has species 'Cu', which no term of the potential names"),
            std::string::npos)
      << r.err;
  // A missing structure file.
  const fs::path missing = write("missing.toml", std::regex_replace(lj_relax_job(), std::regex("rattled.xyz"), "nothere.xyz"));
  r = cli({"relax", missing.string(), "-o", (dir_ / "out/x.xyz").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("structure.file: cannot use the structure file"), std::string::npos) << r.err;
  // An NEB-only section in a relax job.
  const fs::path wrong_kind = write("kind.toml", lj_relax_job() + "[hop]\nmechanism = \"vacancy\"\n");
  r = cli({"relax", wrong_kind.string(), "-o", (dir_ / "out/x.xyz").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(file_names("out").empty());
}

TEST_F(RelaxNebCommand, BandBetweenTwoGivenStatesAndThreadCountIndependence) {
  // End states of a vacancy hop in a 2×2×2 LJ fcc cell, written as files: the "band" mechanism.
  const ionhop::lattice::Structure host = ionhop::lattice::make_supercell(
      ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()), {2, 2, 2});
  const ionhop::neb::HopEndStates hop = ionhop::neb::build_vacancy_hop(host, 0, 1);
  ionhop::lattice::write_structure((dir_ / "initial.xyz").string(), hop.initial);
  ionhop::lattice::write_structure((dir_ / "final.xyz").string(), hop.final_state);
  const std::string job_text =
      "[job]\nname = \"band\"\n\n[potential]\ntype = \"lennard_jones\"\ncutoff_A = 4.8\n"
      "pairs = [{ species = [\"Cu\", \"Cu\"], epsilon_eV = 0.4, sigma_A = 2.3 }]\n\n"
      "[relax]\nfmax_eV_A = 1e-3\n\n[neb]\nimages = 3\nfmax_eV_A = 0.02\n\n"
      "[hop]\nmechanism = \"band\"\ninitial = \"initial.xyz\"\nfinal = \"final.xyz\"\n";
  const fs::path job = write("band.toml", job_text);

  ionhop::neb::HopParams p;
  p.relax.fmax_eV_A = 1e-3;
  p.neb.images = 3;
  p.neb.fmax_eV_A = 0.02;
  const auto lj = lj_potential();
  const ionhop::neb::HopResult expected = ionhop::neb::run_hop(hop, *lj, p);
  ASSERT_EQ(expected.status, ionhop::neb::HopStatus::ok);
  ASSERT_TRUE(expected.neb.converged);

  for (const char* threads : {"1", "2"}) {
    fs::remove_all(dir_ / "out");
    fs::create_directories(dir_ / "out");
    const auto r = cli({"neb", job.string(), "--outdir", (dir_ / "out").string(), "--threads", threads});
    ASSERT_EQ(r.code, 0) << r.err;
    const H5File h5 = H5File::open_read_only(dir_ / "out/band_neb.h5");
    EXPECT_EQ(h5.read_string("/hop/mechanism"), "band");
    // The mobile atom of a band read from files is the one that moves furthest: the hopping ion.
    EXPECT_EQ(h5.read_int64("/hop/mobile_atom"), static_cast<std::int64_t>(hop.mobile_atom));
    // Sums over images are serial, so any thread count gives the library's numbers bit for bit.
    EXPECT_EQ(h5.read_double("/neb/barrier_forward_eV"), expected.neb.barrier_forward_eV) << threads << " threads";
    EXPECT_EQ(h5.read_doubles("/neb/energies_eV"), expected.neb.energies_eV) << threads << " threads";
    EXPECT_GT(expected.neb.barrier_forward_eV, 0.0);
  }

  // End states that are not the same atoms: exit 2 at hop.final, nothing written.
  ionhop::lattice::Structure fewer = hop.final_state;
  fewer.species.pop_back();
  fewer.positions.conservativeResize(3, fewer.positions.cols() - 1);
  ionhop::lattice::write_structure((dir_ / "final.xyz").string(), fewer);
  fs::remove_all(dir_ / "out");
  fs::create_directories(dir_ / "out");
  const auto r = cli({"neb", job.string(), "--outdir", (dir_ / "out").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: hop.final: the final state must hold the same atoms"), std::string::npos) << r.err;
  EXPECT_TRUE(file_names("out").empty());
}

TEST_F(RelaxNebCommand, InterstitialHopMatchesTheLibraryWhateverItsStatus) {
  // A Cu interstitial between two octahedral holes of a 2×2×2 LJ fcc cell. Whether the end
  // states stay on their sites is the library's call; the command must record the same outcome,
  // and write the band files only when a band ran.
  ionhop::lattice::write_structure((dir_ / "fcc.xyz").string(),
                                   ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()));
  const std::string job_text =
      "[job]\nname = \"inter\"\n\n[structure]\nfile = \"fcc.xyz\"\nsupercell = [2, 2, 2]\n\n"
      "[potential]\ntype = \"lennard_jones\"\ncutoff_A = 4.8\n"
      "pairs = [{ species = [\"Cu\", \"Cu\"], epsilon_eV = 0.4, sigma_A = 2.3 }]\n\n"
      "[relax]\nfmax_eV_A = 1e-3\nmax_steps = 400\n\n[neb]\nimages = 3\nfmax_eV_A = 0.02\n\n"
      "[hop]\nmechanism = \"interstitial\"\nspecies = \"Cu\"\n"
      "from_fractional = [0.25, 0.25, 0.25]\nto_fractional = [0.25, 0.25, 0.75]\n";
  const fs::path job = write("inter.toml", job_text);
  const auto r = cli({"neb", job.string(), "--outdir", (dir_ / "out").string(), "--threads", "1"});
  ASSERT_EQ(r.code, 0) << r.err;

  const ionhop::lattice::Structure host = ionhop::lattice::make_supercell(
      ionhop::lattice::read_structure((kJobs / "lj_fcc.xyz").string()), {2, 2, 2});
  const Eigen::Vector3d from = host.cell * Eigen::Vector3d(0.25, 0.25, 0.25);
  const Eigen::Vector3d to = host.cell * Eigen::Vector3d(0.25, 0.25, 0.75);
  ionhop::neb::HopParams p;
  p.relax.fmax_eV_A = 1e-3;
  p.relax.max_steps = 400;
  p.neb.images = 3;
  p.neb.fmax_eV_A = 0.02;
  const auto lj = lj_potential();
  const ionhop::neb::HopResult expected =
      ionhop::neb::run_hop(ionhop::neb::build_interstitial_hop(host, "Cu", from, to), *lj, p);

  const H5File h5 = H5File::open_read_only(dir_ / "out/inter_neb.h5");
  EXPECT_EQ(h5.read_string("/hop/mechanism"), "interstitial");
  EXPECT_EQ(h5.read_string("/hop/status"), ionhop::neb::to_string(expected.status));
  EXPECT_EQ(h5.read_int64("/hop/mobile_atom"), 32);  // appended after the 32 host atoms
  EXPECT_EQ(h5.read_double("/hop/energy_initial_eV"), expected.energy_initial_eV);
  EXPECT_EQ(h5.read_double("/hop/initial_max_displacement_A"), expected.initial_max_displacement_A);
  if (expected.status == ionhop::neb::HopStatus::ok) {
    EXPECT_EQ(h5.read_double("/neb/barrier_forward_eV"), expected.neb.barrier_forward_eV);
    EXPECT_EQ(file_names("out"), (std::vector<std::string>{"inter_neb.h5", "inter_neb.xyz", "inter_saddle.xyz"}));
  } else {
    EXPECT_FALSE(h5.exists("/neb"));
    EXPECT_FALSE(h5.exists("/images"));
    EXPECT_EQ(file_names("out"), (std::vector<std::string>{"inter_neb.h5"}));
    EXPECT_NE(r.err.find("no band was run"), std::string::npos) << r.err;
  }
  std::cout << "interstitial hop status: " << ionhop::neb::to_string(expected.status)
            << ", max displacement initial " << expected.initial_max_displacement_A << " A\n";
}

TEST_F(RelaxNebCommand, Li2OVacancyExampleJobRuns) {
  // inputs/jobs/li2o_vacancy_neb.toml: Pedone + Ewald, host cell relaxed first, 95 atoms.
  const auto r = cli({"neb", (kJobs / "li2o_vacancy_neb.toml").string(), "--outdir", (dir_ / "out").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::cout << r.out;
  const H5File h5 = H5File::open_read_only(dir_ / "out/li2o_li_vacancy_neb.h5");
  EXPECT_EQ(h5.read_string("/neb/status"), "converged");
  EXPECT_GT(h5.read_int64("/hop/host_force_calls"), 0);
  EXPECT_EQ(h5.read_string_attribute("/", "potential_name"), "pedone2006");
  // The hop joins two equivalent Li sites: the path is symmetric, E_initial = E_final and the
  // two barriers agree to the end-state relaxation's precision (fmax 0.01 eV/Å over ≤ 0.15 Å
  // of relaxation displacement: well below 1 meV).
  const double forward = h5.read_double("/neb/barrier_forward_eV");
  EXPECT_NEAR(forward, h5.read_double("/neb/barrier_backward_eV"), 1e-3);
  EXPECT_GT(forward, 0.0);
  const auto energies = h5.read_doubles("/neb/relative_energies_eV");
  for (std::size_t i = 0; i < energies.size(); ++i)
    EXPECT_NEAR(energies[i], energies[energies.size() - 1 - i], 1e-3) << "image " << i;
}
