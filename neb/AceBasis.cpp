#include "neb/AceBasis.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "neb/CellList.hpp"
#include "neb/HalfPairList.hpp"
#include "neb/PotentialError.hpp"
#include "neb/SimdDispatch.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace ionhop::neb {

namespace {

int radial_count(const AceBasisSpec& spec) {
  int n = spec.radial_size_2;
  if (spec.body_order >= 3) n = std::max(n, spec.radial_size_3);
  if (spec.body_order >= 4) n = std::max(n, spec.radial_size_4);
  return n;
}

int harmonic_degree(const AceBasisSpec& spec) {
  if (spec.body_order < 3) return 0;
  return spec.body_order >= 4 ? std::max(spec.lmax, spec.lmax_4) : spec.lmax;
}

const AceBasisSpec& validated(const AceBasisSpec& spec) {
  if (spec.elements.empty()) throw std::invalid_argument("ACE basis: no elements");
  if (std::set<std::string>(spec.elements.begin(), spec.elements.end()).size() != spec.elements.size()) {
    throw std::invalid_argument("ACE basis: an element is listed twice");
  }
  if (spec.body_order < 2 || spec.body_order > 4) throw std::invalid_argument("ACE basis: body_order must be 2, 3 or 4");
  if (spec.radial_size_2 < 1 || (spec.body_order >= 3 && spec.radial_size_3 < 1) ||
      (spec.body_order >= 4 && spec.radial_size_4 < 1)) {
    throw std::invalid_argument("ACE basis: radial sizes must be at least 1");
  }
  if (spec.body_order >= 4 && (spec.lmax_4 < 0 || spec.lmax_4 > 12)) {
    throw std::invalid_argument("ACE basis: lmax_4 must be in [0, 12]");
  }
  return spec;
}

}  // namespace

/// Per-thread scratch for one atom's environment. Neighbours are kept in visiting order (each
/// neighbour carries its element: the projections and contractions pick the element's channel
/// block per neighbour, so the sums over the neighbours of one element run in visiting order).
struct AceBasis::Workspace {
  std::vector<int> atom, element;        ///< neighbour atom index and element index
  std::vector<Eigen::Vector3d> r;        ///< r_ij [Å]
  std::vector<double> rad, drad;         ///< nr × K (column per neighbour)
  std::vector<double> y, gx, gy, gz;     ///< NY × K each: Y_lm and its (unprojected) gradient
  std::vector<double> D, E;              ///< NY × K: Σ_q dE/dA_{(z q) lm} R_q, … R_q' per neighbour
  std::vector<double> A, dA;             ///< NY × channels
  std::vector<double> At, dAt;           ///< channels_pad × NY: A and dE/dA with (l, m) outer
  std::vector<double> G;                 ///< (lmax+1) × channels × channels_pad: Σ_m A_{c1 lm} A_{c2 lm}
  std::vector<double> B;                 ///< F
  std::vector<double> T;                 ///< channels × radial_size_3 × (lmax+1) × 3 (design)
  std::vector<double> P;                 ///< body order 4 × 3 factors × (2 lmax_4 + 1): ∂B/∂A (design)
};

AceBasis::AceBasis(AceBasisSpec spec)
    : spec_(validated(spec)),
      radial_(radial_count(spec_), spec_.inner_A, spec_.cutoff_A, spec_.radial_exponent),
      harmonics_(harmonic_degree(spec_)) {
  const int nz = static_cast<int>(spec_.elements.size());
  two_body_ = static_cast<std::size_t>(nz) * static_cast<std::size_t>(spec_.radial_size_2);
  if (spec_.body_order >= 3) {
    const int n3 = spec_.radial_size_3;
    channel_stride_ = spec_.body_order >= 4 ? std::max(n3, spec_.radial_size_4) : n3;
    channels_ = static_cast<std::size_t>(nz) * static_cast<std::size_t>(channel_stride_);
    // (z1 n1) ≤ (z2 n2) in the order of z · radial_size_3 + n (the feature order of stored models).
    for (int p1 = 0; p1 < nz * n3; ++p1)
      for (int p2 = p1; p2 < nz * n3; ++p2)
        for (int l = 0; l <= spec_.lmax; ++l)
          triples_.push_back({p1 / n3 * channel_stride_ + p1 % n3, p2 / n3 * channel_stride_ + p2 % n3, l});
  }
  if (spec_.body_order >= 4) {
    const AceCoupling coupling(spec_.lmax_4);
    // Factors (c, l), c = (z n) with n < radial_size_4, in lexicographic order; unordered triples.
    std::vector<std::array<int, 2>> items;
    for (int z = 0; z < nz; ++z)
      for (int n = 0; n < spec_.radial_size_4; ++n)
        for (int l = 0; l <= spec_.lmax_4; ++l) items.push_back({z * channel_stride_ + n, l});
    for (std::size_t i1 = 0; i1 < items.size(); ++i1)
      for (std::size_t i2 = i1; i2 < items.size(); ++i2)
        for (std::size_t i3 = i2; i3 < items.size(); ++i3) {
          const int l1 = items[i1][1], l2 = items[i2][1], l3 = items[i3][1];
          const auto& entries = coupling.entries(l1, l2, l3);
          if (entries.empty()) continue;  // odd l1 + l2 + l3 or no triangle
          quads_.push_back({{items[i1][0], items[i2][0], items[i3][0]}, {l1, l2, l3}, gaunt_.size(), entries.size()});
          gaunt_.insert(gaunt_.end(), entries.begin(), entries.end());
        }
  }
  features_ = two_body_ + triples_.size() + quads_.size();
  for (const auto& [c1, c2, l] : triples_)
    triple_gram_index_.push_back((l * static_cast<int>(channels_) + c1) * channels_padded() + c2);
  // Even (pairs of doubles), or a multiple of 4 for the AVX2 kernels.
  const int lanes = cpu_has_avx2_fma() ? 4 : 2;
  y_stride_ = (harmonics_.count() + lanes - 1) / lanes * lanes;
}

