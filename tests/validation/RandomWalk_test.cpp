// VALIDATION.md item 1: a single random walker, rate Γ per hop direction, z neighbours at
// distance a in dimension d, has D = zΓa²/(2d) exactly. Item 6: a single-barrier lattice gives
// back its barrier from the Arrhenius fit of ln D* against 1/T.
#include <gtest/gtest.h>

#include <cmath>

#include "bridge/ArrheniusFit.hpp"
#include "lattice/Units.hpp"
#include "tests/support/ModelBuilders.hpp"
#include "tests/validation/ValidationSupport.hpp"

using namespace ionhop;

namespace {

struct WalkerCase {
  const char* prototype;
  int repeat;
  int z;
  int d;
  double nn_over_a;
};

// Names the case in test output (ctest lists parameters by their PrintTo).
void PrintTo(const WalkerCase& c, std::ostream* os) { *os << c.prototype; }

class SingleWalker : public ::testing::TestWithParam<WalkerCase> {};

TEST_P(SingleWalker, DiffusionCoefficientIsZGammaASquaredOverTwoD) {
  const WalkerCase c = GetParam();
  const double a = 2.0, gamma = 1e6;  // ν = Γ, zero barrier
  auto model = ionhop::testing::make_lattice_gas({c.prototype, a, c.repeat, 1, 0.0, gamma, {}});
  ASSERT_EQ(model->network->dimension(), c.d);
  kmc::SweepSettings s;
  s.temperatures_K = {300};
  // ≈ 120000·z/d hops per replica (one Cartesian component per dimension carries the signal);
  // short lags (≤ 1 % of the run) give many independent origins.
  s.production_time_s = 120000.0 / (c.d * gamma);
  s.samples = 1000;
  s.max_lag_samples = 10;
  s.replicas = 16;
  s.seed = 17;
  const auto m = ionhop::testing::measure(model, s);
  const double hop = c.nn_over_a * a;
  const double expected_cm2_s = c.z * gamma * hop * hop / (2.0 * c.d) * 1e-16;
  const auto& D = m.transport[0].species[0].D_tracer_cm2_s;
  EXPECT_TRUE(ionhop::testing::within_errors(D, expected_cm2_s));
  EXPECT_LT(D.standard_error / expected_cm2_s, 0.03) << "test too weak to resolve D";
  // One ion: the collective and tracer MSD are the same curve.
  EXPECT_DOUBLE_EQ(m.transport[0].species[0].D_sigma_cm2_s.value, D.value);
}

INSTANTIATE_TEST_SUITE_P(Lattices, SingleWalker,
                         ::testing::Values(WalkerCase{"chain", 400, 2, 1, 1.0}, WalkerCase{"square", 40, 4, 2, 1.0},
                                           WalkerCase{"triangular", 40, 6, 2, 1.0},
                                           WalkerCase{"honeycomb", 40, 3, 2, 1.0 / std::sqrt(3.0)},
                                           WalkerCase{"sc", 12, 6, 3, 1.0},
                                           WalkerCase{"fcc", 8, 12, 3, std::sqrt(0.5)}),
                         [](const auto& info) { return std::string(info.param.prototype); });

TEST(Arrhenius, SingleBarrierLatticeGivesBackItsBarrier) {
  const double Eb = 0.35;
  auto model = ionhop::testing::make_lattice_gas({"sc", 3.0, 10, 20, Eb, 1e13, {}});
  kmc::SweepSettings s;
  s.temperatures_K = {300, 400, 500, 600};
  s.production_events = 60000;
  s.equilibration_events = 1000;
  s.samples = 300;
  s.max_lag_samples = 30;
  s.replicas = 8;
  s.seed = 5;
  const auto m = ionhop::testing::measure(model, s);
  std::vector<double> T;
  std::vector<bridge::Estimate> D;
  for (const auto& t : m.transport) {
    T.push_back(t.temperature_K);
    D.push_back(t.species[0].D_tracer_cm2_s);
  }
  const auto fit = bridge::fit_arrhenius_D(T, D);
  EXPECT_TRUE(ionhop::testing::within_errors({fit.Ea_eV, fit.Ea_stderr_eV}, Eb));
  EXPECT_LT(fit.Ea_stderr_eV, 0.01);
  // The prefactor is D₀ = Γ₀ a² with Γ₀ = ν (z = 6, d = 3), in cm²/s.
  EXPECT_TRUE(ionhop::testing::within_errors({fit.ln_prefactor, fit.ln_prefactor_stderr}, std::log(1e13 * 9.0 * 1e-16)));
}

}  // namespace
