#include "inputs/StudyResolution.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "inputs/LatticePrototypes.hpp"
#include "inputs/NearestName.hpp"

namespace ionhop::inputs {

namespace {

class ReferenceChecker {
 public:
  ReferenceChecker(const SourceLocations& where, std::vector<Diagnostic>& diagnostics)
      : where_(where), diagnostics_(diagnostics) {}

  void error(const std::string& key_path, std::string message) {
    const InputLocation at = where_.find(key_path);
    diagnostics_.push_back({at.file, at.line, at.column, key_path, std::move(message)});
  }

  int line_of(const std::string& key_path) const { return where_.find(key_path).line; }

  /// Reports `name` at `key_path` unless it is one of `known`.
  bool require_known(const std::string& key_path, const std::string& name,
                     const std::vector<std::string>& known, std::string_view what) {
    if (name.empty() || std::find(known.begin(), known.end(), name) != known.end()) return true;
    std::string message = "unknown " + std::string(what) + " '" + name + "'";
    if (auto suggestion = nearest_name(name, known)) {
      message += "; did you mean '" + *suggestion + "'?";
    } else {
      message += " (known: " + join(known) + ")";
    }
    error(key_path, std::move(message));
    return false;
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text.empty() ? "none" : text;
  }

  bool contains(const std::string& key_path) const { return where_.contains(key_path); }

