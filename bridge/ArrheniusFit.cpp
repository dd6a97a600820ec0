#include "bridge/ArrheniusFit.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "bridge/EstimationError.hpp"
#include "bridge/LinearFit.hpp"
#include "lattice/Units.hpp"

namespace ionhop::bridge {

namespace {

std::string describe_point(const char* what, double T, const Estimate& e) {
  std::ostringstream out;
  out << what << " at T = " << T << " K is " << e.value << " +/- " << e.standard_error;
  return out.str();
}

ArrheniusFit fit(ArrheniusQuantity quantity, const std::vector<double>& T_K,
                 const std::vector<Estimate>& values) {
  const char* what =
      quantity == ArrheniusQuantity::Diffusivity ? "Arrhenius fit of D: D" : "Arrhenius fit of sigma*T: sigma";
  if (T_K.size() != values.size())
    throw EstimationError(std::string(what) + ": " + std::to_string(T_K.size()) +
                          " temperatures but " + std::to_string(values.size()) + " values");
  if (T_K.size() < 2)
    throw EstimationError(std::string(what) + ": needs at least 2 temperatures, got " +
                          std::to_string(T_K.size()));

  std::vector<double> x, y, sigma_y;
  for (std::size_t i = 0; i < T_K.size(); ++i) {
    const double T = T_K[i];
    const Estimate& e = values[i];
    if (!(T > 0.0) || !std::isfinite(T))
      throw EstimationError(std::string(what) + ": temperature " + std::to_string(T) +
                            " K must be finite and > 0");
    if (!(e.value > 0.0) || !std::isfinite(e.value))
      throw EstimationError(describe_point(what, T, e) +
                            "; it must be > 0 to take the logarithm (drop unresolved points)");
    if (!(e.standard_error > 0.0) || !std::isfinite(e.standard_error))
      throw EstimationError(describe_point(what, T, e) +
                            "; a weighted fit needs a finite standard error > 0 (use >= 2 replicas)");
    x.push_back(1.0 / T);
    const double fitted = quantity == ArrheniusQuantity::Diffusivity ? e.value : e.value * T;
    y.push_back(std::log(fitted));
    // Var(ln v) ≈ (SE/v)²; multiplying by the exact T does not change the relative error.
    sigma_y.push_back(e.standard_error / e.value);
  }

  const LinearFit line = fit_line_weighted(x, y, sigma_y);
  const double kB = units::kBoltzmann_eV_per_K;
  ArrheniusFit result;
  result.quantity = quantity;
  result.points = line.points;
  result.chi2_per_dof = line.chi2_per_dof();
  const double variance_scale =
      line.degrees_of_freedom > 0 && result.chi2_per_dof > 1.0 ? result.chi2_per_dof : 1.0;
  result.error_scale = std::sqrt(variance_scale);
  // slope = −E_a/k_B, intercept = ln A.
  result.Ea_eV = -line.slope * kB;
  result.Ea_stderr_eV = std::sqrt(line.var_slope * variance_scale) * kB;
  result.ln_prefactor = line.intercept;
  result.ln_prefactor_stderr = std::sqrt(line.var_intercept * variance_scale);
  result.cov_ln_prefactor_Ea_eV = -line.cov_intercept_slope * variance_scale * kB;
  return result;
}

}  // namespace

Estimate ArrheniusFit::extrapolate(double T_K) const {
  if (!(T_K > 0.0) || !std::isfinite(T_K))
    throw EstimationError("Arrhenius extrapolation needs a finite temperature > 0 K, got " +
                          std::to_string(T_K));
  // ln f = ln A − E_a/(k_B T) ⇒ Var(ln f) = Var(ln A) + u² Var(E_a) − 2u Cov(ln A, E_a),
  // with u = 1/(k_B T).
  const double u = 1.0 / (units::kBoltzmann_eV_per_K * T_K);
  const double ln_f = ln_prefactor - Ea_eV * u;
  const double variance = ln_prefactor_stderr * ln_prefactor_stderr +
                          u * u * Ea_stderr_eV * Ea_stderr_eV - 2.0 * u * cov_ln_prefactor_Ea_eV;
  double value = std::exp(ln_f);
  if (quantity == ArrheniusQuantity::ConductivityTimesTemperature) value /= T_K;
  return {value, value * std::sqrt(std::max(variance, 0.0))};
}

ArrheniusFit fit_arrhenius_sigmaT(const std::vector<double>& T_K,
                                  const std::vector<Estimate>& sigma) {
  return fit(ArrheniusQuantity::ConductivityTimesTemperature, T_K, sigma);
}

ArrheniusFit fit_arrhenius_D(const std::vector<double>& T_K, const std::vector<Estimate>& D) {
  return fit(ArrheniusQuantity::Diffusivity, T_K, D);
}

}  // namespace ionhop::bridge
