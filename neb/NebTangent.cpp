#include "neb/NebTangent.hpp"

#include <algorithm>
#include <cmath>

namespace ionhop::neb {

Eigen::VectorXd improved_tangent(const Eigen::VectorXd& r_prev, const Eigen::VectorXd& r,
                                 const Eigen::VectorXd& r_next, double e_prev, double e, double e_next) {
  const Eigen::VectorXd t_plus = r_next - r;
  const Eigen::VectorXd t_minus = r - r_prev;
  Eigen::VectorXd t;
  if (e_next > e && e > e_prev) {
    t = t_plus;  // eq. 8: uphill towards i+1
  } else if (e_next < e && e < e_prev) {
    t = t_minus;  // eq. 8: uphill towards i−1
  } else {
    // eq. 10–11: extremum; weight the higher neighbour's side more.
    const double dv_max = std::max(std::abs(e_next - e), std::abs(e_prev - e));
    const double dv_min = std::min(std::abs(e_next - e), std::abs(e_prev - e));
    if (e_next > e_prev) {
      t = t_plus * dv_max + t_minus * dv_min;
    } else if (e_next < e_prev) {
      t = t_plus * dv_min + t_minus * dv_max;
    } else {
      t = t_plus + t_minus;  // equal neighbours (also dv_max = dv_min = 0): bisector
    }
  }
  const double n = t.norm();
  if (n > 0.0) return t / n;
  // Degenerate weighting (e.g. both energy differences zero with opposite segments): fall back
  // to the bisector of the normalised one-sided tangents.
  Eigen::VectorXd b = Eigen::VectorXd::Zero(r.size());
  if (t_plus.norm() > 0.0) b += t_plus.normalized();
  if (t_minus.norm() > 0.0) b += t_minus.normalized();
  const double nb = b.norm();
  return nb > 0.0 ? Eigen::VectorXd(b / nb) : b;
}

}  // namespace ionhop::neb
