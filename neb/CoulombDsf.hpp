#pragma once
/// Damped shifted force (DSF) Coulomb, Fennell & Gezelter, J. Chem. Phys. 124, 234104 (2006):
/// pair energy k q_i q_j [erfc(αr)/r − erfc(αR_c)/R_c + (erfc(αR_c)/R_c² + 2α/√π e^{−α²R_c²}/R_c)(r − R_c)]
/// for r < R_c, plus the self term −k (erfc(αR_c)/(2R_c) + α/√π) Σ q_i². Energy and force go to
/// zero at R_c. Real-space only: O(N), no reciprocal sum; works for any periodicity.
#include <map>
#include <string>

#include "neb/CellListPotential.hpp"

namespace ionhop::neb {

class CoulombDsf final : public CellListPotential {
 public:
  /// Throws std::invalid_argument unless cutoff_A > 0 and alpha_per_A ≥ 0.
  CoulombDsf(std::map<std::string, double> charges_e, double cutoff_A, double alpha_per_A);

  std::string name() const override { return "coulomb_dsf"; }
  double cutoff_A() const override { return cutoff_; }
  double alpha_per_A() const { return alpha_; }

  void accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                  PotentialResult& result) const override;

 private:
  std::map<std::string, double> charges_;
  double cutoff_ = 0.0;
  double alpha_ = 0.0;
};

}  // namespace ionhop::neb
