#include "neb/AceRadialBasis.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "neb/SimdDispatch.hpp"

namespace ionhop::neb {

AceRadialBasis::AceRadialBasis(int size, double inner_A, double cutoff_A, double exponent)
    : size_(size), inner_(inner_A), cutoff_(cutoff_A), exponent_(exponent) {
  if (!(size >= 1 && size <= 32)) throw std::invalid_argument("radial basis: size must be in [1, 32]");
  if (!(exponent >= 0.0 && exponent <= 20.0)) throw std::invalid_argument("radial basis: exponent must be in [0, 20]");
  transform_norm_ = exponent > 0.0 ? 1.0 / -std::expm1(-exponent) : 1.0;
  if (!(inner_A >= 0.0 && inner_A < cutoff_A && std::isfinite(cutoff_A))) {
    throw std::invalid_argument("radial basis: need 0 <= inner_A < cutoff_A");
  }
  padded_ = (size_ + 3) / 4 * 4;
  build_table();
}

namespace {

/// Σ_j c_j t^j and its derivative / h for n < padded (coefficient rows of stride padded).
void spline_baseline(const double* __restrict c, int padded, double t, double inv_h, double* __restrict v,
                     double* __restrict d) {
  const double* c0 = c;
  const double* c1 = c + padded;
  const double* c2 = c + 2 * padded;
  const double* c3 = c + 3 * padded;
  const double* c4 = c + 4 * padded;
  const double* c5 = c + 5 * padded;
  for (int n = 0; n < padded; ++n) {
    v[n] = c0[n] + t * (c1[n] + t * (c2[n] + t * (c3[n] + t * (c4[n] + t * c5[n]))));
    d[n] = inv_h * (c1[n] + t * (2.0 * c2[n] + t * (3.0 * c3[n] + t * (4.0 * c4[n] + t * (5.0 * c5[n])))));
  }
}

#if defined(__x86_64__)
/// The same with AVX2 + FMA, four functions at a time (padded is a multiple of 4).
__attribute__((target("avx2,fma"))) void spline_avx2(const double* c, int padded, double t, double inv_h, double* v,
                                                     double* d) {
  const __m256d tv = _mm256_set1_pd(t), ih = _mm256_set1_pd(inv_h);
  const __m256d two = _mm256_set1_pd(2.0), three = _mm256_set1_pd(3.0), four = _mm256_set1_pd(4.0),
                five = _mm256_set1_pd(5.0);
  for (int n = 0; n < padded; n += 4) {
    const __m256d a0 = _mm256_loadu_pd(c + n), a1 = _mm256_loadu_pd(c + padded + n),
                  a2 = _mm256_loadu_pd(c + 2 * padded + n), a3 = _mm256_loadu_pd(c + 3 * padded + n),
                  a4 = _mm256_loadu_pd(c + 4 * padded + n), a5 = _mm256_loadu_pd(c + 5 * padded + n);
    __m256d p = _mm256_fmadd_pd(tv, a5, a4);
    p = _mm256_fmadd_pd(tv, p, a3);
    p = _mm256_fmadd_pd(tv, p, a2);
    p = _mm256_fmadd_pd(tv, p, a1);
    p = _mm256_fmadd_pd(tv, p, a0);
    __m256d q = _mm256_fmadd_pd(tv, _mm256_mul_pd(five, a5), _mm256_mul_pd(four, a4));
    q = _mm256_fmadd_pd(tv, q, _mm256_mul_pd(three, a3));
    q = _mm256_fmadd_pd(tv, q, _mm256_mul_pd(two, a2));
    q = _mm256_fmadd_pd(tv, q, a1);
    _mm256_storeu_pd(v + n, p);
    _mm256_storeu_pd(d + n, _mm256_mul_pd(q, ih));
  }
}
#endif

}  // namespace

void AceRadialBasis::closed_form(double s, int side, double* values, double* derivatives, double* second) const {
  const double width = cutoff_ - inner_;
  // The distance transform x(s) and its first two derivatives in r.
  double x = 2.0 * s - 1.0, dx = 2.0 / width, ddx = 0.0;
  if (exponent_ > 0.0) {
    const double q = exponent_, norm = transform_norm_;
    if (s > 0.0 || (s == 0.0 && side > 0)) {
      const double e = std::exp(-q * s);
      x = 2.0 * (1.0 - e) * norm - 1.0;
      dx = 2.0 * q * e * norm / width;
      ddx = -q / width * dx;
    } else {
      dx = 2.0 * q * norm / width;
      x = -1.0 + dx * s * width;
    }
  }
  double fc = 0.0, dfc = 0.0, ddfc = 0.0;
  const bool inside = (s > 0.0 || (s == 0.0 && side > 0)) && (s < 1.0 || (s == 1.0 && side < 0));
  if (inside) {
    const double pi = std::numbers::pi;
    fc = 0.5 * (1.0 + std::cos(pi * s));
    dfc = -0.5 * pi * std::sin(pi * s) / width;
    ddfc = -0.5 * pi * pi * std::cos(pi * s) / (width * width);
  } else if (s <= 0.0) {
    fc = 1.0;
  }
  // T_n, T_n', T_n'' by the recurrence T_{n+1} = 2x T_n − T_{n−1} and its derivatives.
  double t0 = 1.0, d0 = 0.0, s0 = 0.0;  // n − 1
  double t1 = x, d1 = 1.0, s1 = 0.0;    // n
  for (int n = 0; n < size_; ++n) {
    double t = 1.0, dt = 0.0, st = 0.0;
    if (n == 1) {
      t = x, dt = 1.0;
    } else if (n >= 2) {
      t = 2.0 * x * t1 - t0;
      dt = 2.0 * t1 + 2.0 * x * d1 - d0;
      st = 4.0 * d1 + 2.0 * x * s1 - s0;
      t0 = t1, d0 = d1, s0 = s1;
      t1 = t, d1 = dt, s1 = st;
    }
    values[n] = t * fc;
    derivatives[n] = dt * dx * fc + t * dfc;
    second[n] = st * dx * dx * fc + dt * ddx * fc + 2.0 * dt * dx * dfc + t * ddfc;
  }
}

void AceRadialBasis::evaluate_with_second_derivative(double r_A, double* values, double* derivatives, double* second,
                                                     int side) const {
  closed_form((r_A - inner_) / (cutoff_ - inner_), side, values, derivatives, second);
}

void AceRadialBasis::build_table() {
  const double width = cutoff_ - inner_;
  const std::size_t p = static_cast<std::size_t>(padded_);
  std::vector<double> f0(p), d0(p), s0(p), f1(p), d1(p), s1(p), v(p), d(p), fm(p), dm(p), sm(p);
  // Start near 0.02 Å and halve until the midpoint errors pass (at most 4096 intervals in r_c − r_in).
  for (int m = std::max(1, static_cast<int>(std::ceil(width / 0.02)));; m *= 2) {
    h_ = width / m;
    inv_h_ = 1.0 / h_;
    const int below = static_cast<int>(std::floor(std::min(inner_, 1.0) / h_ + 1e-9));
    start_ = inner_ - below * h_;
    intervals_ = below + m;
    table_.assign(static_cast<std::size_t>(intervals_) * 6 * p, 0.0);
    table_error_ = 0.0;
    for (int i = 0; i < intervals_; ++i) {
      // s of the nodes from their index (exactly 0 at r_in and 1 at r_c).
      const double sa = static_cast<double>(i - below) / m, sb = static_cast<double>(i + 1 - below) / m;
      closed_form(sa, 1, f0.data(), d0.data(), s0.data());
      closed_form(sb, -1, f1.data(), d1.data(), s1.data());
      double* c = table_.data() + static_cast<std::size_t>(i) * 6 * p;
      for (int n = 0; n < size_; ++n) {
        // Quintic Hermite in t ∈ [0, 1]: derivatives in t are h R' and h² R''.
        const double df = f1[n] - f0[n], a = h_ * d0[n], b = h_ * d1[n], sa2 = h_ * h_ * s0[n], sb2 = h_ * h_ * s1[n];
        c[n] = f0[n];
        c[p + n] = a;
        c[2 * p + n] = 0.5 * sa2;
        c[3 * p + n] = 10.0 * df - 6.0 * a - 4.0 * b - 1.5 * sa2 + 0.5 * sb2;
        c[4 * p + n] = -15.0 * df + 8.0 * a + 7.0 * b + 1.5 * sa2 - sb2;
        c[5 * p + n] = 6.0 * df - 3.0 * a - 3.0 * b - 0.5 * sa2 + 0.5 * sb2;
      }
      // Value errors peak at t = ½, derivative errors (∝ d/dt t³(1 − t)³) at t = (1 ± 1/√5)/2.
      for (const double t : {0.5, 0.5 - 0.5 / std::sqrt(5.0), 0.5 + 0.5 / std::sqrt(5.0)}) {
        spline_baseline(c, padded_, t, inv_h_, v.data(), d.data());
        closed_form(sa + t * (sb - sa), 1, fm.data(), dm.data(), sm.data());
        for (int n = 0; n < size_; ++n) {
          table_error_ = std::max(table_error_, std::abs(v[n] - fm[n]) / std::max(1.0, std::abs(fm[n])));
          table_error_ = std::max(table_error_, std::abs(d[n] - dm[n]) / std::max(1.0, std::abs(dm[n])));
        }
      }
    }
    if (table_error_ < kTabulationTolerance) return;
    if (m >= 4096) break;
  }
  // Not reached (very large sizes): closed forms only.
  table_.clear();
  intervals_ = 0;
}

void AceRadialBasis::evaluate_tabulated(double r_A, double* values, double* derivatives) const {
  const double u = (r_A - start_) * inv_h_;
  if (!(u >= 0.0) || table_.empty()) {
    evaluate_with_derivative(r_A, values, derivatives);
    for (int n = size_; n < padded_; ++n) values[n] = derivatives[n] = 0.0;
    return;
  }
  if (u >= intervals_) {
    for (int n = 0; n < padded_; ++n) values[n] = derivatives[n] = 0.0;
    return;
  }
  const int k = static_cast<int>(u);
  const double t = u - k;
  const double* c = table_.data() + static_cast<std::size_t>(k) * 6 * static_cast<std::size_t>(padded_);
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    spline_avx2(c, padded_, t, inv_h_, values, derivatives);
    return;
  }
#endif
  spline_baseline(c, padded_, t, inv_h_, values, derivatives);
}

