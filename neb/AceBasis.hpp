#pragma once
/// The linear atomic cluster expansion basis (Drautz, PRB 99, 014104 (2019)): per-atom invariant
/// descriptors of body order 2, 3 and (optionally) 4 built from per-atom density projections
///   A_{i,z n l m} = Σ_{j ≠ i, Z_j = z, r_ij < r_c} R_n(r_ij) Y_lm(r̂_ij)
/// (one channel per neighbour element z: "per-element channels"), so that the cost is
/// O(neighbours × basis), not O(neighbours²):
///   body order 2:  B_{z n}            = Σ_{j: Z_j = z} R_n(r_ij)                       n < radial_size_2
///   body order 3:  B_{(z1 n1)(z2 n2) l} = Σ_m A_{z1 n1 l m} A_{z2 n2 l m}   (z1 n1) ≤ (z2 n2), n < radial_size_3, l ≤ lmax
///   body order 4:  B_{(c1 l1)(c2 l2)(c3 l3)} = Σ_{m1 m2 m3} G^{l1 l2 l3}_{m1 m2 m3} A_{c1 l1 m1} A_{c2 l2 m2} A_{c3 l3 m3}
///                  c = (z n), n < radial_size_4, l ≤ lmax_4, (c1 l1) ≤ (c2 l2) ≤ (c3 l3), l1 + l2 + l3 even, triangle
/// (the l-sum is rotation invariant by the addition theorem; G are the real Gaunt coefficients of
/// neb/AceCoupling.hpp). The per-atom energy is linear in
/// them with one coefficient block per centre element; a structure's energy is
///   E = Σ_i c_{Z_i} · B(i) + Σ_e N_e ε_e,
/// so the structure's feature vector φ (coefficient_count() numbers) is the sum of the per-atom
/// descriptors in their element's block followed by the atom count of each element (whose
/// coefficients are the per-element reference energies ε_e).
#include <Eigen/Core>
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/AceCoupling.hpp"
#include "neb/AceRadialBasis.hpp"
#include "neb/AceSphericalHarmonics.hpp"

namespace ionhop::neb {

class CellList;

/// What the basis is made of (stored with a trained model).
struct AceBasisSpec {
  std::vector<std::string> elements;  ///< chemical symbols, in coefficient-block order
  double cutoff_A = 5.5;              ///< r_c [Å]
  double inner_A = 1.0;               ///< r_in [Å]: start of the cutoff function and of x ∈ [−1, 1]
  double radial_exponent = 4.0;       ///< q of the distance transform (neb/AceRadialBasis.hpp)
  int radial_size_2 = 12;             ///< radial functions per neighbour element, body order 2
  int radial_size_3 = 5;              ///< radial functions per neighbour element, body order 3
  int lmax = 4;                       ///< largest angular degree, body order 3
  int body_order = 3;                 ///< 2, 3 or 4 (each includes the lower orders)
  int radial_size_4 = 2;              ///< radial functions per neighbour element, body order 4
  int lmax_4 = 2;                     ///< largest angular degree, body order 4

  bool operator==(const AceBasisSpec&) const = default;
};

/// What evaluate() returns besides the energy.
struct AceEvaluationRequest {
  bool forces = true;
  bool virial = false;
  bool features = false;          ///< the structure's feature vector φ
  bool atom_descriptors = false;  ///< B(i) of every atom (F × N)
};

struct AceEvaluation {
  double energy_eV = 0.0;          ///< c·φ (no baseline)
  Eigen::Matrix3Xd forces;         ///< −∂E/∂r [eV/Å], 3×N (if requested)
  Eigen::Matrix3d virial_eV = Eigen::Matrix3d::Zero();  ///< −∂E/∂ε [eV] (if requested)
  Eigen::VectorXd features;        ///< φ, coefficient_count() (if requested)
  Eigen::MatrixXd atom_descriptors;  ///< F × N, column i = B(i) (if requested)
};

/// Rows of the least-squares design for one structure, stored transposed (one column per row
/// of the design matrix, so that filling is contiguous): coefficient_count() × (1 + 3N [+ 6]).
///   column 0:          φ (total-energy features; E = c·φ)
///   column 1 + 3a + α: −∂φ/∂r_aα (force features; F_aα = c · column)
///   last 6 (virial):   virial features W_αβ = −∂φ/∂ε_αβ [eV], order xx, yy, zz, yz, xz, xy
struct AceDesign {
  Eigen::MatrixXd columns;
  Eigen::MatrixXd atom_descriptors;  ///< F × N (if requested)
  bool has_virial = false;
};

class AceBasis {
 public:
  /// Throws std::invalid_argument for an invalid spec (no elements, duplicates, bad sizes).
  explicit AceBasis(AceBasisSpec spec);

