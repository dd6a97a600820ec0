#include "neb/SumPotential.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "neb/CellListPotential.hpp"

namespace ionhop::neb {

SumPotential::SumPotential(std::vector<std::unique_ptr<Potential>> terms) : terms_(std::move(terms)) {
  if (terms_.empty()) throw std::invalid_argument("sum: needs at least one term");
  for (const auto& t : terms_)
    if (!t) throw std::invalid_argument("sum: null term");
}

PotentialCapabilities SumPotential::capabilities() const {
  PotentialCapabilities c{.virial = true, .variance = false, .thread_safe = true};
  for (const auto& t : terms_) {
    const PotentialCapabilities tc = t->capabilities();
    c.virial = c.virial && tc.virial;
    c.variance = c.variance || tc.variance;
    c.thread_safe = c.thread_safe && tc.thread_safe;
  }
  return c;
}

PotentialResult SumPotential::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  PotentialResult result = zero_result(s.size(), req);
  // One half pair list for all pair-list terms, a candidate list per distinct cutoff. They run
  // first, so a nested term's compute() may reuse this thread's list storage afterwards.
  std::vector<double> cutoffs;
  for (const auto& t : terms_)
    if (const auto* c = dynamic_cast<const CellListPotential*>(t.get())) cutoffs.push_back(c->cutoff_A());
  if (!cutoffs.empty()) {
    HalfPairList& pairs = thread_pair_list();
    pairs.build(s, cutoffs);
    for (const auto& t : terms_)
      if (const auto* c = dynamic_cast<const CellListPotential*>(t.get())) c->accumulate(s, pairs, req, result);
  }
  bool virial_complete = true;
  for (const auto& t : terms_) {
    if (dynamic_cast<const CellListPotential*>(t.get()) != nullptr) continue;
    const PotentialResult r = t->compute(s, req);
    result.energy_eV += r.energy_eV;
    if (req.forces) result.forces += r.forces;
    if (req.virial) {
      if (r.virial_eV && result.virial_eV) *result.virial_eV += *r.virial_eV;
      else virial_complete = false;
    }
    if (r.energy_variance_eV2) result.energy_variance_eV2 = result.energy_variance_eV2.value_or(0.0) + *r.energy_variance_eV2;
  }
  if (!virial_complete) result.virial_eV.reset();
  return result;
}

}  // namespace ionhop::neb
