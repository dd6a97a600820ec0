// VALIDATION.md item 5 and issue 5: superbasin acceleration leaves transport and equilibrium
// unchanged. Two-rate ring (closed form), random-trap ring (closed form, per disorder
// realisation), and a 3D cage lattice where accelerated and plain KMC are compared.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "kmc/Engine.hpp"
#include "kmc/RateScaling.hpp"
#include "lattice/Units.hpp"
#include "tests/support/SuperbasinLattices.hpp"
#include "tests/validation/ValidationSupport.hpp"

using namespace ionhop;
using ionhop::testing::barrier_for_factor;
using ionhop::testing::within_errors;

namespace {

constexpr double kT300 = units::kBoltzmann_eV_per_K * 300.0;

kmc::SuperbasinOptions accelerated(kmc::SuperbasinMethod method, kmc::BasinDetection detection) {
  kmc::SuperbasinOptions o;
  o.method = method;
  o.detection = detection;
  o.plain_pilot_events = 0;
  return o;
}

long long total_escapes(const ionhop::testing::Measured& m) {
  long long n = 0;
  for (const auto& r : m.raw[0].replicas) n += r.superbasin.escapes;
  return n;
}

double total(const ionhop::testing::Measured& m, double kmc::SuperbasinStats::*field) {
  double n = 0;
  for (const auto& r : m.raw[0].replicas) n += r.superbasin.*field;
  return n;
}

class TwoRateRing : public ::testing::TestWithParam<kmc::BasinDetection> {};

// Fast bond Γ₁, slow bond Γ₂ = Γ₁/10⁶: D = 2a²Γ₁Γ₂/(Γ₁ + Γ₂) with a the mean spacing.
TEST_P(TwoRateRing, DiffusionMatchesTheClosedFormAtRateRatioTenToTheSix) {
  const double fast_E = 0.10, slow_E = fast_E + barrier_for_factor(1e-6, 300.0);
  auto model = ionhop::testing::make_two_rate_ring(50, fast_E, slow_E);
  const double g1 = 1e13 * std::exp(-fast_E / kT300), g2 = 1e13 * std::exp(-slow_E / kT300);
  ASSERT_NEAR(g1 / g2, 1e6, 1e-3);
  kmc::SweepSettings s;
  s.temperatures_K = {300};
  s.production_time_s = 200000.0 / g2;  // ≈ 200000 slow hops per replica
  s.equilibration_events = 100;
  s.samples = 10000;
  s.max_lag_samples = 10;
  s.replicas = 16;
  s.seed = 11;
  s.superbasin = accelerated(kmc::SuperbasinMethod::kMcamc, GetParam());
  if (GetParam() == kmc::BasinDetection::kBarrier) s.superbasin.barrier_gap_eV = 0.2;
  const auto m = ionhop::testing::measure(model, s);
  const double a_cm = 1e-8;
  const double expected = 2 * a_cm * a_cm * g1 * g2 / (g1 + g2);
  const auto& D = m.transport[0].species[0].D_tracer_cm2_s;
  EXPECT_TRUE(within_errors(D, expected, 3.0));
  EXPECT_LT(D.standard_error / expected, 0.015) << "test too weak to resolve D";
  // The run really was accelerated: each escape stands for ~10⁶ fast hops.
  const long long escapes = total_escapes(m);
  EXPECT_GT(escapes, 16 * 100000);
  EXPECT_GT(total(m, &kmc::SuperbasinStats::internal_jumps_avoided) / escapes, 1e5);
  long long hops = 0;
  for (const auto& r : m.raw[0].replicas) hops += r.events;
  EXPECT_LT(hops, 20 * escapes) << "plain hops should be rare next to escapes";
  std::printf("  two-rate ring (%s): D = %.6g ± %.2g cm²/s, exact %.6g; %lld escapes, %lld plain hops\n",
              GetParam() == kmc::BasinDetection::kBarrier ? "barrier" : "counting", D.value, D.standard_error,
              expected, escapes, hops);
}

INSTANTIATE_TEST_SUITE_P(Detection, TwoRateRing,
                         ::testing::Values(kmc::BasinDetection::kBarrier, kmc::BasinDetection::kCounting),
                         [](const auto& info) {
                           return std::string(info.param == kmc::BasinDetection::kBarrier ? "Barrier" : "Counting");
                         });

// Random traps: the rate out of site i (to each side) is Γ_i; on a periodic ring of N sites
// D = a²/⟨1/Γ⟩ over the ring's own traps. Each replica draws its own realisation, so each
// replica's D is divided by its own exact value; those ratios must average to 1.
TEST(RandomTrapRing, DiffusionIsTheHarmonicMeanOfTheEscapeRates) {
  const int n = 60;
  const double E = 0.30, sigma = 0.04, nu = 1e13;
  auto model = ionhop::testing::make_trap_ring(n, E, sigma, nu);
  kmc::SweepSettings s;
  s.temperatures_K = {300};
  s.equilibration_events = 20000;
  s.samples = 20000;
  s.max_lag_samples = 10;
  s.replicas = 16;
  s.seed = 23;
  s.superbasin = accelerated(kmc::SuperbasinMethod::kMcamc, kmc::BasinDetection::kCounting);
  // The engine draws the traps first, from the replica's own stream, so an engine built the
  // same way sees the same ring.
  std::vector<double> exact_A2_s;
  double mean_inv = 0.0;
  for (int r = 0; r < s.replicas; ++r) {
    kmc::Engine probe(model, 300.0, kmc::Rng(s.seed, kmc::stream_id(0, r)));
    double inv = 0.0;
    for (lattice::SiteIndex i = 0; i < n; ++i) inv += 1.0 / (nu * std::exp(-(E - probe.site_energy_eV(i)) / kT300));
    inv /= n;
    exact_A2_s.push_back(1.0 / inv);
    mean_inv += inv / s.replicas;
  }
  s.production_time_s = 4e5 * mean_inv;  // ≈ 4·10⁵ hops' worth of time: ~100 ring crossings
  const auto m = ionhop::testing::measure(model, s);
  std::vector<double> ratio;
  for (int r = 0; r < s.replicas; ++r)
    ratio.push_back(m.transport[0].replica_fits[r].tracer[0].slope / 2.0 / exact_A2_s[r]);  // d = 1
  const double mean = std::accumulate(ratio.begin(), ratio.end(), 0.0) / ratio.size();
  double var = 0.0;
  for (double x : ratio) var += (x - mean) * (x - mean);
  const bridge::Estimate D_over_exact{mean, std::sqrt(var / (ratio.size() - 1) / ratio.size())};
  EXPECT_TRUE(within_errors(D_over_exact, 1.0, 3.0));
  EXPECT_LT(D_over_exact.standard_error, 0.015) << "test too weak to resolve D";
  long long clamped = 0, hops = 0;
  for (const auto& r : m.raw[0].replicas) {
    clamped += r.clamped_events;
    hops += r.events;
  }
  EXPECT_EQ(clamped, 0) << "traps deeper than the barrier: not the trap model";
  const long long escapes = total_escapes(m);
  EXPECT_GT(escapes, 0);
  std::printf("  random-trap ring: D/(a²/<1/Γ>) = %.4f ± %.4f over %d rings; %lld escapes (%.3g jumps avoided), %lld plain hops\n",
              D_over_exact.value, D_over_exact.standard_error, s.replicas, escapes,
              total(m, &kmc::SuperbasinStats::internal_jumps_avoided), hops);
}

struct CageResult {
  bridge::Estimate D;
  bridge::Estimate c2_occupancy;  // fraction of C2 sites occupied
  long long escapes = 0;
  double wall_s = 0;
};

CageResult run_cages(const ionhop::testing::CageLatticeSpec& spec, kmc::SuperbasinMethod method, double time_s,
                     int replicas, std::uint64_t seed, int max_states = 720, double min_rate_ratio = 100) {
  auto model = ionhop::testing::make_cage_lattice(spec);
  kmc::SweepSettings s;
  s.temperatures_K = {300};
  s.production_time_s = time_s;
  s.equilibration_events = 2000;
  s.samples = 4000;
  s.max_lag_samples = 10;
  s.replicas = replicas;
  s.seed = seed;
  s.superbasin = accelerated(method, kmc::BasinDetection::kBarrier);
  s.superbasin.barrier_gap_eV = 0.05;
  s.superbasin.max_basin_states = max_states;
  s.superbasin.min_rate_ratio = min_rate_ratio;
  const auto m = ionhop::testing::measure(model, s);
  CageResult out;
  out.D = m.transport[0].species[0].D_tracer_cm2_s;
  const int c2 = model->supercell->crystal().type_index("C2");
  std::vector<double> occ;
  for (const auto& r : m.raw[0].replicas) {
    occ.push_back(r.occupancy_per_type[c2]);
    out.escapes += r.superbasin.escapes;
    out.wall_s += r.wall_s;
  }
  const double mean = std::accumulate(occ.begin(), occ.end(), 0.0) / occ.size();
  double var = 0;
  for (double o : occ) var += (o - mean) * (o - mean);
  out.c2_occupancy = {mean, std::sqrt(var / (occ.size() - 1) / occ.size())};
  return out;
}

::testing::AssertionResult agree(const bridge::Estimate& a, const bridge::Estimate& b, double n_sigma) {
  const double se = std::hypot(a.standard_error, b.standard_error);
  if (std::abs(a.value - b.value) <= n_sigma * se) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a.value << " ± " << a.standard_error << " vs " << b.value << " ± "
                                       << b.standard_error << " (" << std::abs(a.value - b.value) / se << " SE)";
}

// One ion, fast/slow ratio 100: local superbasins and plain KMC give the same D and the same
// occupancy of the higher-energy cage sites, which is the exact canonical value.
TEST(CageLattice, OneIonAcceleratedMatchesPlainKmc) {
  ionhop::testing::CageLatticeSpec spec;
  spec.cells = 3;
  spec.ions = 1;
  spec.exit_kra_eV = barrier_for_factor(1.0 / 100.0, 300.0);  // KRA 100× slower than in-cage hops
  const double slow = 1e13 * std::exp(-(spec.exit_kra_eV + spec.bridge_energy_eV / 2) / kT300);
  const double t = 4000.0 / slow;  // ≈ 4000 cage-exit attempts per replica
  const CageResult plain = run_cages(spec, kmc::SuperbasinMethod::kNone, t, 12, 3);
  const CageResult fast = run_cages(spec, kmc::SuperbasinMethod::kLocal, t, 12, 4);
  EXPECT_TRUE(agree(fast.D, plain.D, 3.0));
  EXPECT_TRUE(agree(fast.c2_occupancy, plain.c2_occupancy, 3.0));
  EXPECT_LT(plain.D.standard_error / plain.D.value, 0.06);
  // Exact canonical occupancy of one ion per cell: 4 C1 (0 eV), 2 C2, 3 B sites per cell.
  const double w1 = 4, w2 = 2 * std::exp(-spec.c2_energy_eV / kT300), wb = 3 * std::exp(-spec.bridge_energy_eV / kT300);
  const int cells = spec.cells * spec.cells * spec.cells;
  const double c2_exact = w2 / (w1 + w2 + wb) / (2.0 * cells);
  EXPECT_TRUE(within_errors(fast.c2_occupancy, c2_exact, 3.0));
  EXPECT_GT(fast.escapes, 12 * 500);
  std::printf("  cages, one ion: D plain %.4g ± %.2g, local %.4g ± %.2g cm²/s; C2 occupancy %.5f / %.5f (exact %.5f); "
              "wall %.2f s / %.2f s\n",
              plain.D.value, plain.D.standard_error, fast.D.value, fast.D.standard_error, plain.c2_occupancy.value,
              fast.c2_occupancy.value, c2_exact, plain.wall_s, fast.wall_s);
}

// Half-filled cages: 3×3×3 cages, 81 ions, in-cage/exit ratio 100, ≈ 80 exit attempts per ion
// per replica; plain KMC run once as the reference of every accelerated run.
struct HalfFilledCages {
  ionhop::testing::CageLatticeSpec spec;
  double time_s = 0;
  CageResult plain;
};

const HalfFilledCages& half_filled_cages() {
  static const HalfFilledCages h = [] {
    HalfFilledCages out;
    out.spec.cells = 3;
    out.spec.ions = 3 * 27;
    out.spec.exit_kra_eV = barrier_for_factor(1.0 / 100.0, 300.0);
    const double slow = 1e13 * std::exp(-(out.spec.exit_kra_eV + out.spec.bridge_energy_eV / 2) / kT300);
    out.time_s = 80.0 / slow;
    out.plain = run_cages(out.spec, kmc::SuperbasinMethod::kNone, out.time_s, 8, 5);
    return out;
  }();
  return h;
}

// Half-filled cages (3 ions per 6-site cage on average) with site exclusion, ratio 100: the
// ions of a cage form one local superbasin (their joint arrangements), exact while no ion sits
// on a bridge next to it. At most 120 states (up to 3 ions a cage; cages holding more fall
// back to plain KMC), which keeps the basin solves cheap at this low ratio.
TEST(CageLattice, HalfFilledAcceleratedMatchesPlainKmc) {
  const HalfFilledCages& h = half_filled_cages();
  const auto& spec = h.spec;
  const double t = h.time_s;
  const CageResult& plain = h.plain;
  const CageResult fast = run_cages(spec, kmc::SuperbasinMethod::kLocal, t, 8, 6, 120);
  EXPECT_TRUE(agree(fast.D, plain.D, 3.0));
  EXPECT_TRUE(agree(fast.c2_occupancy, plain.c2_occupancy, 3.0));
  EXPECT_LT(plain.D.standard_error / plain.D.value, 0.03);
  EXPECT_GT(fast.escapes, 8 * 1000);
  std::printf("  cages, half filled: D plain %.4g ± %.2g, local %.4g ± %.2g cm²/s; C2 occupancy %.5f ± %.5f / %.5f ± %.5f; "
              "%lld escapes; wall %.2f s / %.2f s\n",
              plain.D.value, plain.D.standard_error, fast.D.value, fast.D.standard_error, plain.c2_occupancy.value,
              plain.c2_occupancy.standard_error, fast.c2_occupancy.value, fast.c2_occupancy.standard_error,
              fast.escapes, plain.wall_s, fast.wall_s);
}

// Rate scaling on the two-rate ring: the fast bond is slowed to min_rate_ratio·Γ₂ and nothing
// else changes, so the run must give exactly the closed form at the scaled rate, whose bias
// against the true D is −1/(1 + min_rate_ratio): the bias is that of the scaled model, known
// here, measured by the cage test below where it is not.
TEST(RateScaling, TwoRateRingGivesTheClosedFormOfTheScaledRates) {
  const double fast_E = 0.10, slow_E = fast_E + barrier_for_factor(1e-6, 300.0);
  auto model = ionhop::testing::make_two_rate_ring(50, fast_E, slow_E);
  const double g2 = 1e13 * std::exp(-slow_E / kT300);
  for (double ratio : {3.0, 30.0}) {
    kmc::SweepSettings s;
    s.temperatures_K = {300};
    s.production_time_s = 20000.0 / g2;
    s.equilibration_events = 100;
    s.samples = 4000;
    s.max_lag_samples = 10;
    s.replicas = 16;
    s.seed = 13;
    s.superbasin = accelerated(kmc::SuperbasinMethod::kRateScaling, kmc::BasinDetection::kBarrier);
    s.superbasin.min_rate_ratio = ratio;
    const auto plan = kmc::plan_rate_scaling(*model, 300.0, s.superbasin);
    const double g1_scaled = 1e13 * std::exp(-fast_E / kT300) * *std::min_element(plan.class_scale.begin(), plan.class_scale.end());
    ASSERT_NEAR(g1_scaled / g2, ratio, 1e-9 * ratio);
    const auto m = ionhop::testing::measure(model, s);
    const double a_cm = 1e-8;
    const double scaled = 2 * a_cm * a_cm * g1_scaled * g2 / (g1_scaled + g2);
    const auto& D = m.transport[0].species[0].D_tracer_cm2_s;
    EXPECT_TRUE(within_errors(D, scaled, 3.0)) << "ratio " << ratio;
    EXPECT_LT(D.standard_error / scaled, 0.03);
    std::printf("  rate scaling, two-rate ring, ratio kept %g: D = %.5g ± %.2g, scaled-model exact %.5g, true %.5g (bias %.1f %%)\n",
                ratio, D.value, D.standard_error, scaled, 2 * a_cm * a_cm * g2, 100 * (scaled / (2 * a_cm * a_cm * g2) - 1));
  }
}

// Rate scaling on half-filled cages (native ratio 100): the bias against plain KMC is
// measured. Kept ratio 30: within the statistical error of this run. Kept ratio 10: a real,
// resolved bias of a few per cent (recorded in docs/superbasin.md), bounded here.
TEST(RateScaling, HalfFilledCagesBiasAgainstPlainKmc) {
  const HalfFilledCages& h = half_filled_cages();
  const auto& spec = h.spec;
  const double t = h.time_s;
  const CageResult& plain = h.plain;
  for (double kept : {30.0, 10.0}) {
    const CageResult scaled = run_cages(spec, kmc::SuperbasinMethod::kRateScaling, t, 8, 7, 720, kept);
    const bridge::Estimate& D = scaled.D;
    const double wall = scaled.wall_s;
    const double bias = D.value / plain.D.value - 1;
    if (kept >= 30)
      EXPECT_TRUE(agree(D, plain.D, 3.0));
    else
      EXPECT_LT(std::abs(bias), 0.08);
    std::printf("  rate scaling, half-filled cages (100 → %g): D %.4g ± %.2g vs plain %.4g ± %.2g (bias %+.1f %% ± %.1f %%); "
                "wall %.2f s vs %.2f s\n",
                kept, D.value, D.standard_error, plain.D.value, plain.D.standard_error, 100 * bias,
                100 * std::hypot(D.standard_error, plain.D.standard_error) / plain.D.value, wall, plain.wall_s);
  }
}

}  // namespace
