#include "neb/PotentialRegistry.hpp"

#include <set>
#include <stdexcept>

#include "neb/CoulombDsf.hpp"
#include "neb/CoulombEwald.hpp"
#include "neb/PairPotential.hpp"
#include "neb/PotentialError.hpp"
#include "neb/SumPotential.hpp"

namespace ionhop::neb {
namespace {

std::string where(const PotentialSpec& spec) {
  return (spec.origin.empty() ? std::string() : spec.origin + ": ") + spec.type + ": ";
}

/// Reads a spec's settings, remembering which were used so unknown keys can be reported.
class SettingsReader {
 public:
  explicit SettingsReader(const PotentialSpec& spec) : spec_(spec) {}
  double required(const std::string& key) {
    used_.insert(key);
    const auto it = spec_.settings.find(key);
    if (it == spec_.settings.end()) throw PotentialSpecError(where(spec_) + "missing setting '" + key + "'");
    return it->second;
  }
  double optional(const std::string& key, double fallback) {
    used_.insert(key);
    const auto it = spec_.settings.find(key);
    return it == spec_.settings.end() ? fallback : it->second;
  }
  std::optional<double> maybe(const std::string& key) {
    used_.insert(key);
    const auto it = spec_.settings.find(key);
    return it == spec_.settings.end() ? std::nullopt : std::optional<double>(it->second);
  }
  /// Throws for unknown settings and for parts of the spec this type does not take.
  void finish(bool takes_charges, bool takes_pairs, bool takes_terms) const {
    for (const auto& [key, value] : spec_.settings)
      if (!used_.count(key)) {
        std::string known;
        for (const auto& k : used_) known += (known.empty() ? "" : ", ") + k;
        throw PotentialSpecError(where(spec_) + "unknown setting '" + key + "' (known: " + known + ")");
      }
    if (!takes_charges && !spec_.charges_e.empty()) throw PotentialSpecError(where(spec_) + "takes no charges");
    if (!takes_pairs && !spec_.pairs.empty()) throw PotentialSpecError(where(spec_) + "takes no pair coefficients");
    if (!takes_terms && !spec_.terms.empty()) throw PotentialSpecError(where(spec_) + "takes no sub-terms");
  }

 private:
  const PotentialSpec& spec_;
  std::set<std::string> used_;
};

/// Reads one pair's coefficients in the order of `keys`; unknown or missing keys are errors.
std::vector<double> pair_values(const PotentialSpec& spec, const PairCoefficients& pair, const std::vector<std::string>& keys) {
  const std::string label = where(spec) + "pair " + pair.species_a + "-" + pair.species_b + ": ";
  std::vector<double> out;
  for (const auto& k : keys) {
    const auto it = pair.values.find(k);
    if (it == pair.values.end()) throw PotentialSpecError(label + "missing '" + k + "'");
    out.push_back(it->second);
  }
  for (const auto& [k, v] : pair.values) {
    bool known = false;
    for (const auto& key : keys) known = known || key == k;
    if (!known) {
      std::string list;
      for (const auto& key : keys) list += (list.empty() ? "" : ", ") + key;
      throw PotentialSpecError(label + "unknown coefficient '" + k + "' (expected " + list + ")");
    }
  }
  return out;
}

template <class Form>
PotentialRegistry::Factory pair_factory(std::vector<std::string> keys,
                                        std::function<typename Form::Params(const std::vector<double>&)> make,
                                        std::function<void(const typename Form::Params&)> check) {
  return [keys, make, check](const PotentialSpec& spec, const PotentialRegistry&) -> std::unique_ptr<Potential> {
    SettingsReader settings(spec);
    const double cutoff = settings.required("cutoff_A");
    const std::optional<double> switch_on = settings.maybe("switch_on_A");
    settings.finish(false, true, false);
    if (!(cutoff > 0.0)) throw PotentialSpecError(where(spec) + "cutoff_A must be positive");
    if (switch_on && !(*switch_on >= 0.0 && *switch_on < cutoff))
      throw PotentialSpecError(where(spec) + "switch_on_A must be in [0, cutoff_A)");
    if (spec.pairs.empty()) throw PotentialSpecError(where(spec) + "needs at least one species pair");
    SpeciesPairTable<typename Form::Params> table;
    for (const auto& pair : spec.pairs) {
      const typename Form::Params p = make(pair_values(spec, pair, keys));
      try {
        check(p);
      } catch (const std::invalid_argument& e) {
        throw PotentialSpecError(where(spec) + "pair " + pair.species_a + "-" + pair.species_b + ": " + e.what());
      }
      if (!table.set(pair.species_a, pair.species_b, p))
        throw PotentialSpecError(where(spec) + "pair " + pair.species_a + "-" + pair.species_b + " given twice");
    }
    return std::make_unique<PairPotential<Form>>(std::move(table), cutoff, switch_on);
  };
}

void require(bool ok, const char* message) {
  if (!ok) throw std::invalid_argument(message);
}

}  // namespace

void PotentialRegistry::add(const std::string& name, Factory factory) {
  if (!factories_.emplace(name, std::move(factory)).second) throw std::invalid_argument("potential '" + name + "' registered twice");
}

std::vector<std::string> PotentialRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& [name, f] : factories_) out.push_back(name);
  return out;
}

