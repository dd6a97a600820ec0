#pragma once
/// Transport coefficients with standard errors from replica MSD curves at one temperature
/// (DESIGN.md §4): tracer and collective diffusion, Haven ratio, species and total conductivity.
#include <string>
#include <vector>

#include "bridge/Estimate.hpp"
#include "bridge/LinearFit.hpp"
#include "bridge/MsdSeries.hpp"
#include "bridge/MsdSlope.hpp"

namespace ionhop::bridge {

/// Transport of one mobile species.
struct SpeciesTransport {
  std::string name;
  int charge = 0;                      ///< z [e]
  long long count = 0;                 ///< N
  Estimate D_tracer_cm2_s;             ///< D* = slope(tracer MSD)/(2d) [cm²/s]
  Estimate D_sigma_cm2_s;              ///< D_σ = slope(collective MSD)/(2dN) [cm²/s]
  /// H_R = D*/D_σ (ratio of replica means, jackknife error). NaN when the replica-mean D_σ is
  /// not positive (collective motion unresolved); NaN error when any leave-one-out D_σ is not.
  Estimate haven_ratio;
  Estimate sigma_S_cm;                 ///< σ = N z² e² D_σ /(V k_B T) [S/cm]
  Estimate sigma_NE_S_cm;              ///< Nernst–Einstein σ_NE = N z² e² D* /(V k_B T) [S/cm]
};

/// The MSD lines fitted in one replica (x = lag [s], y = MSD): for plots and for the record.
struct ReplicaMsdFits {
  std::vector<LinearFit> tracer;       ///< per species [Å²], [Å²/s]
  std::vector<LinearFit> collective;   ///< per species [Å²], [Å²/s]
  LinearFit charge;                    ///< [e²Å²], [e²Å²/s]
};

/// Everything estimated at one temperature.
struct TemperatureTransport {
  double temperature_K = 0.0;
  int replicas = 0;                    ///< R; every standard error is NaN when R = 1
  LagRange fit_lags;                   ///< lags k (1-based, inclusive) used in every MSD fit
  std::vector<SpeciesTransport> species;
  /// σ = slope(charge MSD) e² /(2 d V k_B T) [S/cm], including cross-species correlations.
  Estimate sigma_total_S_cm;
  Estimate sigma_NE_total_S_cm;        ///< Σ over species of σ_NE [S/cm]
  /// σ_NE_total / σ_total (jackknife error); NaN when the replica-mean σ_total is not positive.
  Estimate haven_ratio_total;
  std::vector<ReplicaMsdFits> replica_fits;  ///< one per replica, in input order
};

/// Fits MSD(τ) = a + bτ over `window` in every replica, turns the slopes into transport
/// coefficients and averages over replicas.
///
/// Errors: replicas are independent, so quantities linear in the slopes (D*, D_σ, σ, σ_NE)
/// get the standard error of the replica mean, s/√R; ratios (Haven ratios) use the delete-one
/// jackknife over replicas. With R = 1 every standard error is NaN: error bars need R ≥ 2.
///
/// Throws EstimationError when the input is inconsistent: non-positive T, V or lags,
/// dimension outside 1..3, no replicas, replicas that disagree on species (name, charge, count),
/// curves whose length differs from lag_s, non-finite values, or a window with < 2 lags.
[[nodiscard]] TemperatureTransport estimate_transport(const TemperatureMsd& msd,
                                                      const FitWindow& window);

}  // namespace ionhop::bridge
