#pragma once
/// A sum of potentials (e.g. Pedone = Morse + C/r¹² + Ewald Coulomb). Terms that work on a pair
/// list (CellListPotential) share one half pair list with a candidate list per distinct cutoff.
#include <memory>
#include <string>
#include <vector>

#include "neb/Potential.hpp"

namespace ionhop::neb {

class SumPotential final : public Potential {
 public:
  /// Throws std::invalid_argument for an empty list or a null term.
  explicit SumPotential(std::vector<std::unique_ptr<Potential>> terms);

  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override;
  /// virial and thread_safe only if every term has them; variance if any term has it.
  PotentialCapabilities capabilities() const override;
  std::string name() const override { return "sum"; }

  std::size_t term_count() const { return terms_.size(); }
  const Potential& term(std::size_t k) const { return *terms_[k]; }

 private:
  std::vector<std::unique_ptr<Potential>> terms_;
};

}  // namespace ionhop::neb
