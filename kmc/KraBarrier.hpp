#pragma once
/// Kinetically resolved activation barrier (Van der Ven et al., PRB 64, 184307 (2001)):
/// E_a = E_KRA + (E_f − E_i)/2, clamped to at least max(0, E_f − E_i). With this form
/// Γ_{i→f}/Γ_{f→i} = exp(−(E_f − E_i)/k_BT) exactly, clamped or not.
#include <algorithm>

namespace ionhop::kmc {

struct ActivationEnergy {
  double value_eV = 0.0;
  bool clamped = false;  ///< the KRA value fell below max(0, ΔE) and was raised to it
};

inline ActivationEnergy kra_activation_energy(double e_kra_eV, double delta_e_eV) {
  const double ea = e_kra_eV + 0.5 * delta_e_eV;
  const double floor = std::max(0.0, delta_e_eV);
  if (ea < floor) return {floor, true};
  return {ea, false};
}

}  // namespace ionhop::kmc