std::vector<int> AceBasis::element_indices(const lattice::Structure& s) const {
  std::vector<int> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto it = std::find(spec_.elements.begin(), spec_.elements.end(), s.species[i]);
    if (it == spec_.elements.end()) {
      std::string list;
      for (const auto& e : spec_.elements) list += (list.empty() ? "" : ", ") + e;
      throw PotentialEvaluationError("the MLIP has no element '" + s.species[i] + "' (atom " + std::to_string(i) +
                                     "); it knows " + list);
    }
    out[i] = static_cast<int>(it - spec_.elements.begin());
  }
  return out;
}

namespace {

/// Two doubles (GCC/Clang vector extension; SSE2 on x86-64, NEON on AArch64). Arrays over (l, m)
/// have an even stride (padded with zeros) so the per-neighbour loops run on pairs without
/// remainder loops; may_alias because they view std::vector<double> storage.
typedef double Pair __attribute__((vector_size(16), may_alias));

double sum(Pair v) { return v[0] + v[1]; }

/// a_q += R_q y for q < n (channel rows of stride `pairs`). N > 0: n = N at compile time, so the
/// q loop unrolls and the R_q stay in registers; N = 0: n at run time.
template <int N>
void project(int n_runtime, int pairs, const double* rad, const Pair* y, Pair* a) {
  const int n = N > 0 ? N : n_runtime;
  for (int v = 0; v < pairs; ++v) {
    const Pair yv = y[v];
    for (int q = 0; q < n; ++q) a[q * pairs + v] += rad[q] * yv;
  }
}

/// For one neighbour: out = (Σ_lm E_lm Y_lm, Σ_lm D_lm ∇F_lm) with D = Σ_q dA_q R_q and
/// E = Σ_q dA_q R_q' (q < n; dA rows of stride `pairs`).
template <int N>
void contract(int n_runtime, int pairs, const double* rad, const double* drad, const Pair* d, const Pair* y,
              const Pair* gx, const Pair* gy, const Pair* gz, double* out) {
  const int n = N > 0 ? N : n_runtime;
  Pair sy = {0.0, 0.0}, g0 = sy, g1 = sy, g2 = sy;
  for (int v = 0; v < pairs; ++v) {
    Pair D = {0.0, 0.0}, E = D;
    for (int q = 0; q < n; ++q) {
      const Pair dv = d[q * pairs + v];
      D += rad[q] * dv;
      E += drad[q] * dv;
    }
    sy += E * y[v];
    g0 += D * gx[v];
    g1 += D * gy[v];
    g2 += D * gz[v];
  }
  out[0] = sum(sy), out[1] = sum(g0), out[2] = sum(g1), out[3] = sum(g2);
}

#if defined(__x86_64__)
/// AVX2 + FMA variants of project and contract on quadruples of (l, m) (y_stride_ a multiple of
/// 4 when these are used); `pairs` is still the stride in pairs.
template <int N>
__attribute__((target("avx2,fma"))) void project_avx2(int n_runtime, int pairs, const double* rad, const Pair* y, Pair* a) {
  const int n = N > 0 ? N : n_runtime;
  const int stride = 2 * pairs;
  const double* yd = reinterpret_cast<const double*>(y);
  double* ad = reinterpret_cast<double*>(a);
  for (int v = 0; v < stride; v += 4) {
    const __m256d yv = _mm256_loadu_pd(yd + v);
    for (int q = 0; q < n; ++q) {
      double* p = ad + q * stride + v;
      _mm256_storeu_pd(p, _mm256_fmadd_pd(_mm256_set1_pd(rad[q]), yv, _mm256_loadu_pd(p)));
    }
  }
}

__attribute__((target("avx2,fma"))) inline double hsum(__m256d v) {
  const __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

template <int N>
__attribute__((target("avx2,fma"))) void contract_avx2(int n_runtime, int pairs, const double* rad, const double* drad,
                                                       const Pair* d, const Pair* y, const Pair* gx, const Pair* gy,
                                                       const Pair* gz, double* out) {
  const int n = N > 0 ? N : n_runtime;
  const int stride = 2 * pairs;
  const double* dd = reinterpret_cast<const double*>(d);
  const double* yd = reinterpret_cast<const double*>(y);
  const double* xd = reinterpret_cast<const double*>(gx);
  const double* vd = reinterpret_cast<const double*>(gy);
  const double* zd = reinterpret_cast<const double*>(gz);
  __m256d sy = _mm256_setzero_pd(), g0 = sy, g1 = sy, g2 = sy;
  for (int v = 0; v < stride; v += 4) {
    __m256d D = _mm256_setzero_pd(), E = D;
    for (int q = 0; q < n; ++q) {
      const __m256d dv = _mm256_loadu_pd(dd + q * stride + v);
      D = _mm256_fmadd_pd(_mm256_set1_pd(rad[q]), dv, D);
      E = _mm256_fmadd_pd(_mm256_set1_pd(drad[q]), dv, E);
    }
    sy = _mm256_fmadd_pd(E, _mm256_loadu_pd(yd + v), sy);
    g0 = _mm256_fmadd_pd(D, _mm256_loadu_pd(xd + v), g0);
    g1 = _mm256_fmadd_pd(D, _mm256_loadu_pd(vd + v), g1);
    g2 = _mm256_fmadd_pd(D, _mm256_loadu_pd(zd + v), g2);
  }
  out[0] = hsum(sy), out[1] = hsum(g0), out[2] = hsum(g1), out[3] = hsum(g2);
}
#endif

/// Small dense kernels over rows of channels_pad (a multiple of 4) doubles, inlined into a
/// baseline and an AVX2 + FMA wrapper (the compiler vectorises the inner loops for each).
/// G (c × cp) += Σ_r a_r a_rᵀ for rows a_r = at[r·cp …] (the Gram matrix of `rows` rows).
__attribute__((always_inline)) inline void gram_body(const double* __restrict at, int rows, int c, int cp,
                                                     double* __restrict g) {
  for (int r = 0; r < rows; ++r) {
    const double* a = at + r * cp;
    for (int c1 = 0; c1 < c; ++c1) {
      const double s = a[c1];
      double* gr = g + c1 * cp;
      for (int c2 = 0; c2 < cp; ++c2) gr[c2] += s * a[c2];
    }
  }
}
/// out (rows × cp) = at (rows × c) W (c × cp).
__attribute__((always_inline)) inline void times_body(const double* __restrict at, int rows, int c, int cp,
                                                      const double* __restrict w, double* __restrict out) {
  for (int r = 0; r < rows; ++r) {
    const double* a = at + r * cp;
    double* o = out + r * cp;
    for (int c2 = 0; c2 < cp; ++c2) o[c2] = 0.0;
    for (int c1 = 0; c1 < c; ++c1) {
      const double s = a[c1];
      const double* wr = w + c1 * cp;
      for (int c2 = 0; c2 < cp; ++c2) o[c2] += s * wr[c2];
    }
  }
}
/// Baseline: NQ = cp/4, so 2 NQ pairs of doubles held in registers (NQ = 0: the generic loops).
template <int NQ>
void gram_baseline(const double* at, int rows, int c, int cp, double* g) {
  if constexpr (NQ == 0) {
    gram_body(at, rows, c, cp, g);
  } else {
    for (int c1 = 0; c1 < c; ++c1) {
      Pair acc[2 * NQ];
      const Pair* gr = reinterpret_cast<const Pair*>(g + c1 * cp);
      for (int q = 0; q < 2 * NQ; ++q) acc[q] = gr[q];
      for (int r = 0; r < rows; ++r) {
        const double s = at[r * cp + c1];
        const Pair* a = reinterpret_cast<const Pair*>(at + r * cp);
        for (int q = 0; q < 2 * NQ; ++q) acc[q] += s * a[q];
      }
      Pair* out = reinterpret_cast<Pair*>(g + c1 * cp);
      for (int q = 0; q < 2 * NQ; ++q) out[q] = acc[q];
    }
  }
}
template <int NQ>
void times_baseline(const double* at, int rows, int c, int cp, const double* w, double* out) {
  if constexpr (NQ == 0) {
    times_body(at, rows, c, cp, w, out);
  } else {
    for (int r = 0; r < rows; ++r) {
      Pair acc[2 * NQ];
      for (int q = 0; q < 2 * NQ; ++q) acc[q] = Pair{0.0, 0.0};
      for (int c1 = 0; c1 < c; ++c1) {
        const double s = at[r * cp + c1];
        const Pair* wr = reinterpret_cast<const Pair*>(w + c1 * cp);
        for (int q = 0; q < 2 * NQ; ++q) acc[q] += s * wr[q];
      }
      Pair* o = reinterpret_cast<Pair*>(out + r * cp);
      for (int q = 0; q < 2 * NQ; ++q) o[q] = acc[q];
    }
  }
}
#if defined(__x86_64__)
/// AVX2 + FMA: NQ = cp/4 quadruples held in registers (NQ = 0: the generic loops).
template <int NQ>
__attribute__((target("avx2,fma"))) void gram_avx2(const double* at, int rows, int c, int cp, double* g) {
  if constexpr (NQ == 0) {
    gram_body(at, rows, c, cp, g);
  } else {
    for (int c1 = 0; c1 < c; ++c1) {
      __m256d acc[NQ];
      for (int q = 0; q < NQ; ++q) acc[q] = _mm256_loadu_pd(g + c1 * cp + 4 * q);
      for (int r = 0; r < rows; ++r) {
        const __m256d s = _mm256_set1_pd(at[r * cp + c1]);
        for (int q = 0; q < NQ; ++q) acc[q] = _mm256_fmadd_pd(s, _mm256_loadu_pd(at + r * cp + 4 * q), acc[q]);
      }
      for (int q = 0; q < NQ; ++q) _mm256_storeu_pd(g + c1 * cp + 4 * q, acc[q]);
    }
  }
}
template <int NQ>
__attribute__((target("avx2,fma"))) void times_avx2(const double* at, int rows, int c, int cp, const double* w,
                                                    double* out) {
  if constexpr (NQ == 0) {
    times_body(at, rows, c, cp, w, out);
  } else {
    for (int r = 0; r < rows; ++r) {
      __m256d acc[NQ];
      for (int q = 0; q < NQ; ++q) acc[q] = _mm256_setzero_pd();
      for (int c1 = 0; c1 < c; ++c1) {
        const __m256d s = _mm256_set1_pd(at[r * cp + c1]);
        for (int q = 0; q < NQ; ++q) acc[q] = _mm256_fmadd_pd(s, _mm256_loadu_pd(w + c1 * cp + 4 * q), acc[q]);
      }
      for (int q = 0; q < NQ; ++q) _mm256_storeu_pd(out + r * cp + 4 * q, acc[q]);
    }
  }
}
#endif
using GramKernel = void (*)(const double*, int, int, int, double*);
using TimesKernel = void (*)(const double*, int, int, int, const double*, double*);
GramKernel gram_kernel(int cp) {
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    constexpr GramKernel wide[] = {gram_avx2<0>, gram_avx2<1>, gram_avx2<2>, gram_avx2<3>, gram_avx2<4>,
                                   gram_avx2<5>, gram_avx2<6>, gram_avx2<7>, gram_avx2<8>};
    return wide[cp / 4 <= 8 ? cp / 4 : 0];
  }
#endif
  constexpr GramKernel narrow[] = {gram_baseline<0>, gram_baseline<1>, gram_baseline<2>, gram_baseline<3>, gram_baseline<4>,
                                   gram_baseline<5>, gram_baseline<6>, gram_baseline<7>, gram_baseline<8>};
  return narrow[cp / 4 <= 8 ? cp / 4 : 0];
}
TimesKernel times_kernel(int cp) {
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    constexpr TimesKernel wide[] = {times_avx2<0>, times_avx2<1>, times_avx2<2>, times_avx2<3>, times_avx2<4>,
                                    times_avx2<5>, times_avx2<6>, times_avx2<7>, times_avx2<8>};
    return wide[cp / 4 <= 8 ? cp / 4 : 0];
  }
#endif
  constexpr TimesKernel narrow[] = {times_baseline<0>, times_baseline<1>, times_baseline<2>,
                                    times_baseline<3>, times_baseline<4>, times_baseline<5>,
                                    times_baseline<6>, times_baseline<7>, times_baseline<8>};
  return narrow[cp / 4 <= 8 ? cp / 4 : 0];
}

