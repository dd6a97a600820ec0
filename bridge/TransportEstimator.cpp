#include "bridge/TransportEstimator.hpp"

#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "bridge/Conductivity.hpp"
#include "bridge/EstimationError.hpp"
#include "bridge/Jackknife.hpp"
#include "bridge/SampleStatistics.hpp"

namespace ionhop::bridge {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The fitted MSD slopes of one replica: the per-replica sample that all statistics use.
struct ReplicaSlopes {
  std::vector<double> tracer_A2_s;      ///< per species
  std::vector<double> collective_A2_s;  ///< per species
  double charge_e2A2_s = 0.0;
};

void check_curve(const std::vector<double>& curve, std::size_t lags, const std::string& what) {
  if (curve.size() != lags)
    throw EstimationError(what + " has " + std::to_string(curve.size()) + " values for " +
                          std::to_string(lags) + " lags");
  for (double v : curve)
    if (!std::isfinite(v)) throw EstimationError(what + " contains a non-finite value");
}

void validate(const TemperatureMsd& msd) {
  const std::string at = "at T = " + std::to_string(msd.temperature_K) + " K: ";
  if (!(msd.temperature_K > 0.0) || !std::isfinite(msd.temperature_K))
    throw EstimationError("temperature must be finite and > 0 K, got " +
                          std::to_string(msd.temperature_K));
  if (!(msd.volume_A3 > 0.0) || !std::isfinite(msd.volume_A3))
    throw EstimationError(at + "cell volume must be finite and > 0 A^3, got " +
                          std::to_string(msd.volume_A3));
  if (msd.dimension < 1 || msd.dimension > 3)
    throw EstimationError(at + "hop-network dimension must be 1, 2 or 3, got " +
                          std::to_string(msd.dimension));
  if (msd.replicas.empty()) throw EstimationError(at + "no replicas");
  const std::size_t lags = msd.lag_s.size();
  for (std::size_t k = 0; k < lags; ++k) {
    if (!(msd.lag_s[k] > 0.0) || !std::isfinite(msd.lag_s[k]))
      throw EstimationError(at + "lag " + std::to_string(k + 1) + " must be finite and > 0 s");
    if (k > 0 && !(msd.lag_s[k] > msd.lag_s[k - 1]))
      throw EstimationError(at + "lags must be strictly increasing (lag " + std::to_string(k + 1) +
                            ")");
  }
  const ReplicaMsd& reference = msd.replicas.front();
  if (reference.species.empty()) throw EstimationError(at + "replica 0 has no mobile species");
  for (std::size_t r = 0; r < msd.replicas.size(); ++r) {
    const ReplicaMsd& replica = msd.replicas[r];
    const std::string where = at + "replica " + std::to_string(r);
    if (replica.species.size() != reference.species.size())
      throw EstimationError(where + " has " + std::to_string(replica.species.size()) +
                            " species, replica 0 has " + std::to_string(reference.species.size()));
    for (std::size_t s = 0; s < replica.species.size(); ++s) {
      const SpeciesMsd& sp = replica.species[s];
      const SpeciesMsd& ref = reference.species[s];
      const std::string label = where + " species '" + sp.name + "'";
      if (sp.name != ref.name || sp.charge != ref.charge || sp.count != ref.count)
        throw EstimationError(label + " (z = " + std::to_string(sp.charge) + ", N = " +
                              std::to_string(sp.count) + ") differs from replica 0's '" +
                              ref.name + "' (z = " + std::to_string(ref.charge) + ", N = " +
                              std::to_string(ref.count) + ")");
      if (sp.count <= 0) throw EstimationError(label + " has no ions (N must be > 0)");
      check_curve(sp.tracer_A2, lags, label + " tracer MSD");
      check_curve(sp.collective_A2, lags, label + " collective MSD");
    }
    check_curve(replica.charge_e2A2, lags, where + " charge MSD");
  }
}

double mean_of(std::span<const ReplicaSlopes> samples, auto member) {
  double sum = 0.0;
  for (const ReplicaSlopes& s : samples) sum += member(s);
  return sum / static_cast<double>(samples.size());
}

Estimate as_estimate(const JackknifeEstimate& j) { return {j.value, j.standard_error}; }

double ratio_if_positive(double numerator, double denominator) {
  return denominator > 0.0 ? numerator / denominator : kNaN;
}

}  // namespace

