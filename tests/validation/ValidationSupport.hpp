#pragma once
// Runs a model through the sweep and the bridge estimators, as `ionhop run` does.
#include <memory>

#include "app/TransportAnalysis.hpp"
#include "bridge/TransportEstimator.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::testing {

struct Measured {
  std::vector<kmc::TemperatureResult> raw;
  std::vector<bridge::TemperatureTransport> transport;
};

inline Measured measure(std::shared_ptr<const kmc::Model> model, const kmc::SweepSettings& s,
                        double fit_from = 0.2) {
  Measured m;
  m.raw = kmc::run_sweep(model, s);
  const int d = model->network->dimension();
  for (const auto& t : m.raw)
    m.transport.push_back(bridge::estimate_transport(
        app::to_bridge_msd(t, *model, model->supercell->volume_A3(), d), {fit_from, 1.0}));
  return m;
}

/// |measured − expected| within `n_sigma` standard errors.
inline ::testing::AssertionResult within_errors(const bridge::Estimate& e, double expected, double n_sigma = 4.0) {
  const double dev = std::abs(e.value - expected);
  if (std::isfinite(e.standard_error) && dev <= n_sigma * e.standard_error) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "measured " << e.value << " ± " << e.standard_error << ", expected "
                                       << expected << " (deviation " << dev / e.standard_error << " SE)";
}

}  // namespace ionhop::testing