using ProjectKernel = void (*)(int, int, const double*, const Pair*, Pair*);
using ContractKernel = void (*)(int, int, const double*, const double*, const Pair*, const Pair*, const Pair*,
                                const Pair*, const Pair*, double*);

/// The kernels for n radial functions: AVX2 + FMA if the CPU has them, else the baseline.
ProjectKernel project_kernel(int n) {
  const int i = n >= 1 && n <= 8 ? n : 0;
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    constexpr ProjectKernel wide[] = {project_avx2<0>, project_avx2<1>, project_avx2<2>, project_avx2<3>, project_avx2<4>,
                                      project_avx2<5>, project_avx2<6>, project_avx2<7>, project_avx2<8>};
    return wide[i];
  }
#endif
  constexpr ProjectKernel table[] = {project<0>, project<1>, project<2>, project<3>, project<4>,
                                     project<5>, project<6>, project<7>, project<8>};
  return table[i];
}

ContractKernel contract_kernel(int n) {
  const int i = n >= 1 && n <= 8 ? n : 0;
#if defined(__x86_64__)
  if (cpu_has_avx2_fma()) {
    constexpr ContractKernel wide[] = {contract_avx2<0>, contract_avx2<1>, contract_avx2<2>,
                                       contract_avx2<3>, contract_avx2<4>, contract_avx2<5>,
                                       contract_avx2<6>, contract_avx2<7>, contract_avx2<8>};
    return wide[i];
  }
#endif
  constexpr ContractKernel table[] = {contract<0>, contract<1>, contract<2>, contract<3>, contract<4>,
                                      contract<5>, contract<6>, contract<7>, contract<8>};
  return table[i];
}

}  // namespace

