// The MLIP model file: a trained, calibrated model with an Ewald baseline round-trips exactly
// through HDF5; bad files are refused with a message; the "mlip" potential type loads it through
// the registry and through the atomistic job wiring (relax/neb), giving the same numbers as the
// model in memory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/AtomisticJobSetup.hpp"
#include "app/H5File.hpp"
#include "app/MlipModelFile.hpp"
#include "inputs/StudyError.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipTraining.hpp"
#include "neb/PotentialError.hpp"
#include "tests/neb/MlipTestData.hpp"
#include "tests/support/SmallLi2OMlip.hpp"

namespace ionhop::app {
namespace {

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::path(IONHOP_BINARY_DIR) / "test_scratch" / "mlip_model_file";
  std::filesystem::create_directories(dir);
  return dir / name;
}

const neb::MlipModel& small_model() { return ionhop::testing::small_li2o_mlip(); }

TEST(MlipModelFile, RoundTripsExactly) {
  const neb::MlipModel& model = small_model();
  ASSERT_TRUE(model.baseline.has_value());
  ASSERT_EQ(model.descriptor_statistics.size(), 2u);
  const auto path = scratch("roundtrip.h5");
  write_mlip_model(path, model);
  const neb::MlipModel back = read_mlip_model(path);
  EXPECT_EQ(back.basis, model.basis);
  EXPECT_EQ(back.baseline, model.baseline);
  ASSERT_EQ(back.coefficients.size(), model.coefficients.size());
  EXPECT_TRUE(back.coefficients == model.coefficients);
  ASSERT_EQ(back.covariance.rows(), model.covariance.rows());
  EXPECT_TRUE(back.covariance == model.covariance);
  EXPECT_EQ(back.calibration, model.calibration);
  EXPECT_EQ(back.training_set_hash, model.training_set_hash);
  EXPECT_EQ(back.training_options, model.training_options);
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_EQ(back.descriptor_statistics[e].atom_count, model.descriptor_statistics[e].atom_count);
    EXPECT_TRUE(back.descriptor_statistics[e].mean == model.descriptor_statistics[e].mean);
    EXPECT_TRUE(back.descriptor_statistics[e].covariance == model.descriptor_statistics[e].covariance);
  }
  EXPECT_EQ(back, model);
  // Self-describing for h5py users.
  const H5File f = H5File::open_read_only(path);
  EXPECT_EQ(f.read_string_attribute("/", "format"), kMlipModelFormat);
  EXPECT_EQ(f.units("/model/reference_energies_eV"), "eV");
  EXPECT_EQ(f.read_strings("/basis/elements"), (std::vector<std::string>{"Li", "O"}));
  EXPECT_EQ(f.read_string("/baseline/type"), "coulomb_ewald");
}

TEST(MlipModelFile, BodyOrderFourModelRoundTripsAndComputesTheSame) {
  const neb::MlipModel model = ionhop::testing::train_small_li2o_mlip(4);
  ASSERT_EQ(model.basis.body_order, 4);
  const auto path = scratch("order4.h5");
  write_mlip_model(path, model);
  const neb::MlipModel back = read_mlip_model(path);
  EXPECT_EQ(back.basis.radial_size_4, 1);
  EXPECT_EQ(back.basis.lmax_4, 1);
  EXPECT_EQ(back, model);
  // The four-body descriptors are really in the model: it has more coefficients than order 3.
  EXPECT_GT(model.coefficients.size(), small_model().coefficients.size());
  lattice::Structure s = lattice::make_supercell(ionhop::testing::antifluorite_cell(4.6), {1, 1, 2});
  s.positions(0, 3) += 0.1;
  const neb::ComputeRequest req{.forces = true, .virial = true};
  const neb::PotentialResult a = neb::LinearAcePotential(back).compute(s, req);
  const neb::PotentialResult b = neb::LinearAcePotential(model).compute(s, req);
  EXPECT_EQ(a.energy_eV, b.energy_eV);
  EXPECT_TRUE(a.forces == b.forces);
  ASSERT_TRUE(a.virial_eV && b.virial_eV);
  EXPECT_TRUE(*a.virial_eV == *b.virial_eV);
}

