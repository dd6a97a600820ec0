// VALIDATION.md item 2: the tracer correlation factor f₀ of the vacancy mechanism (one vacancy
// in an otherwise full lattice), D* = f₀ · D_uncorrelated, against the exact lattice values
// (Compaan & Haven 1956/58; Montet 1973; Koiwa & Ishioka 1978–83). With one vacancy among N
// sites the vacancy always makes zΓ jumps per unit time, each moving one of the N − 1 ions by
// a, so D_uncorrelated = zΓa²/(2d(N − 1)).
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/ModelBuilders.hpp"
#include "tests/validation/ValidationSupport.hpp"

using namespace ionhop;

namespace {

struct VacancyCase {
  const char* prototype;
  int repeat;
  int z;
  int d;
  double nn_over_a;
  double f0;
};

// Names the case in test output (ctest lists parameters by their PrintTo).
void PrintTo(const VacancyCase& c, std::ostream* os) { *os << c.prototype; }

class VacancyCorrelation : public ::testing::TestWithParam<VacancyCase> {};

TEST_P(VacancyCorrelation, TracerCorrelationFactorMatchesTheExactValue) {
  const VacancyCase c = GetParam();
  const double a = 1.0, gamma = 1.0;
  auto probe = ionhop::testing::make_lattice_gas({c.prototype, a, c.repeat, 0, 0.0, gamma, {}});
  const long long n_sites = probe->supercell->n_sites();
  auto model = ionhop::testing::make_lattice_gas({c.prototype, a, c.repeat, n_sites - 1, 0.0, gamma, {}});
  // The fit window must start after the tracer's back-correlation has decayed (a few jumps of
  // the tracer): one sample per jump per ion, lags 1–20 jumps, the fit from 5 jumps on.
  const double jumps_per_ion_rate = c.z * gamma / static_cast<double>(n_sites - 1);
  kmc::SweepSettings s;
  s.temperatures_K = {300};
  s.max_lag_samples = 20;
  s.samples = 200;
  s.sample_interval_s = 1.0 / jumps_per_ion_rate;
  s.production_time_s = s.samples * s.sample_interval_s;
  s.replicas = 8;
  s.seed = 2718;
  const auto m = ionhop::testing::measure(model, s, 0.25);
  const double hop = c.nn_over_a * a;
  const double d_uncorrelated = c.z * gamma * hop * hop / (2.0 * c.d * (n_sites - 1)) * 1e-16;
  const auto& D = m.transport[0].species[0].D_tracer_cm2_s;
  const bridge::Estimate f{D.value / d_uncorrelated, D.standard_error / d_uncorrelated};
  EXPECT_TRUE(ionhop::testing::within_errors(f, c.f0)) << c.prototype << " N = " << n_sites;
  // The statistics must resolve f₀ to better than 1 % (4 SE ≤ 1 %).
  EXPECT_LT(4 * f.standard_error, 0.01 * c.f0) << "f = " << f.value << " ± " << f.standard_error;
  std::printf("  %s: N = %lld  f = %.5f ± %.5f  (exact %.6f)\n", c.prototype, n_sites, f.value, f.standard_error, c.f0);
}

INSTANTIATE_TEST_SUITE_P(
    Lattices, VacancyCorrelation,
    ::testing::Values(VacancyCase{"square", 48, 4, 2, 1.0, 0.466942},
                      VacancyCase{"honeycomb", 40, 3, 2, 1.0 / std::sqrt(3.0), 1.0 / 3.0},
                      VacancyCase{"triangular", 48, 6, 2, 1.0, 0.56006},
                      VacancyCase{"sc", 14, 6, 3, 1.0, 0.653109},
                      VacancyCase{"bcc", 11, 8, 3, std::sqrt(3.0) / 2, 0.727194},
                      VacancyCase{"fcc", 9, 12, 3, std::sqrt(0.5), 0.781451},
                      VacancyCase{"diamond", 7, 4, 3, std::sqrt(3.0) / 4, 0.5}),
    [](const auto& info) { return std::string(info.param.prototype); });

}  // namespace
