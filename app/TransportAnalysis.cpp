#include "app/TransportAnalysis.hpp"

#include <cmath>

#include "bridge/EstimationError.hpp"

namespace ionhop::app {

bridge::TemperatureMsd to_bridge_msd(const kmc::TemperatureResult& raw, const kmc::Model& model,
                                     double volume_A3, int dimension) {
  bridge::TemperatureMsd t;
  t.temperature_K = raw.temperature_K;
  t.volume_A3 = volume_A3;
  t.dimension = dimension;
  const std::size_t lags = raw.replicas.empty() ? 0 : raw.replicas.front().msd.charge_e2A2.size();
  for (std::size_t k = 0; k < lags; ++k) t.lag_s.push_back(static_cast<double>(k + 1) * raw.sample_interval_s);
  for (const auto& rep : raw.replicas) {
    bridge::ReplicaMsd r;
    for (int s = 0; s < model.n_mobile(); ++s)
      r.species.push_back({model.species[s].name, model.species[s].charge, model.species[s].count,
                           rep.msd.tracer_A2[s], rep.msd.collective_A2[s]});
    r.charge_e2A2 = rep.msd.charge_e2A2;
    t.replicas.push_back(std::move(r));
  }
  return t;
}

StudyAnalysis analyse(const StudySetup& setup, const std::vector<kmc::TemperatureResult>& raw) {
  StudyAnalysis a;
  const kmc::Model& model = *setup.model;
  for (const auto& t : raw) {
    for (const auto& rep : t.replicas)
      if (!rep.msd.origins.empty() && rep.msd.origins.back() == 0)
        throw bridge::EstimationError("at T = " + std::to_string(t.temperature_K) +
                                      " K a replica took fewer samples than max_lag_samples: "
                                      "lengthen the run or lower max_lag_samples");
    a.transport.push_back(bridge::estimate_transport(
        to_bridge_msd(t, model, setup.volume_A3, setup.dimension), setup.fit));
  }
  if (raw.size() < 2) {
    a.warnings.push_back("one temperature: no Arrhenius fit");
    a.D_fits.assign(model.n_mobile(), std::nullopt);
    return a;
  }
  std::vector<double> T;
  std::vector<bridge::Estimate> sigma;
  for (const auto& t : a.transport) {
    T.push_back(t.temperature_K);
    sigma.push_back(t.sigma_total_S_cm);
  }
  try {
    a.sigmaT_fit = bridge::fit_arrhenius_sigmaT(T, sigma);
  } catch (const bridge::EstimationError& e) {
    a.warnings.push_back(std::string("no Arrhenius fit of σT: ") + e.what());
  }
  for (int s = 0; s < model.n_mobile(); ++s) {
    std::vector<bridge::Estimate> D;
    for (const auto& t : a.transport) D.push_back(t.species[s].D_tracer_cm2_s);
    try {
      a.D_fits.push_back(bridge::fit_arrhenius_D(T, D));
    } catch (const bridge::EstimationError& e) {
      a.D_fits.push_back(std::nullopt);
      a.warnings.push_back("no Arrhenius fit of D*(" + model.species[s].name + "): " + e.what());
    }
  }
  return a;
}

}  // namespace ionhop::app
