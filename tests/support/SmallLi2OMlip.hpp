#pragma once
// A small trained and calibrated MLIP for tests that need a model file: linear ACE on Pedone's
// Ewald baseline, fitted to 12 strained and displaced 12-atom Li₂O cells labelled by Pedone
// (inputs/potentials/pedone.toml) and calibrated on 12 others. Basis 6/2 radial functions,
// lmax 2, r_c 5.5 Å: fitted in well under a second, built once per test program.
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipModel.hpp"
#include "neb/MlipTraining.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/neb/MlipTestData.hpp"

namespace ionhop::testing {

inline const neb::MlipModel& small_li2o_mlip() {
  static const neb::MlipModel model = [] {
    const auto pedone = neb::make_potential(neb::testing::pedone_spec());
    const auto train = neb::testing::li2o_frames(*pedone, 12, 5, 0.15, 0.02, {1, 1, 1});
    const auto held_out = neb::testing::li2o_frames(*pedone, 12, 6, 0.15, 0.02, {1, 1, 1});
    neb::MlipTrainingOptions o;
    o.basis.elements = {"Li", "O"};
    o.basis.radial_size_2 = 6;
    o.basis.radial_size_3 = 2;
    o.basis.lmax = 2;
    o.folds = 3;
    o.lambdas = {1e-9, 1e-6};
    o.baseline = neb::testing::pedone_coulomb_spec();
    neb::MlipModel m = neb::train_linear_ace(train, o).model;
    neb::calibrate_model(m, held_out);
    return m;
  }();
  return model;
}

}  // namespace ionhop::testing
