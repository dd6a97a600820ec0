#include "neb/CoulombDsf.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "neb/CoulombCharges.hpp"
#include "neb/CoulombEwaldErfc.hpp"

namespace ionhop::neb {
namespace {
constexpr double kPi = 3.14159265358979323846;
}

CoulombDsf::CoulombDsf(std::map<std::string, double> charges_e, double cutoff_A, double alpha_per_A)
    : charges_(std::move(charges_e)), cutoff_(cutoff_A), alpha_(alpha_per_A) {
  if (!(cutoff_A > 0.0)) throw std::invalid_argument("coulomb_dsf: cutoff_A must be positive");
  if (!(alpha_per_A >= 0.0)) throw std::invalid_argument("coulomb_dsf: alpha_per_A must be non-negative");
}

void CoulombDsf::accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                            PotentialResult& result) const {
  const std::vector<double> q = charges_of(s, charges_, name());
  const double rc = cutoff_;
  const double two_alpha_over_sqrt_pi = 2.0 * alpha_ / std::sqrt(kPi);
  const double e_shift = std::erfc(alpha_ * rc) / rc;
  const double f_shift = std::erfc(alpha_ * rc) / (rc * rc) + two_alpha_over_sqrt_pi * std::exp(-alpha_ * alpha_ * rc * rc) / rc;
  const double self = -(0.5 * e_shift + alpha_ / std::sqrt(kPi)) * kCoulomb_eV_A;
  accumulate_pairs(pairs, s, cutoff_, req, result, [&](int i, int j, double r2) -> PairTerm {
    const double qq = kCoulomb_eV_A * q[static_cast<std::size_t>(i)] * q[static_cast<std::size_t>(j)];
    if (qq == 0.0) return {};
    const double r = std::sqrt(r2);
    const double gaussian = std::exp(-alpha_ * alpha_ * r2);
    const double erfc_r = erfc_from_gaussian(alpha_ * r, gaussian) / r;
    const double dphi = qq * (-(erfc_r + two_alpha_over_sqrt_pi * gaussian) / r + f_shift);
    return {qq * (erfc_r - e_shift + f_shift * (r - rc)), dphi / r};
  });
  double e_self = 0.0;
  for (double x : q) e_self += self * x * x;
  result.energy_eV += e_self;
}

}  // namespace ionhop::neb
