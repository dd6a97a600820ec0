#pragma once
// A small trained and calibrated MLIP for tests that need a model file: linear ACE on Pedone's
// Ewald baseline, fitted to 12 strained and displaced 12-atom Li₂O cells labelled by Pedone
// (inputs/potentials/pedone.toml) and calibrated on 12 others. Basis 6/2 radial functions,
// lmax 2, r_c 5.5 Å (body order 4 adds 1 radial function with lmax_4 1): fitted in about a
// second, built once per test program and body order.
#include "neb/MlipEvaluation.hpp"
#include "neb/MlipModel.hpp"
#include "neb/MlipTraining.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/neb/MlipTestData.hpp"

namespace ionhop::testing {

inline neb::MlipModel train_small_li2o_mlip(int body_order) {
  const auto pedone = neb::make_potential(neb::testing::pedone_spec());
  const auto train = neb::testing::li2o_frames(*pedone, 12, 5, 0.15, 0.02, {1, 1, 1});
  const auto held_out = neb::testing::li2o_frames(*pedone, 12, 6, 0.15, 0.02, {1, 1, 1});
  neb::MlipTrainingOptions o;
  o.basis.elements = {"Li", "O"};
  o.basis.radial_size_2 = 6;
  o.basis.radial_size_3 = 2;
  o.basis.lmax = 2;
  o.basis.body_order = body_order;
  if (body_order == 4) {
    o.basis.radial_size_4 = 1;
    o.basis.lmax_4 = 1;
  }
  o.folds = 3;
  o.lambdas = {1e-9, 1e-6};
  o.baseline = neb::testing::pedone_coulomb_spec();
  neb::MlipModel m = neb::train_linear_ace(train, o).model;
  neb::calibrate_model(m, held_out);
  return m;
}

/// The body-order-3 model.
inline const neb::MlipModel& small_li2o_mlip() {
  static const neb::MlipModel model = train_small_li2o_mlip(3);
  return model;
}

}  // namespace ionhop::testing
