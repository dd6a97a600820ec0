#include "neb/CellListPotential.hpp"

namespace ionhop::neb {

PotentialResult zero_result(std::size_t atom_count, const ComputeRequest& req) {
  PotentialResult r;
  if (req.forces) r.forces = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(atom_count));
  if (req.virial) r.virial_eV = Eigen::Matrix3d::Zero();
  return r;
}

HalfPairList& thread_pair_list() {
  thread_local HalfPairList list;
  return list;
}

PotentialResult CellListPotential::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  PotentialResult result = zero_result(s.size(), req);
  HalfPairList& pairs = thread_pair_list();
  pairs.build(s, {cutoff_A()});
  accumulate(s, pairs, req, result);
  return result;
}

}  // namespace ionhop::neb
