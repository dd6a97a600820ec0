#pragma once
/// The plain description of a potential that the registry turns into a Potential object.
/// `inputs/` fills it from TOML (e.g. inputs/potentials/pedone.toml); neb/ validates it.
/// Numbers carry their unit in the key, e.g. "cutoff_A", "D_eV", "alpha_per_A".
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ionhop::neb {

/// Coefficients of one unordered species pair, e.g. {"Li", "O", {{"D_eV", 0.001114}, ...}}.
struct PairCoefficients {
  std::string species_a;
  std::string species_b;
  std::map<std::string, double> values;

  bool operator==(const PairCoefficients&) const = default;
};

struct PotentialSpec {
  std::string type;                         ///< registry name, e.g. "morse", "coulomb_ewald", "sum"
  std::map<std::string, double> settings;   ///< global numbers, e.g. {"cutoff_A", 5.5}
  /// Global text settings, e.g. {"model", "li2o_mlip.h5"} (the model file of type "mlip"; a
  /// relative path is taken from the working directory, so readers should resolve it).
  std::map<std::string, std::string> text_settings;
  std::map<std::string, double> charges_e;  ///< species → charge [e] (Coulomb terms)
  std::vector<PairCoefficients> pairs;      ///< per species pair coefficients (pair terms)
  std::vector<PotentialSpec> terms;         ///< sub-potentials ("sum")
  std::string origin;                       ///< where it was defined, for messages (e.g. "pedone.toml:14")

  bool operator==(const PotentialSpec&) const = default;
};

/// Every species the spec names (pair coefficients and charges, in all its terms).
inline std::set<std::string> named_species(const PotentialSpec& spec) {
  std::set<std::string> names;
  for (const auto& pair : spec.pairs) {
    names.insert(pair.species_a);
    names.insert(pair.species_b);
  }
  for (const auto& [species, charge] : spec.charges_e) names.insert(species);
  for (const auto& term : spec.terms) names.merge(named_species(term));
  return names;
}

}  // namespace ionhop::neb
