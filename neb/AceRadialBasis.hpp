#pragma once
/// The radial basis of the atomic cluster expansion: Chebyshev polynomials of a scaled distance
/// times a smooth cutoff,
///   R_n(r) = T_n(x(r)) f_c(r),  n = 0 … size−1,
///   x = 2 s − 1,  s = (1 − exp(−q t)) / (1 − exp(−q)),  t = (r − r_in)/(r_c − r_in),
/// with q ≥ 0 the `exponent` of the distance transform (q = 0: s = t, evenly spaced; q > 0
/// spends more of the polynomial resolution at short distances, where repulsive walls are
/// steep — the exponential scaling of Drautz's ACE radial functions; below r_in x continues
/// along its tangent),
///   f_c(r) = 1 (r ≤ r_in),  ½ (1 + cos(π (r − r_in)/(r_c − r_in))) (r_in < r < r_c),  0 (r ≥ r_c).
/// f_c and f_c' vanish at r_c, so energies and forces are continuous when an atom crosses the
/// cutoff (Behler, J. Chem. Phys. 134, 074106 (2011) for the cosine cutoff; Chebyshev radial
/// bases as in Drautz, PRB 99, 014104 (2019)).
namespace ionhop::neb {

class AceRadialBasis {
 public:
  /// Throws std::invalid_argument unless 0 ≤ inner_A < cutoff_A, 1 ≤ size ≤ 32 and 0 ≤ exponent ≤ 20.
  AceRadialBasis(int size, double inner_A, double cutoff_A, double exponent = 0.0);

  int size() const { return size_; }
  double inner_A() const { return inner_; }
  double cutoff_A() const { return cutoff_; }
  double exponent() const { return exponent_; }

  /// R_n(r) into values[n]; r in (0, cutoff) [Å].
  void evaluate(double r_A, double* values) const;
  /// R_n(r) and dR_n/dr [1/Å].
  void evaluate_with_derivative(double r_A, double* values, double* derivatives) const;

 private:
  int size_;
  double inner_;
  double cutoff_;
  double exponent_;
  double transform_norm_ = 1.0;  ///< 1/(1 − exp(−q))
};

}  // namespace ionhop::neb
