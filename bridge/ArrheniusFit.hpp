#pragma once
/// Arrhenius fits with uncertainty: ln(σT) or ln D against 1/T by weighted least squares,
/// activation energy, prefactor and extrapolation to another temperature (DESIGN.md §4).
#include <vector>

#include "bridge/Estimate.hpp"

namespace ionhop::bridge {

/// Which law was fitted; decides what ArrheniusFit::extrapolate returns.
enum class ArrheniusQuantity {
  ConductivityTimesTemperature,  ///< σT = A exp(−E_a/k_BT); A in (unit of σ)·K
  Diffusivity,                   ///< D = A exp(−E_a/k_BT); A in the unit of D
};

/// Result of an Arrhenius fit of y = ln A − E_a/(k_B T).
///
/// Error convention: the parameter covariance is (XᵀWX)⁻¹ from the input standard errors,
/// multiplied by χ²/dof when dof > 0 and χ²/dof > 1 (Birge ratio). Inflating only, never
/// shrinking, keeps the error honest when the points scatter more than their error bars say
/// (non-Arrhenius curvature, underestimated replica errors) without trusting a lucky small χ².
struct ArrheniusFit {
  ArrheniusQuantity quantity = ArrheniusQuantity::ConductivityTimesTemperature;
  double Ea_eV = 0.0;                 ///< activation energy E_a [eV]
  double Ea_stderr_eV = 0.0;          ///< its standard error [eV]
  double ln_prefactor = 0.0;          ///< ln A (A in the units stated by `quantity`)
  double ln_prefactor_stderr = 0.0;
  double cov_ln_prefactor_Ea_eV = 0.0;  ///< Cov(ln A, E_a) [eV]
  double chi2_per_dof = 0.0;          ///< reduced χ² of the weighted fit; NaN with 2 points
  double error_scale = 1.0;           ///< √max(1, χ²/dof) applied to the standard errors above
  int points = 0;

  /// The fitted law at T [K] with its standard error from the full parameter covariance
  /// (delta method: SE = value · SE(ln value)). Returns σ(T) = A exp(−E_a/k_BT)/T for
  /// ConductivityTimesTemperature and D(T) = A exp(−E_a/k_BT) for Diffusivity.
  [[nodiscard]] Estimate extrapolate(double T_K) const;
};

/// Fits ln(σT) against 1/T. `sigma` holds σ ± SE per temperature (any unit, usually S/cm);
/// the weight of a point is 1/(SE/σ)², the variance of ln σ to first order.
/// Throws EstimationError when sizes differ, fewer than 2 points or 2 distinct temperatures are
/// given, a temperature is not > 0, a value is not > 0 (ln undefined), or an SE is not finite
/// and > 0 (a single replica gives NaN errors: run R ≥ 2).
[[nodiscard]] ArrheniusFit fit_arrhenius_sigmaT(const std::vector<double>& T_K,
                                                const std::vector<Estimate>& sigma);

/// Fits ln D against 1/T; same weighting and failure modes as fit_arrhenius_sigmaT.
[[nodiscard]] ArrheniusFit fit_arrhenius_D(const std::vector<double>& T_K,
                                           const std::vector<Estimate>& D);

}  // namespace ionhop::bridge
