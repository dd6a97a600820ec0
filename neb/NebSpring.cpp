#include "neb/NebSpring.hpp"

#include <algorithm>
#include <stdexcept>

namespace ionhop::neb {

std::vector<double> segment_spring_constants(const std::vector<double>& e, const NebSpringParams& p) {
  if (e.size() < 2) throw std::invalid_argument("segment_spring_constants: a band needs at least two images");
  if (!(p.k_eV_A2 > 0.0)) throw std::invalid_argument("NEB spring constant must be > 0");
  std::vector<double> k(e.size() - 1, p.k_eV_A2);
  if (p.mode == NebSpringMode::constant) return k;
  if (!(p.k_min_eV_A2 > 0.0 && p.k_min_eV_A2 <= p.k_eV_A2)) {
    throw std::invalid_argument("energy-weighted springs need 0 < k_min ≤ k_max");
  }
  const double e_ref = std::max(e.front(), e.back());
  const double e_max = *std::max_element(e.begin(), e.end());
  const double dk = p.k_eV_A2 - p.k_min_eV_A2;
  for (std::size_t i = 0; i + 1 < e.size(); ++i) {
    const double ei = std::max(e[i], e[i + 1]);
    k[i] = (ei > e_ref && e_max > e_ref) ? p.k_eV_A2 - dk * (e_max - ei) / (e_max - e_ref) : p.k_min_eV_A2;
  }
  return k;
}

Eigen::VectorXd parallel_spring_force(const Eigen::VectorXd& r_prev, const Eigen::VectorXd& r,
                                      const Eigen::VectorXd& r_next, double k_minus, double k_plus,
                                      const Eigen::VectorXd& tangent) {
  return (k_plus * (r_next - r).norm() - k_minus * (r - r_prev).norm()) * tangent;
}

}  // namespace ionhop::neb
