#pragma once
/// Real-spherical-harmonic Gaunt coefficients for the body-order-4 invariants of the atomic
/// cluster expansion (neb/AceBasis.hpp):
///   G^{l1 l2 l3}_{m1 m2 m3} = ∫ Y_{l1 m1} Y_{l2 m2} Y_{l3 m3} dΩ
/// with the real harmonics of neb/AceSphericalHarmonics.hpp. Σ_{m1 m2 m3} G A_{l1 m1} A'_{l2 m2}
/// A''_{l3 m3} is invariant under rotations (and inversions) of the A's. Non-zero only for
/// l1 + l2 + l3 even and |l1 − l2| ≤ l3 ≤ l1 + l2. Computed once by a quadrature that is exact
/// for these integrands: Gauss–Legendre in cos θ (the φ-averaged integrand is a polynomial of
/// degree ≤ l1 + l2 + l3 in cos θ) times the uniform rule in φ (exact for the trigonometric
/// polynomials of degree ≤ m1 + m2 + m3 < points).
#include <vector>

namespace ionhop::neb {

class AceCoupling {
 public:
  struct Entry {
    int m1, m2, m3;  ///< offsets l + m in the degree's block (0 … 2l)
    double value;
  };

  /// All couplings with l1, l2, l3 ≤ lmax; throws std::invalid_argument for lmax < 0 or > 12.
  explicit AceCoupling(int lmax);

  int lmax() const { return lmax_; }
  /// Non-zero coefficients (|G| > 1e-12) of one degree triple, in (m1, m2, m3) lexicographic order.
  const std::vector<Entry>& entries(int l1, int l2, int l3) const;
  /// G^{l1 l2 l3}_{m1 m2 m3} (m's from −l to l); zero where not stored.
  double value(int l1, int m1, int l2, int m2, int l3, int m3) const;

  /// Gauss–Legendre nodes and weights on [−1, 1] (n points, exact to degree 2n − 1).
  static void gauss_legendre(int n, std::vector<double>& nodes, std::vector<double>& weights);

 private:
  int lmax_;
  std::vector<std::vector<Entry>> blocks_;  ///< index (l1 (lmax+1) + l2)(lmax+1) + l3
};

}  // namespace ionhop::neb