 private:
  const SourceLocations& where_;
  std::vector<Diagnostic>& diagnostics_;
};

std::string indexed(std::string_view section, std::size_t index) {
  return std::string(section) + "[" + std::to_string(index) + "]";
}

/// Site types of the lattice in its own order, and a phrase naming where they come from.
std::pair<std::vector<std::string>, std::string> lattice_site_types(const LatticeSpec& lattice) {
  std::vector<std::string> types;
  if (const LatticePrototypeInfo* prototype = find_lattice_prototype(lattice.prototype)) {
    for (std::string_view type : prototype->site_types) types.emplace_back(type);
    return {types, "prototype '" + lattice.prototype + "'"};
  }
  for (const BasisSiteSpec& site : lattice.basis) {
    if (!site.type.empty() && std::find(types.begin(), types.end(), site.type) == types.end()) {
      types.push_back(site.type);
    }
  }
  return {types, "the explicit basis"};
}

void resolve_site_types(Study& study, ReferenceChecker& check) {
  const auto [lattice_types, origin] = lattice_site_types(study.lattice);
  std::map<std::string, std::size_t> first_declared;
  for (std::size_t i = 0; i < study.site_types.size(); ++i) {
    const std::string& name = study.site_types[i].name;
    if (name.empty()) continue;
    const std::string path = indexed("site_types", i) + ".name";
    if (auto [it, fresh] = first_declared.emplace(name, i); !fresh) {
      check.error(path, "site type '" + name + "' is already declared at line " +
                            std::to_string(check.line_of(indexed("site_types", it->second))));
      continue;
    }
    if (std::find(lattice_types.begin(), lattice_types.end(), name) == lattice_types.end()) {
      std::string message = "'" + name + "' is not a site type of " + origin + " (it has: " +
                            ReferenceChecker::join(lattice_types) + ")";
      if (auto suggestion = nearest_name(name, lattice_types)) {
        message += "; did you mean '" + *suggestion + "'?";
      }
      check.error(path, std::move(message));
    }
  }
  for (const std::string& type : lattice_types) {
    if (!first_declared.contains(type)) study.site_types.push_back({type, 0.0, 0.0});
  }
}

template <typename Occupant>
void resolve_occupant_site_types(std::vector<Occupant>& occupants, std::string_view section,
                                 const std::vector<std::string>& site_type_names,
                                 ReferenceChecker& check) {
  for (std::size_t i = 0; i < occupants.size(); ++i) {
    const std::string path = indexed(section, i) + ".site_types";
    Occupant& occupant = occupants[i];
    if (occupant.site_types.empty() && !check.contains(path)) {
      occupant.site_types = site_type_names;
      continue;
    }
    for (std::size_t j = 0; j < occupant.site_types.size(); ++j) {
      check.require_known(indexed(path, j), occupant.site_types[j], site_type_names, "site type");
    }
  }
}

/// Names of species and dopants, unique across both; returns them all.
std::vector<std::string> check_occupant_names(const Study& study, ReferenceChecker& check) {
  std::vector<std::string> names;
  std::map<std::string, std::string> first_use;
  auto visit = [&](const std::string& name, const std::string& table_path) {
    if (name.empty()) return;
    if (auto [it, fresh] = first_use.emplace(name, table_path); !fresh) {
      check.error(table_path + ".name", "name '" + name + "' is already used by " + it->second +
                                            " (line " + std::to_string(check.line_of(it->second)) +
                                            ")");
      return;
    }
    names.push_back(name);
  };
  for (std::size_t i = 0; i < study.species.size(); ++i) {
    visit(study.species[i].name, indexed("species", i));
  }
  for (std::size_t i = 0; i < study.dopants.size(); ++i) {
    visit(study.dopants[i].name, indexed("dopants", i));
  }
  return names;
}

void check_interactions(const Study& study, const std::vector<std::string>& occupant_names,
                        ReferenceChecker& check) {
  std::map<std::pair<std::string, std::string>, std::size_t> first_pair;
  for (std::size_t i = 0; i < study.interactions.size(); ++i) {
    const auto& pair = study.interactions[i].species;
    const std::string path = indexed("interactions", i) + ".species";
    bool known = !pair[0].empty() && !pair[1].empty();
    for (std::size_t j = 0; j < 2; ++j) {
      known = check.require_known(indexed(path, j), pair[j], occupant_names, "species") && known;
    }
    if (!known) continue;
    const auto key = std::minmax(pair[0], pair[1]);
    if (auto [it, fresh] = first_pair.emplace(key, i); !fresh) {
      check.error(path, "the pair (" + pair[0] + ", " + pair[1] + ") is already given at line " +
                            std::to_string(check.line_of(indexed("interactions", it->second))));
    }
  }
}

void check_region_names(const Study& study, ReferenceChecker& check) {
  std::map<std::string, std::size_t> first_use;
  for (std::size_t i = 0; i < study.regions.size(); ++i) {
    const std::string& name = study.regions[i].name;
    if (name.empty()) continue;
    if (auto [it, fresh] = first_use.emplace(name, i); !fresh) {
      check.error(indexed("regions", i) + ".name",
                  "region '" + name + "' is already defined at line " +
                      std::to_string(check.line_of(indexed("regions", it->second))));
    }
  }
}

void check_hop_rules(const Study& study, const std::vector<std::string>& site_type_names,
                     ReferenceChecker& check) {
  // A rule selects undirected pairs, so (from, to) and (to, from) at the same shell or distance
  // are the same rule; a repeat would create every hop twice.
  std::map<std::tuple<std::string, std::string, int, double>, std::size_t> first_rule;
  for (std::size_t i = 0; i < study.hops.size(); ++i) {
    const HopRuleSpec& hop = study.hops[i];
    const std::string path = indexed("hops", i);
    const bool known =
        check.require_known(path + ".from", hop.from_type, site_type_names, "site type") &&
        check.require_known(path + ".to", hop.to_type, site_type_names, "site type") &&
        !hop.from_type.empty() && !hop.to_type.empty();
    if (!known) continue;
    const auto [first, second] = std::minmax(hop.from_type, hop.to_type);
    const auto key = std::make_tuple(first, second, hop.max_distance_A ? 0 : hop.shell,
                                     hop.max_distance_A.value_or(0.0));
    if (auto [it, fresh] = first_rule.emplace(key, i); !fresh) {
      check.error(path, "this rule selects the same hops as the rule at line " +
                            std::to_string(check.line_of(indexed("hops", it->second))) +
                            " (a rule covers both directions)");
    }
  }
}

}  // namespace

void resolve_study_references(Study& study, const SourceLocations& where, bool lattice_is_valid,
                              std::vector<Diagnostic>& diagnostics) {
  ReferenceChecker check(where, diagnostics);
  if (lattice_is_valid) {
    resolve_site_types(study, check);
    std::vector<std::string> site_type_names;
    for (const SiteTypeSpec& type : study.site_types) site_type_names.push_back(type.name);
    resolve_occupant_site_types(study.species, "species", site_type_names, check);
    resolve_occupant_site_types(study.dopants, "dopants", site_type_names, check);
    check_hop_rules(study, site_type_names, check);
  }
  const std::vector<std::string> occupant_names = check_occupant_names(study, check);
  check_interactions(study, occupant_names, check);
  check_region_names(study, check);
  if (study.output.path.empty() && !study.name.empty() && !where.contains("output.path")) {
    study.output.path = study.name + ".h5";
  }
}

}  // namespace ionhop::inputs
