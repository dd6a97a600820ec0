#pragma once
/// Real spherical harmonics Y_lm(r̂) up to degree lmax with their Cartesian gradients, as used by
/// the atomic cluster expansion (neb/AceBasis.hpp). Orthonormal on the unit sphere:
///   Y_l0 = √((2l+1)/4π) P_l(z),
///   Y_lm = √2 √((2l+1)/4π (l−m)!/(l+m)!) P_l^m(z) cos(mφ)   (m > 0),
///   Y_l,−m = the same with sin(mφ),
/// with P_l^m the associated Legendre functions without the Condon–Shortley phase. The addition
/// theorem Σ_m Y_lm(û) Y_lm(v̂) = (2l+1)/(4π) P_l(û·v̂) makes Σ_m A_lm A'_lm rotation invariant.
#include <Eigen/Core>
#include <vector>

namespace ionhop::neb {

/// Index of (l, m) in arrays of (lmax+1)² harmonics: l² + l + m.
constexpr int sh_index(int l, int m) { return l * l + l + m; }

/// Evaluates real spherical harmonics and their gradients for one lmax.
class AceSphericalHarmonics {
 public:
  /// Throws std::invalid_argument for lmax < 0 or lmax > 12.
  explicit AceSphericalHarmonics(int lmax);

  int lmax() const { return lmax_; }
  int count() const { return (lmax_ + 1) * (lmax_ + 1); }

  /// Y_lm(r/|r|) into y[sh_index(l, m)] (size count()). r must be non-zero.
  void evaluate(const Eigen::Vector3d& r, double* y) const;
  /// As evaluate(), plus ∇_r Y_lm(r/|r|) [1/Å] by component into gx, gy, gz (count() each;
  /// separate arrays so that loops over (l, m) vectorise).
  void evaluate_with_gradient(const Eigen::Vector3d& r, double* y, double* gx, double* gy, double* gz) const;
  /// As evaluate_with_gradient() without the final tangential projection: gx, gy, gz receive
  /// ∇F(û) of the polynomial extension F (see the .cpp), and ∇_r Y_lm = (I − ûûᵀ) ∇F(û) / |r|.
  /// The projection is linear, so a caller that needs only Σ_lm w_lm ∇_r Y_lm projects the sum
  /// once instead of every harmonic.
  void evaluate_with_unprojected_gradient(const Eigen::Vector3d& r, double* y, double* gx, double* gy, double* gz) const;
  /// evaluate_with_unprojected_gradient() for four vectors at once: r[v] → y[v], gx[v], gy[v],
  /// gz[v], each written up to `stride` entries (a multiple of 4, ≥ count(); the entries past
  /// count() are set to zero). The same operations in the same order as one at a time, without
  /// FMA contraction (neb/CMakeLists.txt), so the results are bit for bit the same; on four lanes
  /// of AVX2 when the CPU has it (neb/SimdDispatch.hpp), else one vector after the other.
  void evaluate_four_with_unprojected_gradient(const Eigen::Vector3d* const r[4], double* const y[4],
                                               double* const gx[4], double* const gy[4], double* const gz[4],
                                               int stride) const;

 private:
  void four_avx2(const Eigen::Vector3d* const r[4], double* const y[4], double* const gx[4], double* const gy[4],
                 double* const gz[4], int stride) const;
  template <bool Gradient, bool Project>
  void compute(const Eigen::Vector3d& r, double* y, double* gx, double* gy, double* gz) const;

  /// Per (l, m ≥ 0) in evaluation order (m outer, l = m … lmax inner): normalisation N_lm and
  /// the recurrence coefficients (2l−1)/(l−m), (l+m−1)/(l−m).
  struct Term {
    double norm, a, b;
  };
  int lmax_;
  std::vector<Term> terms_;
};

}  // namespace ionhop::neb