  const AceBasisSpec& spec() const { return spec_; }
  std::size_t element_count() const { return spec_.elements.size(); }
  /// F: descriptors per atom (one centre element's coefficient block).
  std::size_t features_per_element() const { return features_; }
  std::size_t two_body_count() const { return two_body_; }
  std::size_t three_body_count() const { return triples_.size(); }
  std::size_t four_body_count() const { return quads_.size(); }
  /// P = element_count() · F + element_count().
  std::size_t coefficient_count() const { return element_count() * features_ + element_count(); }
  /// Index of the first reference-energy coefficient (= element_count() · F).
  std::size_t reference_offset() const { return element_count() * features_; }

  /// Element index of every atom; throws PotentialEvaluationError for a species not in the basis.
  std::vector<int> element_indices(const lattice::Structure& s) const;

  /// Energy c·φ and what `request` asks for. coefficients has coefficient_count() entries.
  /// Large structures run in fixed atom chunks (OpenMP), summed in chunk order: results do not
  /// depend on the thread count.
  AceEvaluation evaluate(const lattice::Structure& s, const Eigen::VectorXd& coefficients,
                         const AceEvaluationRequest& request) const;

  /// The structure's design block (see AceDesign); serial (callers parallelise over structures).
  AceDesign design(const lattice::Structure& s, bool virial, bool atom_descriptors) const;

 private:
  struct Workspace;
  template <class Visit>
  /// projected: harmonic gradients ∇_r Y (design) or unprojected ∇F (evaluate, which projects
  /// its contracted sums).
  void for_each_atom_environment(const CellList& cells, const std::vector<int>& elements, std::size_t first,
                                 std::size_t last, bool projected, Workspace& w, Visit&& visit) const;

  /// channels_ rounded up to a multiple of 4 (rows of the transposed projections).
  int channels_padded() const { return (static_cast<int>(channels_) + 3) / 4 * 4; }

  AceBasisSpec spec_;
  AceRadialBasis radial_;
  AceSphericalHarmonics harmonics_;
  std::size_t channels_ = 0;   ///< Nz · channel_stride_: A's channels c = z · channel_stride_ + n
  int channel_stride_ = 0;     ///< radial_size_3 (and radial_size_4 for body order 4) at most
  std::size_t two_body_ = 0;   ///< Nz · radial_size_2
  std::size_t features_ = 0;   ///< F
  int y_stride_ = 2;           ///< (lmax+1)² rounded up to even (to a multiple of 4 with AVX2): per-neighbour and per-channel stride over (l, m)
  /// The body-order-3 features: channel pair (c1 ≤ c2) and degree l, in feature order.
  std::vector<std::array<int, 3>> triples_;
  /// Per body-order-3 feature: its entry (l C + c1) cp + c2 in the per-degree Gram matrices.
  std::vector<int> triple_gram_index_;
  /// The body-order-4 features, in feature order: channels and degrees of the three factors and
  /// their Gaunt coefficients gaunt_[first, first + count).
  struct Quad {
    int c[3], l[3];
    std::size_t first, count;
  };
  std::vector<Quad> quads_;
  std::vector<AceCoupling::Entry> gaunt_;
};

}  // namespace ionhop::neb