TemperatureTransport estimate_transport(const TemperatureMsd& msd, const FitWindow& window) {
  validate(msd);
  const std::size_t species_count = msd.replicas.front().species.size();
  const double two_d = 2.0 * msd.dimension;

  TemperatureTransport result;
  result.temperature_K = msd.temperature_K;
  result.replicas = static_cast<int>(msd.replicas.size());
  result.fit_lags = lag_range(window, static_cast<int>(msd.lag_s.size()));

  std::vector<ReplicaSlopes> slopes;
  slopes.reserve(msd.replicas.size());
  for (const ReplicaMsd& replica : msd.replicas) {
    ReplicaMsdFits fits;
    ReplicaSlopes sample;
    for (const SpeciesMsd& sp : replica.species) {
      fits.tracer.push_back(fit_msd_line(msd.lag_s, sp.tracer_A2, window));
      fits.collective.push_back(fit_msd_line(msd.lag_s, sp.collective_A2, window));
      sample.tracer_A2_s.push_back(fits.tracer.back().slope);
      sample.collective_A2_s.push_back(fits.collective.back().slope);
    }
    fits.charge = fit_msd_line(msd.lag_s, replica.charge_e2A2, window);
    sample.charge_e2A2_s = fits.charge.slope;
    result.replica_fits.push_back(std::move(fits));
    slopes.push_back(std::move(sample));
  }

  const double T = msd.temperature_K;
  const double V = msd.volume_A3;
  for (std::size_t s = 0; s < species_count; ++s) {
    const SpeciesMsd& sp = msd.replicas.front().species[s];
    const double N = static_cast<double>(sp.count);
    const auto tracer_D = [&](std::span<const ReplicaSlopes> x) {
      return mean_of(x, [&](const ReplicaSlopes& r) { return r.tracer_A2_s[s]; }) / two_d;
    };
    const auto collective_D = [&](std::span<const ReplicaSlopes> x) {
      return mean_of(x, [&](const ReplicaSlopes& r) { return r.collective_A2_s[s]; }) /
             (two_d * N);
    };

    std::vector<double> tracer_per_replica, collective_per_replica;
    for (const ReplicaSlopes& r : slopes) {
      tracer_per_replica.push_back(A2_per_s_to_cm2_per_s(r.tracer_A2_s[s] / two_d));
      collective_per_replica.push_back(A2_per_s_to_cm2_per_s(r.collective_A2_s[s] / (two_d * N)));
    }

    SpeciesTransport out;
    out.name = sp.name;
    out.charge = sp.charge;
    out.count = sp.count;
    out.D_tracer_cm2_s = mean_with_standard_error(tracer_per_replica);
    out.D_sigma_cm2_s = mean_with_standard_error(collective_per_replica);
    out.haven_ratio = as_estimate(jackknife(slopes, [&](std::span<const ReplicaSlopes> x) {
      return ratio_if_positive(tracer_D(x), collective_D(x));
    }));
    out.sigma_S_cm = as_estimate(jackknife(slopes, [&](std::span<const ReplicaSlopes> x) {
      return nernst_einstein_conductivity_S_cm(N, sp.charge, collective_D(x), V, T);
    }));
    out.sigma_NE_S_cm = as_estimate(jackknife(slopes, [&](std::span<const ReplicaSlopes> x) {
      return nernst_einstein_conductivity_S_cm(N, sp.charge, tracer_D(x), V, T);
    }));
    result.species.push_back(std::move(out));
  }

  const auto sigma_total = [&](std::span<const ReplicaSlopes> x) {
    return conductivity_from_charge_msd_slope_S_cm(
        mean_of(x, [](const ReplicaSlopes& r) { return r.charge_e2A2_s; }), msd.dimension, V, T);
  };
  const auto sigma_NE_total = [&](std::span<const ReplicaSlopes> x) {
    double sum = 0.0;
    for (std::size_t s = 0; s < species_count; ++s) {
      const SpeciesMsd& sp = msd.replicas.front().species[s];
      const double D = mean_of(x, [&](const ReplicaSlopes& r) { return r.tracer_A2_s[s]; }) / two_d;
      sum += nernst_einstein_conductivity_S_cm(static_cast<double>(sp.count), sp.charge, D, V, T);
    }
    return sum;
  };
  result.sigma_total_S_cm = as_estimate(jackknife(slopes, sigma_total));
  result.sigma_NE_total_S_cm = as_estimate(jackknife(slopes, sigma_NE_total));
  result.haven_ratio_total = as_estimate(jackknife(slopes, [&](std::span<const ReplicaSlopes> x) {
    return ratio_if_positive(sigma_NE_total(x), sigma_total(x));
  }));
  return result;
}

}  // namespace ionhop::bridge