TEST(MlipModelFile, HeteroscedasticNoiseSlopeRoundTripsAndVersionOneFilesReadWithout) {
  neb::MlipModel model = small_model();
  model.calibration.energy_grade_slope = 0.37;  // any α > 0: the field must survive exactly
  const auto path = scratch("slope.h5");
  write_mlip_model(path, model);
  EXPECT_EQ(read_mlip_model(path), model);
  {
    H5File f = H5File::open_read_only(path);
    EXPECT_EQ(f.read_int64_attribute("/", "format_version"), kMlipModelFormatVersion);
  }
  // A version-1 file (no /calibration/energy_grade_slope) is read with α = 0, its meaning then.
  {
    H5File f = H5File::open_read_write(path);
    f.remove("/calibration/energy_grade_slope");
    f.set_attribute("/", "format_version", std::int64_t{1});
    f.close();
  }
  neb::MlipModel old = model;
  old.calibration.energy_grade_slope = 0.0;
  EXPECT_EQ(read_mlip_model(path), old);
}

TEST(MlipModelFile, RefusesFilesThatAreNotModels) {
  EXPECT_THROW(read_mlip_model(scratch("missing.h5")), MlipModelError);
  const auto other = scratch("other.h5");
  {
    H5File f = H5File::create(other);
    f.set_attribute("/", "format", std::string_view("ionhop-results"));
    f.close();
  }
  try {
    read_mlip_model(other);
    FAIL() << "expected MlipModelError";
  } catch (const MlipModelError& e) {
    EXPECT_NE(std::string(e.what()).find("not an ionhop MLIP model"), std::string::npos) << e.what();
  }
  neb::MlipModel bad = small_model();
  bad.coefficients.conservativeResize(bad.coefficients.size() - 1);
  EXPECT_THROW(write_mlip_model(scratch("bad.h5"), bad), MlipModelError);
}

TEST(MlipModelFile, MlipTypeLoadsTheModelThroughTheRegistry) {
  const auto path = scratch("registry.h5");
  write_mlip_model(path, small_model());
  neb::PotentialSpec spec;
  spec.type = "mlip";
  spec.text_settings["model"] = path.string();
  const auto potential = app_potentials().create(spec);
  const neb::LinearAcePotential direct(small_model());
  lattice::Structure s = lattice::make_supercell(ionhop::testing::antifluorite_cell(4.6), {1, 1, 2});
  s.positions(0, 3) += 0.1;
  const neb::ComputeRequest req{.forces = true, .virial = true};
  const neb::PotentialResult a = potential->compute(s, req), b = direct.compute(s, req);
  EXPECT_EQ(a.energy_eV, b.energy_eV);
  EXPECT_TRUE(a.forces == b.forces);
  ASSERT_TRUE(a.energy_variance_eV2.has_value());
  EXPECT_EQ(*a.energy_variance_eV2, *b.energy_variance_eV2);
  EXPECT_EQ(potential->name(), "mlip");

  neb::PotentialSpec missing;
  missing.type = "mlip";
  EXPECT_THROW(app_potentials().create(missing), neb::PotentialSpecError);
  neb::PotentialSpec unknown = spec;
  unknown.settings["cutoff_A"] = 5.0;
  EXPECT_THROW(app_potentials().create(unknown), neb::PotentialSpecError);
  neb::PotentialSpec nofile = spec;
  nofile.text_settings["model"] = scratch("nowhere.h5").string();
  EXPECT_THROW(app_potentials().create(nofile), neb::PotentialSpecError);
}

TEST(MlipModelFile, AtomisticJobsBuildTheMlip) {
  const auto path = scratch("job.h5");
  write_mlip_model(path, small_model());
  inputs::AtomisticJob job;
  job.source_path = "job.toml";
  job.potential.spec.type = "mlip";
  job.potential.spec.text_settings["model"] = path.string();
  const lattice::Structure s = ionhop::testing::antifluorite_cell(4.6);
  const auto potential = make_job_potential(job, s);
  EXPECT_EQ(potential->name(), "mlip");
  EXPECT_NEAR(potential->compute(s).energy_eV, neb::LinearAcePotential(small_model()).compute(s).energy_eV, 0.0);
  // A species the model does not know is reported at the potential key (exit code 2).
  lattice::Structure na = s;
  na.species[5] = "Na";
  EXPECT_THROW(make_job_potential(job, na), inputs::StudyError);
}

}  // namespace
}  // namespace ionhop::app