// Gathers each atom's neighbours, evaluates R_n, Y_lm (with derivatives) per
// neighbour and the projections A and descriptors B, then calls visit(i, w).
template <class Visit>
void AceBasis::for_each_atom_environment(const CellList& cells, const std::vector<int>& elements, std::size_t first,
                                         std::size_t last, bool projected, Workspace& w, Visit&& visit) const {
  const int nr = radial_.padded_size();  // per-neighbour stride of the radial values
  const int n2 = spec_.radial_size_2;
  const int ys = y_stride_;
  const bool three = spec_.body_order >= 3;
  w.B.assign(features_, 0.0);
  w.A.assign(channels_ * static_cast<std::size_t>(ys), 0.0);
  const int cp = channels_padded();
  const GramKernel gram = gram_kernel(cp);
  if (!triples_.empty()) {
    w.At.assign(static_cast<std::size_t>(cp) * static_cast<std::size_t>(ys), 0.0);
    w.G.assign(static_cast<std::size_t>(spec_.lmax + 1) * channels_ * static_cast<std::size_t>(cp), 0.0);
  }
  for (std::size_t i = first; i < last; ++i) {
    w.atom.clear();
    w.element.clear();
    w.r.clear();
    cells.for_each_neighbor(i, [&](std::size_t j, const Eigen::Vector3i&, const Eigen::Vector3d& r, double) {
      w.atom.push_back(static_cast<int>(j));
      w.element.push_back(elements[j]);
      w.r.push_back(r);
    });
    const std::size_t k_count = w.atom.size();
    w.rad.resize(k_count * static_cast<std::size_t>(nr));
    w.drad.resize(k_count * static_cast<std::size_t>(nr));
    // Stride ys per neighbour; the padding entries (ny … ys−1) are zero from the resize or written as zeros.
    if (three) {
      for (auto* v : {&w.y, &w.gx, &w.gy, &w.gz}) v->resize(k_count * static_cast<std::size_t>(ys), 0.0);
    }
    std::size_t k_four = 0;  // harmonics done four neighbours at a time (unprojected gradients, AVX2)
    if (three && !projected && cpu_has_avx2_fma()) {
      const auto o = static_cast<std::size_t>(ys);
      for (; k_four + 4 <= k_count; k_four += 4) {
        const Eigen::Vector3d* r4[4] = {&w.r[k_four], &w.r[k_four + 1], &w.r[k_four + 2], &w.r[k_four + 3]};
        double* y4[4];
        double* x4[4];
        double* v4[4];
        double* z4[4];
        for (std::size_t v = 0; v < 4; ++v) {
          y4[v] = w.y.data() + (k_four + v) * o, x4[v] = w.gx.data() + (k_four + v) * o;
          v4[v] = w.gy.data() + (k_four + v) * o, z4[v] = w.gz.data() + (k_four + v) * o;
        }
        harmonics_.evaluate_four_with_unprojected_gradient(r4, y4, x4, v4, z4, ys);
      }
    }
    for (std::size_t k = 0; k < k_count; ++k) {
      radial_.evaluate_tabulated(w.r[k].norm(), w.rad.data() + k * static_cast<std::size_t>(nr),
                                       w.drad.data() + k * static_cast<std::size_t>(nr));
      if (three && k >= k_four) {
        const std::size_t o = k * static_cast<std::size_t>(ys);
        if (projected) {
          harmonics_.evaluate_with_gradient(w.r[k], w.y.data() + o, w.gx.data() + o, w.gy.data() + o, w.gz.data() + o);
        } else {
          harmonics_.evaluate_with_unprojected_gradient(w.r[k], w.y.data() + o, w.gx.data() + o, w.gy.data() + o,
                                                        w.gz.data() + o);
        }
      }
    }
    // B_{z n} = Σ_k R_n(r_k);  A_{(z n) lm} = Σ_k R_n(r_k) Y_lm(r̂_k), neighbour by neighbour.
    std::fill(w.B.begin(), w.B.begin() + static_cast<std::ptrdiff_t>(two_body_), 0.0);
    std::fill(w.A.begin(), w.A.end(), 0.0);
    const int pairs = ys / 2;
    const int nc = channel_stride_;
    const ProjectKernel project_nc = project_kernel(nc);
    for (std::size_t k = 0; k < k_count; ++k) {
      const int z = w.element[k];
      const double* rad = w.rad.data() + k * static_cast<std::size_t>(nr);
      double* b2 = w.B.data() + z * n2;
      int n = 0;
      for (; n + 2 <= n2; n += 2) {  // each B_{z n} on its own: the same sums as one at a time
        Pair b;
        __builtin_memcpy(&b, b2 + n, sizeof b);
        b += *reinterpret_cast<const Pair*>(rad + n);
        __builtin_memcpy(b2 + n, &b, sizeof b);
      }
      for (; n < n2; ++n) b2[n] += rad[n];
      if (!three) continue;
      project_nc(nc, pairs, rad, reinterpret_cast<const Pair*>(w.y.data() + k * static_cast<std::size_t>(ys)),
                 reinterpret_cast<Pair*>(w.A.data() + static_cast<std::size_t>(z * nc) * static_cast<std::size_t>(ys)));
    }
    if (!triples_.empty()) {
      // A transposed ((l, m) outer, channels padded to cp), then per degree the Gram matrix
      // G_l = Σ_m A_{· lm} A_{· lm}ᵀ, whose entries are the body-order-3 descriptors.
      const int C = static_cast<int>(channels_), ny = harmonics_.count();
      for (int c = 0; c < C; ++c)
        for (int lm = 0; lm < ny; ++lm) w.At[static_cast<std::size_t>(lm * cp + c)] = w.A[static_cast<std::size_t>(c * ys + lm)];
      std::fill(w.G.begin(), w.G.end(), 0.0);
      for (int l = 0; l <= spec_.lmax; ++l)
        gram(w.At.data() + l * l * cp, 2 * l + 1, C, cp, w.G.data() + static_cast<std::size_t>(l) * C * cp);
      double* b3 = w.B.data() + two_body_;
      const double* g = w.G.data();
      const int* index = triple_gram_index_.data();
      for (std::size_t t = 0; t < triples_.size(); ++t) b3[t] = g[index[t]];
    }
    const std::size_t four = two_body_ + triples_.size();
    for (std::size_t f = 0; f < quads_.size(); ++f) {
      const Quad& q = quads_[f];
      const double* a1 = w.A.data() + q.c[0] * ys + q.l[0] * q.l[0];
      const double* a2 = w.A.data() + q.c[1] * ys + q.l[1] * q.l[1];
      const double* a3 = w.A.data() + q.c[2] * ys + q.l[2] * q.l[2];
      double b = 0.0;
      for (std::size_t g = q.first; g < q.first + q.count; ++g) {
        const AceCoupling::Entry& e = gaunt_[g];
        b += e.value * a1[e.m1] * a2[e.m2] * a3[e.m3];
      }
      w.B[four + f] = b;
    }
    visit(i, w);
  }
}

