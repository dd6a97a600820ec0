#pragma once
/// The interface every interatomic potential implements (classical terms, sums, the MLIP).
#include <Eigen/Core>
#include <optional>
#include <string>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

/// What a caller wants computed; a potential may skip work that was not asked for.
struct ComputeRequest {
  bool forces = true;
  bool virial = false;
};

struct PotentialResult {
  double energy_eV = 0.0;
  /// Forces [eV/Å], 3×N (empty if not requested).
  Eigen::Matrix3Xd forces;
  /// Virial W = Σ_pairs r_ij ⊗ f_ij [eV] (= −∂E/∂ε); stress σ = −W / V. Set if requested and supported.
  std::optional<Eigen::Matrix3d> virial_eV;
  /// Predictive variance of the energy [eV²], for potentials with uncertainty (the MLIP).
  std::optional<double> energy_variance_eV2;
};

struct PotentialCapabilities {
  bool virial = false;       ///< can compute the virial/stress
  bool variance = false;     ///< reports an energy variance
  bool thread_safe = true;   ///< compute() may be called concurrently on one instance
};

class Potential {
 public:
  virtual ~Potential() = default;
  virtual PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const = 0;
  virtual PotentialCapabilities capabilities() const = 0;
  /// Registry name, e.g. "lennard_jones", "ewald", "sum".
  virtual std::string name() const = 0;
};

}  // namespace ionhop::neb
