#pragma once
/// From raw sweep output to transport coefficients and Arrhenius fits, through bridge/.
#include <optional>
#include <string>
#include <vector>

#include "app/StudySetup.hpp"
#include "bridge/ArrheniusFit.hpp"
#include "bridge/TransportEstimator.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::app {

struct StudyAnalysis {
  std::vector<bridge::TemperatureTransport> transport;      ///< per temperature, input order
  std::optional<bridge::ArrheniusFit> sigmaT_fit;           ///< ln(σ_total T) vs 1/T
  std::vector<std::optional<bridge::ArrheniusFit>> D_fits;  ///< ln D* vs 1/T, per mobile species
  std::vector<std::string> warnings;                        ///< why a fit was not made, etc.
};

/// The bridge's view of one temperature's raw results: lags k·Δt, per-replica MSD curves.
bridge::TemperatureMsd to_bridge_msd(const kmc::TemperatureResult& raw, const kmc::Model& model,
                                     double volume_A3, int dimension);

StudyAnalysis analyse(const StudySetup& setup, const std::vector<kmc::TemperatureResult>& raw);

}  // namespace ionhop::app