AceEvaluation AceBasis::evaluate(const lattice::Structure& s, const Eigen::VectorXd& coefficients,
                                 const AceEvaluationRequest& request) const {
  if (static_cast<std::size_t>(coefficients.size()) != coefficient_count()) {
    throw std::invalid_argument("ACE basis: coefficient vector of the wrong size");
  }
  const std::vector<int> elements = element_indices(s);
  const std::size_t n_atoms = s.size();
  const auto n = static_cast<Eigen::Index>(n_atoms);
  const int ny = harmonics_.count();
  const int ys = y_stride_;
  const int nr = radial_.padded_size();  // per-neighbour stride of the radial values
  const int n2 = spec_.radial_size_2, nc = channel_stride_;
  const int nz = static_cast<int>(element_count());
  const auto F = static_cast<Eigen::Index>(features_);
  const auto C = static_cast<Eigen::Index>(channels_);
  const std::size_t four = two_body_ + triples_.size();

  // Adjoint weights of body order 3 per centre element and degree: dE_i/dA_{·, lm} = A_l W_{e l},
  // W symmetric C × C with W(c1, c2) = W(c2, c1) = c_t for c1 < c2 and W(c, c) = 2 c_t; stored
  // as C rows of cp (zero padded) at weights[(e (lmax + 1) + l) C cp].
  const int cp = channels_padded();
  std::vector<double> weights;
  if (!triples_.empty() && (request.forces || request.virial)) {
    weights.assign(static_cast<std::size_t>(nz) * static_cast<std::size_t>(spec_.lmax + 1) * channels_ * static_cast<std::size_t>(cp), 0.0);
    for (int e = 0; e < nz; ++e)
      for (std::size_t t = 0; t < triples_.size(); ++t) {
        const auto& [c1, c2, l] = triples_[t];
        double* W = weights.data() + static_cast<std::size_t>(e * (spec_.lmax + 1) + l) * channels_ * static_cast<std::size_t>(cp);
        const double ct = coefficients[static_cast<Eigen::Index>(e) * F + static_cast<Eigen::Index>(two_body_ + t)];
        W[c1 * cp + c2] += ct;
        W[c2 * cp + c1] += ct;
      }
  }
  const TimesKernel times = times_kernel(cp);

  struct Partial {
    double energy = 0.0;
    Eigen::Matrix3Xd forces;
    Eigen::Matrix3d virial = Eigen::Matrix3d::Zero();
    Eigen::VectorXd features;
  };
  AceEvaluation out;
  if (request.atom_descriptors) out.atom_descriptors.resize(F, n);
  const CellList cells(s, spec_.cutoff_A);

  auto run = [&](std::size_t first, std::size_t last, Partial& p) {
    if (request.forces) p.forces = Eigen::Matrix3Xd::Zero(3, n);
    if (request.features) p.features = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(coefficient_count()));
    Workspace w;
    for_each_atom_environment(cells, elements, first, last, false, w, [&](std::size_t i, Workspace& ws) {
      const int e = elements[i];
      const double* c = coefficients.data() + static_cast<std::ptrdiff_t>(e) * F;
      const Eigen::Map<const Eigen::VectorXd> B(ws.B.data(), F);
      p.energy += Eigen::Map<const Eigen::VectorXd>(c, F).dot(B) + coefficients[static_cast<Eigen::Index>(reference_offset()) + e];
      if (request.features) {
        p.features.segment(static_cast<Eigen::Index>(e) * F, F) += B;
        p.features[static_cast<Eigen::Index>(reference_offset()) + e] += 1.0;
      }
      if (request.atom_descriptors) out.atom_descriptors.col(static_cast<Eigen::Index>(i)) = B;
      if (!request.forces && !request.virial) return;
      const auto K = static_cast<Eigen::Index>(ws.atom.size());
      if (channels_ > 0) {
        // Adjoint of the projections: body order 3, dE_i/dA = A W, one block of rows per degree;
        // body order 4, each Gaunt term w G a1 a2 a3 adds w G a2 a3 to dE/da1 and so on.
        // dA_l = A_l W_{e l} on the transposed A (rows (l, m)), transposed back; the padding of
        // dA past (lmax+1)² stays zero.
        if (ws.dA.size() != ws.A.size()) ws.dA.assign(ws.A.size(), 0.0);
        if (!triples_.empty()) {
          ws.dAt.resize(ws.At.size());
          for (int l = 0; l <= spec_.lmax; ++l)
            times(ws.At.data() + l * l * cp, 2 * l + 1, static_cast<int>(C), cp,
                  weights.data() + static_cast<std::size_t>(e * (spec_.lmax + 1) + l) * channels_ * static_cast<std::size_t>(cp),
                  ws.dAt.data() + l * l * cp);
          for (Eigen::Index c = 0; c < C; ++c)
            for (int lm = 0; lm < ny; ++lm)
              ws.dA[static_cast<std::size_t>(c * ys + lm)] = ws.dAt[static_cast<std::size_t>(lm * cp + c)];
        }
        for (std::size_t f = 0; f < quads_.size(); ++f) {
          const double wf = c[four + f];
          const Quad& q = quads_[f];
          const double* a1 = ws.A.data() + q.c[0] * ys + q.l[0] * q.l[0];
          const double* a2 = ws.A.data() + q.c[1] * ys + q.l[1] * q.l[1];
          const double* a3 = ws.A.data() + q.c[2] * ys + q.l[2] * q.l[2];
          double* d1 = ws.dA.data() + q.c[0] * ys + q.l[0] * q.l[0];
          double* d2 = ws.dA.data() + q.c[1] * ys + q.l[1] * q.l[1];
          double* d3 = ws.dA.data() + q.c[2] * ys + q.l[2] * q.l[2];
          for (std::size_t g = q.first; g < q.first + q.count; ++g) {
            const AceCoupling::Entry& en = gaunt_[g];
            const double wg = wf * en.value;
            d1[en.m1] += wg * a2[en.m2] * a3[en.m3];
            d2[en.m2] += wg * a1[en.m1] * a3[en.m3];
            d3[en.m3] += wg * a1[en.m1] * a2[en.m2];
          }
        }
      }
      // ∂E_i/∂r_ij = Σ_n c_{z n} R_n' û + Σ_{q,lm} dA_{(z q) lm} (R_q' û Y_lm + R_q ∇Y_lm): per
      // neighbour, contract over q (D = Σ_q dA R_q, E = Σ_q dA R_q') and accumulate the four sums
      // over (l, m), then assemble the pair force and scatter it.
      const int pairs = ys / 2;
      const ContractKernel contract_nc = contract_kernel(nc);
      Eigen::Vector3d fi = Eigen::Vector3d::Zero();
      for (Eigen::Index k = 0; k < K; ++k) {
        const int z = ws.element[static_cast<std::size_t>(k)];
        const double* rq = ws.rad.data() + k * nr;
        const double* dq = ws.drad.data() + k * nr;
        double sums[4] = {0.0, 0.0, 0.0, 0.0};
        if (channels_ > 0) {
          const std::size_t o = static_cast<std::size_t>(k) * static_cast<std::size_t>(ys);
          const Pair* y = reinterpret_cast<const Pair*>(ws.y.data() + o);
          const Pair* gx = reinterpret_cast<const Pair*>(ws.gx.data() + o);
          const Pair* gy = reinterpret_cast<const Pair*>(ws.gy.data() + o);
          const Pair* gz = reinterpret_cast<const Pair*>(ws.gz.data() + o);
          const Pair* d = reinterpret_cast<const Pair*>(ws.dA.data() + static_cast<std::size_t>(z * nc) * static_cast<std::size_t>(ys));
          contract_nc(nc, pairs, rq, dq, d, y, gx, gy, gz, sums);
        }
        const double* cz = c + z * n2;
        // s_radial = Σ_q c_{z q} R_q' in two interleaved pair sums (fixed order).
        Pair sp = {0.0, 0.0};
        int q = 0;
        for (; q + 2 <= n2; q += 2) {
          Pair cv;
          __builtin_memcpy(&cv, cz + q, sizeof cv);
          sp += cv * *reinterpret_cast<const Pair*>(dq + q);
        }
        double s_radial = sum(sp);
        for (; q < n2; ++q) s_radial += cz[q] * dq[q];
        const Eigen::Vector3d& r = ws.r[static_cast<std::size_t>(k)];
        const double norm = r.norm();
        const Eigen::Vector3d u = r / norm;
        // Unprojected harmonic gradients: project the contracted sum once, (I − ûûᵀ) G / r.
        const Eigen::Vector3d G(sums[1], sums[2], sums[3]);
        const Eigen::Vector3d g = (G - u.dot(G) * u) / norm + (s_radial + sums[0]) * u;  // ∂E_i/∂r_ij
        if (request.forces) {
          p.forces.col(ws.atom[static_cast<std::size_t>(k)]) -= g;
          fi += g;
        }
        if (request.virial) p.virial.noalias() -= r * g.transpose();
      }
      if (request.forces) p.forces.col(static_cast<Eigen::Index>(i)) += fi;
    });
  };

  const std::size_t chunks = (n_atoms + kAtomsPerChunk - 1) / kAtomsPerChunk;
  std::vector<Partial> parts(chunks <= 2 ? 1 : chunks);
  if (chunks <= 2) {
    run(0, n_atoms, parts[0]);
  } else {
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t c = 0; c < chunks; ++c) run(c * kAtomsPerChunk, std::min(n_atoms, (c + 1) * kAtomsPerChunk), parts[c]);
  }
  if (request.forces) out.forces = Eigen::Matrix3Xd::Zero(3, n);
  if (request.features) out.features = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(coefficient_count()));
  for (const Partial& p : parts) {
    out.energy_eV += p.energy;
    if (request.forces) out.forces += p.forces;
    if (request.virial) out.virial_eV += p.virial;
    if (request.features) out.features += p.features;
  }
  if (request.virial) out.virial_eV = 0.5 * (out.virial_eV + out.virial_eV.transpose()).eval();
  return out;
}

