#pragma once
/// The Müller–Brown model surface as a Potential on one atom moving in the x–y plane.
/// Müller & Brown, Theor. Chim. Acta 53, 75 (1979).
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// V(x, y) = Σ_k A_k exp(a_k (x−x0_k)² + b_k (x−x0_k)(y−y0_k) + c_k (y−y0_k)²), with the
/// original parameters; energies in the model's own units (reported as "eV"), lengths as "Å".
/// The structure must hold exactly one atom; the force has z component 0; no virial.
class MullerBrown final : public Potential {
 public:
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;
  PotentialCapabilities capabilities() const override { return {false, false, true}; }
  std::string name() const override { return "muller_brown"; }

  /// The surface and its gradient at (x, y).
  static double energy(double x, double y);
  static Eigen::Vector2d gradient(double x, double y);
  /// A one-atom, non-periodic structure at (x, y, 0).
  static lattice::Structure structure_at(double x, double y);
};

}  // namespace ionhop::neb
