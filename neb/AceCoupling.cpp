#include "neb/AceCoupling.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "neb/AceSphericalHarmonics.hpp"

namespace ionhop::neb {

void AceCoupling::gauss_legendre(int n, std::vector<double>& nodes, std::vector<double>& weights) {
  nodes.assign(static_cast<std::size_t>(n), 0.0);
  weights.assign(static_cast<std::size_t>(n), 0.0);
  for (int i = 0; i < n; ++i) {
    // Newton iteration on P_n from the Chebyshev-like first guess.
    double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double dp = 1.0;
    for (int iteration = 0; iteration < 100; ++iteration) {
      double p0 = 1.0, p1 = x;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      const double p = n == 0 ? 1.0 : (n == 1 ? x : p1);
      const double pm1 = n == 1 ? 1.0 : p0;
      dp = n * (x * p - pm1) / (x * x - 1.0);
      const double step = p / dp;
      x -= step;
      if (std::abs(step) < 1e-16) break;
    }
    nodes[static_cast<std::size_t>(i)] = x;
    weights[static_cast<std::size_t>(i)] = 2.0 / ((1.0 - x * x) * dp * dp);
  }
}

AceCoupling::AceCoupling(int lmax) : lmax_(lmax) {
  if (lmax < 0 || lmax > 12) throw std::invalid_argument("ACE coupling: lmax must be in [0, 12]");
  const int L = lmax + 1;
  const int ny = L * L;
  // Exact quadrature: degree ≤ 3 lmax in cos θ, frequencies ≤ 3 lmax in φ.
  const int n_theta = (3 * lmax) / 2 + 1;
  const int n_phi = 3 * lmax + 1;
  std::vector<double> nodes, weights;
  gauss_legendre(n_theta, nodes, weights);
  const AceSphericalHarmonics harmonics(lmax);
  std::vector<double> y(static_cast<std::size_t>(ny));
  std::vector<double> G(static_cast<std::size_t>(ny) * ny * ny, 0.0);
  for (int a = 0; a < n_theta; ++a) {
    const double z = nodes[static_cast<std::size_t>(a)];
    const double s = std::sqrt(std::max(0.0, 1.0 - z * z));
    for (int b = 0; b < n_phi; ++b) {
      const double phi = 2.0 * std::numbers::pi * b / n_phi;
      const double w = weights[static_cast<std::size_t>(a)] * 2.0 * std::numbers::pi / n_phi;
      harmonics.evaluate(Eigen::Vector3d(s * std::cos(phi), s * std::sin(phi), z), y.data());
      for (int i = 0; i < ny; ++i)
        for (int j = i; j < ny; ++j) {
          const double wij = w * y[static_cast<std::size_t>(i)] * y[static_cast<std::size_t>(j)];
          for (int k = j; k < ny; ++k) G[(static_cast<std::size_t>(i) * ny + j) * ny + k] += wij * y[static_cast<std::size_t>(k)];
        }
    }
  }
  blocks_.resize(static_cast<std::size_t>(L * L * L));
  for (int l1 = 0; l1 <= lmax; ++l1)
    for (int l2 = 0; l2 <= lmax; ++l2)
      for (int l3 = 0; l3 <= lmax; ++l3) {
        if ((l1 + l2 + l3) % 2 != 0 || l3 < std::abs(l1 - l2) || l3 > l1 + l2) continue;
        auto& block = blocks_[static_cast<std::size_t>((l1 * L + l2) * L + l3)];
        for (int m1 = 0; m1 <= 2 * l1; ++m1)
          for (int m2 = 0; m2 <= 2 * l2; ++m2)
            for (int m3 = 0; m3 <= 2 * l3; ++m3) {
              int idx[3] = {l1 * l1 + m1, l2 * l2 + m2, l3 * l3 + m3};
              if (idx[0] > idx[1]) std::swap(idx[0], idx[1]);
              if (idx[1] > idx[2]) std::swap(idx[1], idx[2]);
              if (idx[0] > idx[1]) std::swap(idx[0], idx[1]);
              const double g = G[(static_cast<std::size_t>(idx[0]) * ny + idx[1]) * ny + idx[2]];
              if (std::abs(g) > 1e-12) block.push_back({m1, m2, m3, g});
            }
      }
}

const std::vector<AceCoupling::Entry>& AceCoupling::entries(int l1, int l2, int l3) const {
  if (l1 < 0 || l2 < 0 || l3 < 0 || l1 > lmax_ || l2 > lmax_ || l3 > lmax_) {
    throw std::out_of_range("ACE coupling: degree out of range");
  }
  const int L = lmax_ + 1;
  return blocks_[static_cast<std::size_t>((l1 * L + l2) * L + l3)];
}

double AceCoupling::value(int l1, int m1, int l2, int m2, int l3, int m3) const {
  for (const Entry& e : entries(l1, l2, l3))
    if (e.m1 == m1 + l1 && e.m2 == m2 + l2 && e.m3 == m3 + l3) return e.value;
  return 0.0;
}

}  // namespace ionhop::neb
