#include "neb/AceSphericalHarmonics.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "neb/SimdDispatch.hpp"

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

#if defined(__x86_64__)
namespace {

typedef double V4 __attribute__((vector_size(32)));

/// out[v][0..3] = (rows[0][v], rows[1][v], rows[2][v], rows[3][v]): a 4 × 4 transpose.
__attribute__((target("avx2,fma"))) inline void store_transposed(const V4* rows, double* const out[4], int offset) {
  const __m256d r0 = reinterpret_cast<__m256d>(rows[0]), r1 = reinterpret_cast<__m256d>(rows[1]),
                r2 = reinterpret_cast<__m256d>(rows[2]), r3 = reinterpret_cast<__m256d>(rows[3]);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(out[0] + offset, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(out[1] + offset, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(out[2] + offset, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(out[3] + offset, _mm256_permute2f128_pd(t1, t3, 0x31));
}

}  // namespace

// The recurrence of compute<true, false> on four vectors (one per lane) into lane-major scratch
// rows, then transposed into the four outputs.
__attribute__((target("avx2,fma"))) void AceSphericalHarmonics::four_avx2(const Eigen::Vector3d* const r[4],
                                                                         double* const y[4], double* const gx[4],
                                                                         double* const gy[4], double* const gz[4],
                                                                         int stride) const {
  constexpr int kMax = (kMaxLmax + 1) * (kMaxLmax + 1) + 3;
  alignas(32) V4 ty[kMax], tx[kMax], tyy[kMax], tz[kMax];
  const V4 rx = {(*r[0])[0], (*r[1])[0], (*r[2])[0], (*r[3])[0]};
  const V4 ry = {(*r[0])[1], (*r[1])[1], (*r[2])[1], (*r[3])[1]};
  const V4 rz = {(*r[0])[2], (*r[1])[2], (*r[2])[2], (*r[3])[2]};
  const V4 norm = reinterpret_cast<V4>(_mm256_sqrt_pd(reinterpret_cast<__m256d>(rx * rx + ry * ry + rz * rz)));
  // As in compute(): r.norm() is √(x² + y² + z²) summed in this order, then one division each.
  const V4 x = rx / norm, yy = ry / norm, z = rz / norm;
  const V4 zero = {0.0, 0.0, 0.0, 0.0}, one = {1.0, 1.0, 1.0, 1.0};
  const int L = lmax_;
  const Term* term = terms_.data();
  V4 c_prev = one, s_prev = zero, c = one, s = zero;
  double mm = 1.0;
  for (int m = 0; m <= L; ++m) {
    if (m > 0) {
      c_prev = c, s_prev = s;
      c = x * c_prev - yy * s_prev;
      s = x * s_prev + yy * c_prev;
      mm *= 2.0 * m - 1.0;
    }
    const V4 cm1 = m > 0 ? c_prev : zero, sm1 = m > 0 ? s_prev : zero;
    const double dm = m;
    V4 q0 = mm + zero, dq0 = zero;
    V4 q1 = zero, dq1 = zero;
    for (int l = m; l <= L; ++l, ++term) {
      V4 Q, dQ;
      if (l == m) {
        Q = q0, dQ = dq0;
      } else if (l == m + 1) {
        q1 = (2.0 * m + 1.0) * z * mm, dq1 = (2.0 * m + 1.0) * mm + zero;
        Q = q1, dQ = dq1;
      } else {
        const double a = term->a, b = term->b;
        const V4 q2 = a * z * q1 - b * q0;
        const V4 dq2 = a * (q1 + z * dq1) - b * dq0;
        q0 = q1, dq0 = dq1, q1 = q2, dq1 = dq2;
        Q = q2, dQ = dq2;
      }
      const double n = term->norm;
      const V4 q = n * Q;
      const int k = l * l + l;
      ty[k + m] = q * c;
      if (m > 0) ty[k - m] = q * s;
      const V4 dq = n * dQ;
      const V4 qm = q * dm;
      tx[k + m] = qm * cm1, tyy[k + m] = -qm * sm1, tz[k + m] = dq * c;
      if (m > 0) tx[k - m] = qm * sm1, tyy[k - m] = qm * cm1, tz[k - m] = dq * s;
    }
  }
  for (int k = count(); k < stride; ++k) ty[k] = tx[k] = tyy[k] = tz[k] = zero;
  for (int k = 0; k < stride; k += 4) {
    store_transposed(ty + k, y, k);
    store_transposed(tx + k, gx, k);
    store_transposed(tyy + k, gy, k);
    store_transposed(tz + k, gz, k);
  }
}
#endif

void AceSphericalHarmonics::evaluate_four_with_unprojected_gradient(const Eigen::Vector3d* const r[4], double* const y[4],
                                                                    double* const gx[4], double* const gy[4],
                                                                    double* const gz[4], int stride) const {
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    four_avx2(r, y, gx, gy, gz, stride);
    return;
  }
#endif
  for (int v = 0; v < 4; ++v) {
    compute<true, false>(*r[v], y[v], gx[v], gy[v], gz[v]);
    for (int k = count(); k < stride; ++k) y[v][k] = gx[v][k] = gy[v][k] = gz[v][k] = 0.0;
  }
}

}  // namespace ionhop::neb