AceDesign AceBasis::design(const lattice::Structure& s, bool virial, bool atom_descriptors) const {
  const std::vector<int> elements = element_indices(s);
  const std::size_t n_atoms = s.size();
  const int ys = y_stride_;
  const int nr = radial_.padded_size();  // per-neighbour stride of the radial values
  const int n2 = spec_.radial_size_2, n3 = spec_.radial_size_3, nc = channel_stride_;
  const int lcount = spec_.lmax + 1;
  const std::size_t four = two_body_ + triples_.size();
  const std::size_t mcount = 2 * static_cast<std::size_t>(spec_.lmax_4) + 1;
  const auto F = static_cast<Eigen::Index>(features_);
  const auto P = static_cast<Eigen::Index>(coefficient_count());
  AceDesign out;
  out.has_virial = virial;
  const Eigen::Index cols = 1 + 3 * static_cast<Eigen::Index>(n_atoms) + (virial ? 6 : 0);
  out.columns = Eigen::MatrixXd::Zero(P, cols);
  if (atom_descriptors) out.atom_descriptors.resize(F, static_cast<Eigen::Index>(n_atoms));
  std::vector<double> gi(3 * features_);
  Workspace w;
  const CellList cells(s, spec_.cutoff_A);
  for_each_atom_environment(cells, elements, 0, n_atoms, true, w, [&](std::size_t i, Workspace& ws) {
    const int e = elements[i];
    const Eigen::Index block = static_cast<Eigen::Index>(e) * F;
    const Eigen::Map<const Eigen::VectorXd> B(ws.B.data(), F);
    out.columns.col(0).segment(block, F) += B;
    out.columns(static_cast<Eigen::Index>(reference_offset()) + e, 0) += 1.0;
    if (atom_descriptors) out.atom_descriptors.col(static_cast<Eigen::Index>(i)) = B;
    std::fill(gi.begin(), gi.end(), 0.0);
    double* wv[6] = {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    if (virial)
      for (int v = 0; v < 6; ++v) wv[v] = out.columns.col(cols - 6 + v).data() + block;
    // Per neighbour: Σ_m A_{c,lm} Y_lm and Σ_m A_{c,lm} ∇Y_lm per channel and degree give T.
    const std::size_t cl = channels_ * static_cast<std::size_t>(lcount);
    ws.T.resize(3 * cl * static_cast<std::size_t>(n3));
    // Body order 4: P[f][s][m] = ∂B_f/∂A_{c_s l_s m} (the other two factors times G).
    ws.P.assign(quads_.size() * 3 * mcount, 0.0);
    for (std::size_t f = 0; f < quads_.size(); ++f) {
      const Quad& q = quads_[f];
      const double* a1 = ws.A.data() + q.c[0] * ys + q.l[0] * q.l[0];
      const double* a2 = ws.A.data() + q.c[1] * ys + q.l[1] * q.l[1];
      const double* a3 = ws.A.data() + q.c[2] * ys + q.l[2] * q.l[2];
      double* p = ws.P.data() + f * 3 * mcount;
      for (std::size_t g = q.first; g < q.first + q.count; ++g) {
        const AceCoupling::Entry& en = gaunt_[g];
        p[en.m1] += en.value * a2[en.m2] * a3[en.m3];
        p[mcount + static_cast<std::size_t>(en.m2)] += en.value * a1[en.m1] * a3[en.m3];
        p[2 * mcount + static_cast<std::size_t>(en.m3)] += en.value * a1[en.m1] * a2[en.m2];
      }
    }
    for (std::size_t k = 0; k < ws.atom.size(); ++k) {
      const int z = ws.element[k];
      const int j = ws.atom[k];
      const double* rad = ws.rad.data() + k * static_cast<std::size_t>(nr);
      const double* drad = ws.drad.data() + k * static_cast<std::size_t>(nr);
      const Eigen::Vector3d& r = ws.r[k];
      const Eigen::Vector3d u = r / r.norm();
      double* fj = out.columns.col(1 + 3 * j).data() + block;  // −∂φ/∂r_j: x, y, z columns
      double* fjy = out.columns.col(2 + 3 * j).data() + block;
      double* fjz = out.columns.col(3 + 3 * j).data() + block;
      auto put = [&](std::size_t f, double gx, double gy, double gz) {
        fj[f] -= gx, fjy[f] -= gy, fjz[f] -= gz;
        gi[3 * f] += gx, gi[3 * f + 1] += gy, gi[3 * f + 2] += gz;
        if (virial) {
          wv[0][f] -= r[0] * gx, wv[1][f] -= r[1] * gy, wv[2][f] -= r[2] * gz;
          wv[3][f] -= r[1] * gz, wv[4][f] -= r[0] * gz, wv[5][f] -= r[0] * gy;
        }
      };
      for (int q = 0; q < n2; ++q) put(static_cast<std::size_t>(z * n2 + q), drad[q] * u[0], drad[q] * u[1], drad[q] * u[2]);
      if (channels_ == 0) continue;
      const double* y = ws.y.data() + k * static_cast<std::size_t>(ys);
      const double* gx = ws.gx.data() + k * static_cast<std::size_t>(ys);
      const double* gy = ws.gy.data() + k * static_cast<std::size_t>(ys);
      const double* gz = ws.gz.data() + k * static_cast<std::size_t>(ys);
      // Body order 4: ∂B_f/∂r_j = Σ_s Σ_m P[f][s][m] ∇(R_{n_s} Y_{l_s m})(r_ij) over the factors of j's element.
      for (std::size_t f = 0; f < quads_.size(); ++f) {
        const Quad& q = quads_[f];
        double g[3] = {0.0, 0.0, 0.0};
        bool touched = false;
        for (int slot = 0; slot < 3; ++slot) {
          if (q.c[slot] / nc != z) continue;
          touched = true;
          const int nq = q.c[slot] % nc, l = q.l[slot];
          const double* p = ws.P.data() + (f * 3 + static_cast<std::size_t>(slot)) * mcount;
          double sy = 0.0, sx0 = 0.0, sx1 = 0.0, sx2 = 0.0;
          for (int m = 0; m <= 2 * l; ++m) {
            const int lm = l * l + m;
            sy += p[m] * y[lm];
            sx0 += p[m] * gx[lm], sx1 += p[m] * gy[lm], sx2 += p[m] * gz[lm];
          }
          g[0] += drad[nq] * u[0] * sy + rad[nq] * sx0;
          g[1] += drad[nq] * u[1] * sy + rad[nq] * sx1;
          g[2] += drad[nq] * u[2] * sy + rad[nq] * sx2;
        }
        if (touched) put(four + f, g[0], g[1], g[2]);
      }
      for (std::size_t c = 0; c < (triples_.empty() ? 0 : channels_); ++c) {
        const double* a = ws.A.data() + c * static_cast<std::size_t>(ys);
        for (int l = 0; l < lcount; ++l) {
          double sy = 0.0, sx0 = 0.0, sx1 = 0.0, sx2 = 0.0;
          for (int lm = l * l; lm < (l + 1) * (l + 1); ++lm) {
            sy += a[lm] * y[lm];
            sx0 += a[lm] * gx[lm], sx1 += a[lm] * gy[lm], sx2 += a[lm] * gz[lm];
          }
          // T[c][q][l] = Σ_m A_{c,lm} ∇(R_q Y_lm)(r_ij) for this neighbour's element.
          for (int q = 0; q < n3; ++q) {
            double* t = ws.T.data() + 3 * ((c * static_cast<std::size_t>(n3) + static_cast<std::size_t>(q)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
            t[0] = drad[q] * u[0] * sy + rad[q] * sx0;
            t[1] = drad[q] * u[1] * sy + rad[q] * sx1;
            t[2] = drad[q] * u[2] * sy + rad[q] * sx2;
          }
        }
      }
      for (std::size_t t = 0; t < triples_.size(); ++t) {
        const auto& [c1, c2, l] = triples_[t];
        const bool first = c1 / nc == z, second = c2 / nc == z;
        if (!first && !second) continue;
        double g[3] = {0.0, 0.0, 0.0};
        if (first) {  // ∂A_{c1}/∂r_j paired with A_{c2}
          const double* tv = ws.T.data() + 3 * ((static_cast<std::size_t>(c2) * static_cast<std::size_t>(n3) + static_cast<std::size_t>(c1 % nc)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
          g[0] += tv[0], g[1] += tv[1], g[2] += tv[2];
        }
        if (second) {
          const double* tv = ws.T.data() + 3 * ((static_cast<std::size_t>(c1) * static_cast<std::size_t>(n3) + static_cast<std::size_t>(c2 % nc)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
          g[0] += tv[0], g[1] += tv[1], g[2] += tv[2];
        }
        put(two_body_ + t, g[0], g[1], g[2]);
      }
    }
    double* fix = out.columns.col(1 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    double* fiy = out.columns.col(2 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    double* fiz = out.columns.col(3 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    for (std::size_t f = 0; f < features_; ++f) fix[f] += gi[3 * f], fiy[f] += gi[3 * f + 1], fiz[f] += gi[3 * f + 2];
  });
  // The per-feature virial of a rotation-invariant descriptor is symmetric; the three
  // off-diagonal columns hold Σ r_y g_z, Σ r_x g_z, Σ r_x g_y.
  return out;
}

}  // namespace ionhop::neb