std::unique_ptr<Potential> PotentialRegistry::create(const PotentialSpec& spec) const {
  const auto it = factories_.find(spec.type);
  if (it == factories_.end()) {
    std::string known;
    for (const auto& n : names()) known += (known.empty() ? "" : ", ") + n;
    throw PotentialSpecError((spec.origin.empty() ? std::string() : spec.origin + ": ") + "unknown potential type '" + spec.type +
                             "' (known: " + known + ")");
  }
  return it->second(spec, *this);
}

void register_builtin_potentials(PotentialRegistry& registry) {
  registry.add("lennard_jones", pair_factory<LennardJonesForm>(
                                    {"epsilon_eV", "sigma_A"}, [](const std::vector<double>& v) { return LennardJonesForm::Params{v[0], v[1]}; },
                                    [](const LennardJonesForm::Params& p) { require(p.sigma_A > 0.0, "sigma_A must be positive"); }));
  registry.add("morse", pair_factory<MorseForm>(
                            {"D_eV", "alpha_per_A", "r0_A"}, [](const std::vector<double>& v) { return MorseForm::Params{v[0], v[1], v[2]}; },
                            [](const MorseForm::Params& p) { require(p.alpha_per_A > 0.0, "alpha_per_A must be positive"); }));
  registry.add("buckingham", pair_factory<BuckinghamForm>(
                                 {"A_eV", "rho_A", "C_eV_A6"}, [](const std::vector<double>& v) { return BuckinghamForm::Params{v[0], v[1], v[2]}; },
                                 [](const BuckinghamForm::Params& p) { require(p.rho_A > 0.0, "rho_A must be positive"); }));
  registry.add("repulsion_r12", pair_factory<RepulsionR12Form>(
                                    {"B_eV_A12"}, [](const std::vector<double>& v) { return RepulsionR12Form::Params{v[0]}; },
                                    [](const RepulsionR12Form::Params&) {}));
  registry.add("coulomb_ewald", [](const PotentialSpec& spec, const PotentialRegistry&) -> std::unique_ptr<Potential> {
    SettingsReader settings(spec);
    EwaldParams p;
    p.real_cutoff_A = settings.optional("real_cutoff_A", p.real_cutoff_A);
    p.accuracy = settings.optional("accuracy", p.accuracy);
    p.alpha_per_A = settings.maybe("alpha_per_A");
    p.kspace_cutoff_per_A = settings.maybe("kspace_cutoff_per_A");
    settings.finish(true, false, false);
    if (spec.charges_e.empty()) throw PotentialSpecError(where(spec) + "needs charges_e");
    try {
      return std::make_unique<CoulombEwald>(spec.charges_e, p);
    } catch (const std::invalid_argument& e) {
      throw PotentialSpecError(where(spec) + e.what());
    }
  });
  registry.add("coulomb_dsf", [](const PotentialSpec& spec, const PotentialRegistry&) -> std::unique_ptr<Potential> {
    SettingsReader settings(spec);
    const double cutoff = settings.optional("cutoff_A", 10.0);
    const double alpha = settings.optional("alpha_per_A", 0.2);
    settings.finish(true, false, false);
    if (spec.charges_e.empty()) throw PotentialSpecError(where(spec) + "needs charges_e");
    try {
      return std::make_unique<CoulombDsf>(spec.charges_e, cutoff, alpha);
    } catch (const std::invalid_argument& e) {
      throw PotentialSpecError(where(spec) + e.what());
    }
  });
  registry.add("sum", [](const PotentialSpec& spec, const PotentialRegistry& reg) -> std::unique_ptr<Potential> {
    SettingsReader settings(spec);
    settings.finish(false, false, true);
    if (spec.terms.empty()) throw PotentialSpecError(where(spec) + "needs at least one term");
    std::vector<std::unique_ptr<Potential>> terms;
    for (const auto& t : spec.terms) terms.push_back(reg.create(t));
    return std::make_unique<SumPotential>(std::move(terms));
  });
}

const PotentialRegistry& builtin_potentials() {
  static const PotentialRegistry registry = [] {
    PotentialRegistry r;
    register_builtin_potentials(r);
    return r;
  }();
  return registry;
}

std::unique_ptr<Potential> make_potential(const PotentialSpec& spec) { return builtin_potentials().create(spec); }

}  // namespace ionhop::neb
