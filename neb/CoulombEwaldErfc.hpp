#pragma once
/// erfc(x) given e^{−x²}, for the real-space Ewald and DSF loops, which need e^{−x²} for the
/// force anyway: W. J. Cody's rational Chebyshev approximations (Math. Comp. 23, 631 (1969);
/// the coefficients of his netlib SPECFUN routine CALERF), erfc(x) = e^{−x²} R(x) for
/// 0.46875 ≤ x ≤ 4 and e^{−x²}/x (1/√π − R(1/x²)/x²) above, relative error near 1e-16. This
/// saves the two exponentials std::erfc evaluates internally. Other x (small or negative) use
/// std::erfc.
#include <cmath>

namespace ionhop::neb {

/// erfc(x); exp_minus_x2 must be e^{−x²} [dimensionless].
inline double erfc_from_gaussian(double x, double exp_minus_x2) {
  if (x >= 0.46875 && x <= 4.0) {
    constexpr double c[9] = {5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1,
                             2.98635138197400131e2, 8.81952221241769090e2, 1.71204761263407058e3,
                             2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8};
    constexpr double d[8] = {1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
                             3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3};
    double num = c[8] * x, den = x;
    for (int i = 0; i < 7; ++i) {
      num = (num + c[i]) * x;
      den = (den + d[i]) * x;
    }
    return exp_minus_x2 * (num + c[7]) / (den + d[7]);
  }
  if (x > 4.0) {
    constexpr double p[6] = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
                             1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    constexpr double q[5] = {2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2,
                             2.33520497626869185e-3};
    constexpr double one_over_sqrt_pi = 5.6418958354775628695e-1;
    const double y = 1.0 / (x * x);
    double num = p[5] * y, den = y;
    for (int i = 0; i < 4; ++i) {
      num = (num + p[i]) * y;
      den = (den + q[i]) * y;
    }
    const double r = y * (num + p[4]) / (den + q[4]);
    return exp_minus_x2 * (one_over_sqrt_pi - r) / x;
  }
  return std::erfc(x);
}

}  // namespace ionhop::neb
