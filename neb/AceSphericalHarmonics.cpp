#include "neb/AceSphericalHarmonics.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ionhop::neb {

namespace {

constexpr int kMaxLmax = 12;

}  // namespace

AceSphericalHarmonics::AceSphericalHarmonics(int lmax) : lmax_(lmax) {
  if (lmax < 0 || lmax > kMaxLmax) throw std::invalid_argument("spherical harmonics: lmax must be in [0, 12]");
  for (int m = 0; m <= lmax; ++m) {
    for (int l = m; l <= lmax; ++l) {
      // (l−m)!/(l+m)! as a product, to stay in range.
      double ratio = 1.0;
      for (int k = l - m + 1; k <= l + m; ++k) ratio /= k;
      const double base = std::sqrt((2.0 * l + 1.0) / (4.0 * std::numbers::pi) * ratio);
      terms_.push_back({m == 0 ? base : std::numbers::sqrt2 * base, l > m ? (2.0 * l - 1.0) / (l - m) : 0.0,
                        l > m ? (l + m - 1.0) / (l - m) : 0.0});
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
// One pass per m runs the recurrence in l and writes each (l, ±m) at once (no Q tables).
template <bool Gradient, bool Project>
void AceSphericalHarmonics::compute(const Eigen::Vector3d& r, double* __restrict y, double* __restrict gx,
                                    double* __restrict gy, double* __restrict gz) const {
  const double norm = r.norm();
  const double x = r[0] / norm, yy = r[1] / norm, z = r[2] / norm;
  const int L = lmax_;
  [[maybe_unused]] const double inv = 1.0 / norm;
  const Term* term = terms_.data();
  double c_prev = 1.0, s_prev = 0.0;  // C_{m−1}, S_{m−1}
  double c = 1.0, s = 0.0;            // C_m, S_m
  double mm = 1.0;                    // (2m−1)!!
  for (int m = 0; m <= L; ++m) {
    if (m > 0) {
      c_prev = c, s_prev = s;
      c = x * c_prev - yy * s_prev;
      s = x * s_prev + yy * c_prev;
      mm *= 2.0 * m - 1.0;
    }
    const double cm1 = m > 0 ? c_prev : 0.0, sm1 = m > 0 ? s_prev : 0.0;
    const double dm = m;
    // ∇F for the cosine (m ≥ 0) and sine (m > 0) harmonics; ∂C_m/∂x = m C_{m−1},
    // ∂C_m/∂y = −m S_{m−1}, ∂S_m/∂x = m S_{m−1}, ∂S_m/∂y = m C_{m−1}.
    auto put = [&](double fx, double fy, double fz, int k) {
      if constexpr (Project) {
        const double radial = fx * x + fy * yy + fz * z;
        gx[k] = (fx - radial * x) * inv;
        gy[k] = (fy - radial * yy) * inv;
        gz[k] = (fz - radial * z) * inv;
      } else {
        gx[k] = fx, gy[k] = fy, gz[k] = fz;
      }
    };
    auto emit = [&](int l, double Q, double dQ, double n) {
      const double q = n * Q;
      const int k = l * l + l;
      y[k + m] = q * c;
      if (m > 0) y[k - m] = q * s;
      if constexpr (Gradient) {
        const double dq = n * dQ;
        const double qm = q * dm;
        put(qm * cm1, -qm * sm1, dq * c, k + m);
        if (m > 0) put(qm * sm1, qm * cm1, dq * s, k - m);
      }
    };
    double q0 = mm, dq0 = 0.0;  // Q_{l−2}, Q_{l−1} as the recurrence advances
    emit(m, q0, dq0, term->norm);
    ++term;
    if (m + 1 > L) continue;
    double q1 = (2.0 * m + 1.0) * z * mm, dq1 = (2.0 * m + 1.0) * mm;
    emit(m + 1, q1, dq1, term->norm);
    ++term;
    for (int l = m + 2; l <= L; ++l, ++term) {
      const double a = term->a, b = term->b;
      const double q2 = a * z * q1 - b * q0;
      const double dq2 = a * (q1 + z * dq1) - b * dq0;
      emit(l, q2, dq2, term->norm);
      q0 = q1, dq0 = dq1, q1 = q2, dq1 = dq2;
    }
  }
}

}  // namespace ionhop::neb
