#pragma once
/// Image-dependent pair potential (IDPP) initial paths for NEB.
/// Smidstrup, Pedersen, Stokbro & Jónsson, J. Chem. Phys. 140, 214106 (2014).
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

/// The IDPP objective of one image: S = Σ_{i<j} w(d_ij) (d_ij − t_ij)², w(d) = d⁻⁴, with target
/// distances t_ij = (1 − τ) d⁰_ij + τ d¹_ij interpolated between the end states. Distances use the
/// minimum image along periodic axes (by rounding fractional differences, exact for cells whose
/// shortest pair vectors are not skewed). "Energy" in Å⁻², "forces" in Å⁻³. O(N²) per call.
class IdppPotential final : public Potential {
 public:
  /// initial and final (unwrapped) end states; tau ∈ [0, 1] is the image's fraction of the path.
  IdppPotential(const lattice::Structure& initial, const lattice::Structure& final_state, double tau);
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;
  PotentialCapabilities capabilities() const override { return {false, false, true}; }
  std::string name() const override { return "idpp"; }

 private:
  Eigen::MatrixXd target_;  // N×N target distances [Å]
};

struct IdppParams {
  double fmax = 0.01;        ///< convergence of the IDPP band [Å⁻³]
  int max_iterations = 500;  ///< band optimizer steps
  double spring = 0.1;       ///< spring constant of the IDPP band [Å⁻⁴]
  double max_step_A = 0.1;   ///< largest atomic displacement per step [Å]
};

/// initial, n_intermediate IDPP-optimised images, final (unwrapped): the linear path relaxed
/// on the IDPP objective with a plain (non-climbing) NEB and FIRE, end points fixed. The IDPP
/// band is an initial guess, so it is returned as it stands even if not converged.
std::vector<lattice::Structure> idpp_path(const lattice::Structure& initial, const lattice::Structure& final_state,
                                          int n_intermediate, const IdppParams& params = {});

}  // namespace ionhop::neb
