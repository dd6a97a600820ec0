// VALIDATION.md item 4: with site types of energy E_k and exclusion, the long-run occupancy of
// type k is Fermi–Dirac, 1/(1 + exp((E_k − μ)/k_BT)), μ fixed by the ion count. A rate that
// broke detailed balance (e.g. the KRA ΔE/2 term left out) would miss it.
//
// For a finite lattice the exact answer is the canonical one: with M sites of each type and N
// ions, P(n ions on P) ∝ C(M, n) C(M, N − n) exp(−[n E_P + (N − n) E_Q]/k_BT). The test compares
// with that and prints the grand-canonical Fermi–Dirac value it tends to.
#include <gtest/gtest.h>

#include <cmath>

#include "lattice/Units.hpp"
#include "bridge/SampleStatistics.hpp"
#include "lattice/Prototypes.hpp"
#include "tests/validation/ValidationSupport.hpp"

using namespace ionhop;

namespace {

double log_binomial(long long n, long long k) { return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0); }

/// Exact canonical mean occupation fraction of the P sites.
double canonical_p_occupancy(long long M, long long N, double eP, double eQ, double kT) {
  double norm = 0, mean = 0, ref = -1e300;
  std::vector<double> logw;
  for (long long n = std::max(0LL, N - M); n <= std::min(M, N); ++n) {
    logw.push_back(log_binomial(M, n) + log_binomial(M, N - n) - (n * eP + (N - n) * eQ) / kT);
    ref = std::max(ref, logw.back());
  }
  long long n = std::max(0LL, N - M);
  for (double lw : logw) {
    const double w = std::exp(lw - ref);
    norm += w;
    mean += w * n++;
  }
  return mean / norm / M;
}

TEST(FermiDirac, TwoSiteTypesReachTheEquilibriumOccupancy) {
  const double T = 300.0, kT = units::kBoltzmann_eV_per_K * T;
  const double eP = 0.0, eQ = 0.05;
  // CsCl-like: two interpenetrating simple-cubic sublattices P and Q, P–Q hops only.
  lattice::Crystal crystal;
  crystal.cell = 3.0 * Eigen::Matrix3d::Identity();
  crystal.add_site("P", {0, 0, 0});
  crystal.add_site("Q", {0.5, 0.5, 0.5});
  auto model = std::make_shared<kmc::Model>();
  model->network = std::make_shared<lattice::HopNetwork>(crystal, std::vector<lattice::HopRule>{{0, 1, 1, {}}},
                                                         lattice::find_space_group(crystal));
  model->supercell = std::make_shared<lattice::Supercell>(crystal, std::array<int, 3>{6, 6, 6});
  model->site_types = {{"P", eP, 0.0}, {"Q", eQ, 0.0}};
  const long long M = 216, N = 216;
  model->species = {{"Li", 1, true, {1, 1}, N}};
  model->barriers = std::make_shared<kmc::TableBarrierSource>(
      std::vector<kmc::HopBarrier>(model->network->classes().size(), {0.1, 1e12}));

  kmc::SweepSettings s;
  s.temperatures_K = {T};
  s.production_events = 400000;
  s.equilibration_events = 20000;
  s.samples = 2000;
  s.max_lag_samples = 2;
  s.replicas = 8;
  s.seed = 1234;
  const auto raw = kmc::run_sweep(model, s);
  std::vector<double> p;
  for (const auto& r : raw[0].replicas) p.push_back(r.occupancy_per_type[0]);
  const auto occ = bridge::mean_with_standard_error(p);
  const double exact = canonical_p_occupancy(M, N, eP, eQ, kT);
  const double mu = 0.5 * (eP + eQ);  // N = M: θ_P + θ_Q = 1
  const double fermi_dirac = 1.0 / (1.0 + std::exp((eP - mu) / kT));
  EXPECT_TRUE(ionhop::testing::within_errors(occ, exact));
  EXPECT_LT(occ.standard_error, 0.002);
  // The canonical value approaches Fermi–Dirac as M grows; here they differ by < 0.5 %.
  EXPECT_NEAR(exact, fermi_dirac, 0.005 * fermi_dirac);
  // Without the KRA ΔE/2 term the occupancy would stay at 1/2: the test can tell.
  EXPECT_GT(std::abs(exact - 0.5), 50 * occ.standard_error);
  std::printf("  P occupancy %.5f ± %.5f; canonical exact %.5f; Fermi–Dirac %.5f\n", occ.value, occ.standard_error,
              exact, fermi_dirac);
}

}  // namespace
