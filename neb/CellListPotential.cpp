#include "neb/CellListPotential.hpp"

namespace ionhop::neb {

PotentialResult zero_result(std::size_t atom_count, const ComputeRequest& req) {
  PotentialResult r;
  if (req.forces) r.forces = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(atom_count));
  if (req.virial) r.virial_eV = Eigen::Matrix3d::Zero();
  return r;
}

PotentialResult CellListPotential::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  PotentialResult result = zero_result(s.size(), req);
  const CellList cells(s, cutoff_A());
  accumulate(s, cells, req, result);
  return result;
}

void add_per_atom(const std::vector<double>& energy_eV, const Eigen::Matrix3Xd& forces, const std::vector<Eigen::Matrix3d>& virial,
                  const ComputeRequest& req, PotentialResult& result) {
  double e = 0.0;
  for (double x : energy_eV) e += x;
  result.energy_eV += e;
  if (req.forces) result.forces += forces;
  if (req.virial && result.virial_eV) {
    Eigen::Matrix3d w = Eigen::Matrix3d::Zero();
    for (const auto& x : virial) w += x;
    *result.virial_eV += w;
  }
}

}  // namespace ionhop::neb
