#pragma once
/// Base of potentials evaluated over a half pair list: pair terms, the real-space part of Coulomb
/// sums. A SumPotential builds one list (a candidate list per distinct cutoff) and lets every such term
/// add to one result, each pair evaluated once per term.
#include "neb/CellList.hpp"
#include "neb/HalfPairList.hpp"
#include "neb/Potential.hpp"

namespace ionhop::neb {

class CellListPotential : public Potential {
 public:
  /// Largest pair distance the term needs [Å]; it is one of the cutoffs of the pair list
  /// passed to accumulate.
  virtual double cutoff_A() const = 0;

  /// Adds this term's energy, forces (if requested and allocated) and virial (if requested) to
  /// `result`, using `pairs` built from `s` with cutoff_A() among its cutoffs.
  virtual void accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                          PotentialResult& result) const = 0;

  /// Builds a pair list and calls accumulate on a zeroed result.
  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;

  PotentialCapabilities capabilities() const override { return {.virial = true, .variance = false, .thread_safe = true}; }
};

/// This thread's pair list, whose storage is reused from call to call (a list is rebuilt for
/// every evaluation; keeping its memory avoids fresh page allocation, which cost as much as the
/// build itself). Holds the memory of the largest list this thread built.
HalfPairList& thread_pair_list();

/// A result with zero energy, zero forces (3×N, if requested) and zero virial (if requested).
PotentialResult zero_result(std::size_t atom_count, const ComputeRequest& req);


}  // namespace ionhop::neb
