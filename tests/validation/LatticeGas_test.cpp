// VALIDATION.md item 3: the non-interacting lattice gas with site exclusion on a Bravais
// lattice (Kutner 1981; Kehr, Kutner & Binder 1981): D_J = D₀(1 − c), tracer D* = D₀(1 − c)f(c)
// with f₀ < f(c) < 1, so H_R = f(c) and σ ∝ c(1 − c).
//
// Finite periodic lattice of M sites with N ions: the centre of mass moves by independent
// jumps (a martingale) at the mean rate of occupied–vacant bonds, N(M − N)/(M − 1) per bond
// direction, so exactly D_J = D₀ (1 − c) M/(M − 1). The test uses that exact finite-size form.
#include <gtest/gtest.h>

#include <cmath>

#include "lattice/Units.hpp"
#include "tests/support/ModelBuilders.hpp"
#include "tests/validation/ValidationSupport.hpp"

using namespace ionhop;

namespace {

class LatticeGas : public ::testing::TestWithParam<double> {};

TEST_P(LatticeGas, JumpDiffusionIsD0TimesOneMinusCoverage) {
  const double c = GetParam();
  const double a = 1.0, gamma = 1.0, T = 300.0;
  const int repeat = 6;
  const long long M = repeat * repeat * repeat;
  const long long N = std::llround(c * M);
  auto model = ionhop::testing::make_lattice_gas({"sc", a, repeat, N, 0.0, gamma, {}});
  kmc::SweepSettings s;
  s.temperatures_K = {T};
  s.production_time_s = 400.0 / gamma;
  s.samples = 2000;
  s.max_lag_samples = 10;
  s.equilibration_events = 1000;
  s.replicas = 16;
  s.seed = 31;
  const auto m = ionhop::testing::measure(model, s);
  const auto& sp = m.transport[0].species[0];
  const double cc = static_cast<double>(N) / M;
  const double d0_cm2_s = gamma * a * a * 1e-16;  // zΓa²/(2d) with z = 2d
  const double dj = d0_cm2_s * (1.0 - cc) * M / (M - 1.0);
  EXPECT_TRUE(ionhop::testing::within_errors(sp.D_sigma_cm2_s, dj)) << "c = " << cc;
  EXPECT_LT(sp.D_sigma_cm2_s.standard_error, 0.05 * dj) << "test too weak";
  // Haven ratio = f(c), between the vacancy limit f₀ (sc: 0.653109) and the dilute limit 1.
  const auto& h = sp.haven_ratio;
  EXPECT_GT(h.value + 4 * h.standard_error, 0.653109);
  EXPECT_LT(h.value - 4 * h.standard_error, 1.0);
  // σ = N e² D_J /(V k_B T): the species and total (charge-MSD) conductivities agree with it.
  const double V_cm3 = model->supercell->volume_A3() * 1e-24;
  const double sigma = N * units::kElementaryCharge_C * dj / (V_cm3 * units::kBoltzmann_eV_per_K * T);
  EXPECT_TRUE(ionhop::testing::within_errors(sp.sigma_S_cm, sigma));
  EXPECT_TRUE(ionhop::testing::within_errors(m.transport[0].sigma_total_S_cm, sigma));
  std::printf("  c = %.3f: D_J/D0 = %.4f ± %.4f (exact %.4f), H_R = %.3f ± %.3f\n", cc,
              sp.D_sigma_cm2_s.value / d0_cm2_s, sp.D_sigma_cm2_s.standard_error / d0_cm2_s, dj / d0_cm2_s, h.value,
              h.standard_error);
}

INSTANTIATE_TEST_SUITE_P(Coverages, LatticeGas, ::testing::Values(0.25, 0.5, 0.75),
                         [](const auto& info) {
                           std::string name = "c";  // appended, not "c" + …: GCC 12 warns falsely (-Wrestrict)
                           name += std::to_string(static_cast<int>(info.param * 100));
                           return name;
                         });

}  // namespace
