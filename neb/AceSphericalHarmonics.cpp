#include "neb/AceSphericalHarmonics.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ionhop::neb {

namespace {

constexpr int kMaxLmax = 12;
constexpr int kMaxTriangle = (kMaxLmax + 1) * (kMaxLmax + 2) / 2;
int tri(int l, int m) { return l * (l + 1) / 2 + m; }

}  // namespace

AceSphericalHarmonics::AceSphericalHarmonics(int lmax) : lmax_(lmax) {
  if (lmax < 0 || lmax > kMaxLmax) throw std::invalid_argument("spherical harmonics: lmax must be in [0, 12]");
  norm_.resize(static_cast<std::size_t>(tri(lmax, lmax) + 1));
  recurrence_a_.resize(norm_.size());
  recurrence_b_.resize(norm_.size());
  for (int l = 0; l <= lmax; ++l) {
    for (int m = 0; m <= l; ++m) {
      // (l−m)!/(l+m)! as a product, to stay in range.
      double ratio = 1.0;
      for (int k = l - m + 1; k <= l + m; ++k) ratio /= k;
      const double base = std::sqrt((2.0 * l + 1.0) / (4.0 * std::numbers::pi) * ratio);
      norm_[static_cast<std::size_t>(tri(l, m))] = m == 0 ? base : std::numbers::sqrt2 * base;
      recurrence_a_[static_cast<std::size_t>(tri(l, m))] = l > m ? (2.0 * l - 1.0) / (l - m) : 0.0;
      recurrence_b_[static_cast<std::size_t>(tri(l, m))] = l > m ? (l + m - 1.0) / (l - m) : 0.0;
    }
  }
}

void AceSphericalHarmonics::evaluate(const Eigen::Vector3d& r, double* y) const {
  compute<false, false>(r, y, nullptr, nullptr, nullptr);
}

void AceSphericalHarmonics::evaluate_with_gradient(const Eigen::Vector3d& r, double* y, double* gx, double* gy,
                                                   double* gz) const {
  compute<true, true>(r, y, gx, gy, gz);
}

void AceSphericalHarmonics::evaluate_with_unprojected_gradient(const Eigen::Vector3d& r, double* y, double* gx, double* gy,
                                                               double* gz) const {
  compute<true, false>(r, y, gx, gy, gz);
}

// Y_lm(û) = N_lm Q_l^m(z) C_m(x, y) with û = (x, y, z), C_m = Re (x + iy)^m (S_m = Im for m < 0)
// and Q_l^m = P_l^m / sin^m θ, a polynomial in z:
//   Q_m^m = (2m−1)!!,  Q_{m+1}^m = (2m+1) z Q_m^m,
//   Q_l^m = ((2l−1) z Q_{l−1}^m − (l+m−1) Q_{l−2}^m) / (l−m).
// The gradient with respect to r is the tangential part of the gradient of this extension to R³,
// divided by |r|: ∇_r Y(r/|r|) = (I − ûûᵀ) ∇F(û) / |r|.
template <bool Gradient, bool Project>
void AceSphericalHarmonics::compute(const Eigen::Vector3d& r, double* y, double* gx, double* gy, double* gz) const {
  const double norm = r.norm();
  const double x = r[0] / norm, yy = r[1] / norm, z = r[2] / norm;
  const int L = lmax_;
  double C[kMaxLmax + 1], S[kMaxLmax + 1];
  C[0] = 1.0;
  S[0] = 0.0;
  for (int m = 1; m <= L; ++m) {
    C[m] = x * C[m - 1] - yy * S[m - 1];
    S[m] = x * S[m - 1] + yy * C[m - 1];
  }
  double Q[kMaxTriangle], dQ[kMaxTriangle];
  double mm = 1.0;  // (2m−1)!!
  for (int m = 0; m <= L; ++m) {
    if (m > 0) mm *= 2.0 * m - 1.0;
    Q[tri(m, m)] = mm;
    dQ[tri(m, m)] = 0.0;
    if (m + 1 <= L) {
      Q[tri(m + 1, m)] = (2.0 * m + 1.0) * z * mm;
      dQ[tri(m + 1, m)] = (2.0 * m + 1.0) * mm;
    }
    for (int l = m + 2; l <= L; ++l) {
      const double a = recurrence_a_[static_cast<std::size_t>(tri(l, m))], b = recurrence_b_[static_cast<std::size_t>(tri(l, m))];
      Q[tri(l, m)] = a * z * Q[tri(l - 1, m)] - b * Q[tri(l - 2, m)];
      dQ[tri(l, m)] = a * (Q[tri(l - 1, m)] + z * dQ[tri(l - 1, m)]) - b * dQ[tri(l - 2, m)];
    }
  }
  [[maybe_unused]] const double inv = 1.0 / norm;
  for (int l = 0; l <= L; ++l) {
    for (int m = 0; m <= l; ++m) {
      const double n = norm_[static_cast<std::size_t>(tri(l, m))];
      const double q = n * Q[tri(l, m)];
      y[sh_index(l, m)] = q * C[m];
      if (m > 0) y[sh_index(l, -m)] = q * S[m];
      if constexpr (Gradient) {
        const double dq = n * dQ[tri(l, m)];
        // ∇F for the cosine (m ≥ 0) and sine (m > 0) harmonics; ∂C_m/∂x = m C_{m−1},
        // ∂C_m/∂y = −m S_{m−1}, ∂S_m/∂x = m S_{m−1}, ∂S_m/∂y = m C_{m−1}.
        const double cm1 = m > 0 ? C[m - 1] : 0.0, sm1 = m > 0 ? S[m - 1] : 0.0;
        auto tangential = [&](double fx, double fy, double fz, int k) {
          if constexpr (Project) {
            const double radial = fx * x + fy * yy + fz * z;
            gx[k] = (fx - radial * x) * inv;
            gy[k] = (fy - radial * yy) * inv;
            gz[k] = (fz - radial * z) * inv;
          } else {
            gx[k] = fx, gy[k] = fy, gz[k] = fz;
          }
        };
        tangential(q * m * cm1, -q * m * sm1, dq * C[m], sh_index(l, m));
        if (m > 0) tangential(q * m * sm1, q * m * cm1, dq * S[m], sh_index(l, -m));
      }
    }
  }
}

}  // namespace ionhop::neb
