#pragma once
/// Base of potentials evaluated over a cell list: pair terms, the real-space part of Coulomb sums.
/// A SumPotential builds one cell list at the largest cutoff and lets every such term add to
/// one result.
#include "neb/CellList.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

class CellListPotential : public Potential {
 public:
  /// Largest pair distance the term needs from the cell list [Å].
  virtual double cutoff_A() const = 0;

  /// Adds this term's energy, forces (if requested and allocated) and virial (if requested) to
  /// `result`, using `cells` (cutoff ≥ cutoff_A()) built from `s`.
  virtual void accumulate(const lattice::Structure& s, const CellList& cells, const ComputeRequest& req,
                          PotentialResult& result) const = 0;

  /// Builds a cell list and calls accumulate on a zeroed result.
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;

  PotentialCapabilities capabilities() const override { return {.virial = true, .variance = false, .thread_safe = true}; }
};

/// A result with zero energy, zero forces (3×N, if requested) and zero virial (if requested).
PotentialResult zero_result(std::size_t atom_count, const ComputeRequest& req);

/// Adds per-atom energies, forces and virials to `result` in atom order (a fixed-order
/// reduction, so the sum does not depend on the number of threads).
void add_per_atom(const std::vector<double>& energy_eV, const Eigen::Matrix3Xd& forces, const std::vector<Eigen::Matrix3d>& virial,
                  const ComputeRequest& req, PotentialResult& result);

}  // namespace ionhop::neb