void AceRadialBasis::evaluate(double r_A, double* values) const {
  double d[32];
  evaluate_with_derivative(r_A, values, d);
}

void AceRadialBasis::evaluate_with_derivative(double r_A, double* values, double* derivatives) const {
  const double width = cutoff_ - inner_;
  const double s = (r_A - inner_) / width;
  double x = 2.0 * s - 1.0, dx = 2.0 / width;
  if (exponent_ > 0.0) {
    const double q = exponent_, norm = transform_norm_;
    if (s >= 0.0) {
      const double e = std::exp(-q * s);
      x = 2.0 * (1.0 - e) * norm - 1.0;
      dx = 2.0 * q * e * norm / width;
    } else {
      // Inside r_in: the tangent line (C¹), so the polynomials grow like powers, not exponentials.
      dx = 2.0 * q * norm / width;
      x = -1.0 + dx * (r_A - inner_);
    }
  }
  double fc = 1.0, dfc = 0.0;
  if (s >= 1.0) {
    fc = 0.0;
  } else if (s > 0.0) {
    double sin_ps = 0.0, cos_ps = 0.0;
    ::sincos(std::numbers::pi * s, &sin_ps, &cos_ps);  // one call for both (glibc)
    fc = 0.5 * (1.0 + cos_ps);
    dfc = -0.5 * std::numbers::pi * sin_ps / width;
  }
  // T_n by the three-term recurrence; T_n' = n U_{n−1} with U the second-kind polynomials.
  values[0] = fc;
  derivatives[0] = dfc;
  if (size_ == 1) return;
  values[1] = x * fc;
  derivatives[1] = dx * fc + x * dfc;
  const double dxfc = dx * fc;
  double t_prev = 1.0, t = x, u_prev = 1.0, u = 2.0 * x;  // T_{n−2}, T_{n−1}, U_{n−2}, U_{n−1}
  for (int n = 2; n < size_; ++n) {
    const double t_next = 2.0 * x * t - t_prev;
    t_prev = t;
    t = t_next;
    values[n] = t * fc;
    derivatives[n] = n * u * dxfc + t * dfc;
    const double u_next = 2.0 * x * u - u_prev;
    u_prev = u;
    u = u_next;
  }
}

}  // namespace ionhop::neb
