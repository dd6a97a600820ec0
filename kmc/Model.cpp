#include "kmc/Model.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace ionhop::kmc {

int Model::n_mobile() const {
  return static_cast<int>(std::count_if(species.begin(), species.end(),
                                        [](const Species& s) { return s.mobile; }));
}

int Model::max_shell() const {
  int m = 0;
  for (const auto& p : interactions) m = std::max(m, static_cast<int>(p.shell_energies_eV.size()));
  return m;
}

void Model::validate() const {
  if (!supercell || !network || !barriers) throw std::invalid_argument("model is incomplete");
  const int nt = static_cast<int>(site_types.size());
  if (nt != static_cast<int>(supercell->crystal().type_names.size()))
    throw std::invalid_argument("site types do not match the lattice");
  bool mobile_seen_after_immobile = false, immobile_seen = false;
  for (const auto& s : species) {
    if (!s.mobile) immobile_seen = true;
    else if (immobile_seen) mobile_seen_after_immobile = true;
  }
  if (mobile_seen_after_immobile) throw std::invalid_argument("mobile species must come first");
  if (species.size() > 250) throw std::invalid_argument("too many species");
  // Every species must fit on its allowed sites (all species together on their union).
  std::vector<long long> sites_of_type(nt, 0);
  for (lattice::SiteIndex s = 0; s < supercell->n_basis(); ++s) sites_of_type[supercell->type_of(s)]++;
  const long long cells = supercell->n_sites() / supercell->n_basis();
  long long total = 0;
  for (const auto& sp : species) {
    long long allowed = 0;
    for (int t = 0; t < nt; ++t)
      if (sp.allowed_type[t]) allowed += sites_of_type[t] * cells;
    if (sp.count < 0 || sp.count > allowed)
      throw std::invalid_argument("species '" + sp.name + "': " + std::to_string(sp.count) +
                                  " ions do not fit on " + std::to_string(allowed) + " allowed sites");
    total += sp.count;
  }
  if (total > supercell->n_sites()) throw std::invalid_argument("more ions than sites");
  check_supercell_size();
  for (const auto& p : interactions)
    if (p.species_a < 0 || p.species_b < 0 || p.species_a >= static_cast<int>(species.size()) ||
        p.species_b >= static_cast<int>(species.size()))
      throw std::invalid_argument("interaction names an unknown species");
}

}  // namespace ionhop::kmc

namespace ionhop::kmc {

void Model::check_supercell_size() const {
  // A hop or a shell neighbour that wraps onto the site itself or onto another neighbour
  // means the supercell is smaller than the hop or interaction range.
  const int n_shells = max_shell();
  for (int b = 0; b < supercell->n_basis(); ++b) {
    lattice::SiteAddress a;
    a.basis = b;
    const lattice::SiteIndex self = supercell->index(a);
    std::set<lattice::SiteIndex> seen;
    for (int h : network->templates_from(b)) {
      const auto& t = network->templates()[h];
      const lattice::SiteIndex j = supercell->neighbor(a, t.to_basis, t.cell_offset);
      if (j == self || !seen.insert(j).second)
        throw std::invalid_argument("supercell too small for the hop network: enlarge 'supercell'");
    }
    if (n_shells == 0) continue;
    if (!shells || shells->n_shells() < n_shells)
      throw std::invalid_argument("model lacks the neighbour shells its interactions need");
    seen.clear();
    for (const auto& nb : shells->neighbors_of(b)) {
      if (nb.shell > n_shells) continue;
      const lattice::SiteIndex j = supercell->neighbor(a, nb.to_basis, nb.cell_offset);
      if (j == self || !seen.insert(j).second)
        throw std::invalid_argument("supercell too small for the interaction shells: enlarge 'supercell'");
    }
  }
}

}  // namespace ionhop::kmc
