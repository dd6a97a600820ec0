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
///
/// The ACE basis evaluates the functions from a table (evaluate_tabulated()): a quintic Hermite
/// spline per function on a uniform grid of spacing h with a node at r_in (where the second
/// derivatives of x and f_c jump), matching R_n, R_n' and R_n'' at every node. Its derivative
/// is the exact derivative of the spline, so forces stay the gradient of the energy. The error
/// of a quintic Hermite interpolant is h⁶ f⁽⁶⁾(ξ) t³(1 − t)³/720 at fraction t of an interval,
/// largest at t = ½, and that of its derivative largest at t = (1 ± 1/√5)/2: the constructor
/// halves h (from ≈ 0.02 Å) until the errors at these points of every interval are below
/// kTabulationTolerance relative to max(1, |R_n|) (values) and max(1, |R_n'|) (derivatives),
/// far below any fit error of the model (default basis: h = 0.0025 Å, largest errors 7e-11 in
/// values and 3e-8 in derivatives; 2200 intervals, 1.3 MB). If 4096 intervals in [r_in, r_c]
/// do not reach that, there is no table and the closed forms are used). The table covers
/// [max(0, r_in − 1 Å), r_c); shorter distances use the closed forms.
#include <vector>

namespace ionhop::neb {

class AceRadialBasis {
 public:
  /// Throws std::invalid_argument unless 0 ≤ inner_A < cutoff_A, 1 ≤ size ≤ 32 and 0 ≤ exponent ≤ 20.
  AceRadialBasis(int size, double inner_A, double cutoff_A, double exponent = 0.0);

  int size() const { return size_; }
  double inner_A() const { return inner_; }
  double cutoff_A() const { return cutoff_; }
  double exponent() const { return exponent_; }

  /// Relative accuracy of the table (see above).
  static constexpr double kTabulationTolerance = 1e-7;

  /// R_n(r) into values[n]; r in (0, cutoff) [Å]. Closed forms.
  void evaluate(double r_A, double* values) const;
  /// R_n(r) and dR_n/dr [1/Å]. Closed forms.
  void evaluate_with_derivative(double r_A, double* values, double* derivatives) const;
  /// R_n, R_n' and R_n'' [1/Å²]. side selects the one-sided limit at r_in and r_c, where R_n''
  /// jumps (side > 0: from above, side < 0: from below). Closed forms.
  void evaluate_with_second_derivative(double r_A, double* values, double* derivatives, double* second,
                                       int side = 1) const;

  /// Entries written by evaluate_tabulated(): size() rounded up to a multiple of 4 (the extra
  /// entries are zero).
  int padded_size() const { return padded_; }
  /// R_n(r) and dR_n/dr from the spline table (closed forms below its range), padded_size()
  /// entries each. r ≥ r_c gives zeros.
  void evaluate_tabulated(double r_A, double* values, double* derivatives) const;
  /// The table's grid spacing h [Å] and its first node [Å].
  double table_spacing_A() const { return h_; }
  double table_start_A() const { return start_; }
  /// Whether there is a table; the largest relative error found at its check points.
  bool tabulated() const { return !table_.empty(); }
  double table_error() const { return table_error_; }

 private:
  /// At r = r_in + s (r_c − r_in), side as above.
  void closed_form(double s, int side, double* values, double* derivatives, double* second) const;
  void build_table();

  int size_;
  double inner_;
  double cutoff_;
  double exponent_;
  double transform_norm_ = 1.0;  ///< 1/(1 − exp(−q))
  int padded_ = 4;
  double start_ = 0.0, h_ = 0.0, inv_h_ = 0.0;
  int intervals_ = 0;
  double table_error_ = 0.0;
  /// Per interval, six coefficient rows of padded_size() (Σ_j c_j t^j, t ∈ [0, 1) the fraction).
  std::vector<double> table_;
};

}  // namespace ionhop::neb
