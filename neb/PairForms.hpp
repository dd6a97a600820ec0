#pragma once
/// Analytic short-range pair forms φ(r) with their derivatives dφ/dr, one struct each.
/// PairPotential<Form> sums them over neighbour pairs with an energy shift at the cutoff.
#include <cmath>

namespace ionhop::neb {

struct PairValue {
  double energy_eV = 0.0;       ///< φ(r) [eV]
  double derivative_eV_A = 0.0; ///< dφ/dr [eV/Å]
};

/// φ = 4ε[(σ/r)¹² − (σ/r)⁶].
struct LennardJonesForm {
  struct Params {
    double epsilon_eV = 0.0;
    double sigma_A = 1.0;
  };
  static constexpr const char* name = "lennard_jones";
  static PairValue evaluate(const Params& p, double r) {
    const double s2 = (p.sigma_A * p.sigma_A) / (r * r);
    const double s6 = s2 * s2 * s2;
    return {4.0 * p.epsilon_eV * (s6 * s6 - s6), 4.0 * p.epsilon_eV * (-12.0 * s6 * s6 + 6.0 * s6) / r};
  }
};

/// φ = D[(1 − e^{−α(r−r₀)})² − 1] = D[e^{−2α(r−r₀)} − 2e^{−α(r−r₀)}] (minimum −D at r₀).
struct MorseForm {
  struct Params {
    double D_eV = 0.0;
    double alpha_per_A = 1.0;
    double r0_A = 1.0;
  };
  static constexpr const char* name = "morse";
  static PairValue evaluate(const Params& p, double r) {
    const double x = std::exp(-p.alpha_per_A * (r - p.r0_A));
    return {p.D_eV * (x * x - 2.0 * x), 2.0 * p.alpha_per_A * p.D_eV * (x - x * x)};
  }
};

/// φ = A e^{−r/ρ} − C/r⁶.
struct BuckinghamForm {
  struct Params {
    double A_eV = 0.0;
    double rho_A = 1.0;
    double C_eV_A6 = 0.0;
  };
  static constexpr const char* name = "buckingham";
  static PairValue evaluate(const Params& p, double r) {
    const double e = p.A_eV * std::exp(-r / p.rho_A);
    const double r2 = r * r;
    const double r6 = r2 * r2 * r2;
    return {e - p.C_eV_A6 / r6, -e / p.rho_A + 6.0 * p.C_eV_A6 / (r6 * r)};
  }
};

/// φ = B/r¹² (the repulsive wall of the Pedone force field).
struct RepulsionR12Form {
  struct Params {
    double B_eV_A12 = 0.0;
  };
  static constexpr const char* name = "repulsion_r12";
  static PairValue evaluate(const Params& p, double r) {
    const double r2 = r * r;
    const double r6 = r2 * r2 * r2;
    const double e = p.B_eV_A12 / (r6 * r6);
    return {e, -12.0 * e / r};
  }
};

}  // namespace ionhop::neb
