#include "neb/CoulombCharges.hpp"

#include "neb/PotentialError.hpp"

namespace ionhop::neb {

std::vector<double> charges_of(const lattice::Structure& s, const std::map<std::string, double>& charges_e,
                               const std::string& potential_name) {
  std::vector<double> q(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto it = charges_e.find(s.species[i]);
    if (it == charges_e.end())
      throw PotentialEvaluationError(potential_name + ": no charge for species '" + s.species[i] + "'");
    q[i] = it->second;
  }
  return q;
}

}  // namespace ionhop::neb
