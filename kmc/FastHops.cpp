#include "kmc/FastHops.hpp"

#include <algorithm>

#include "kmc/KraBarrier.hpp"

namespace ionhop::kmc {

FastHops find_fast_hops(const Model& model, double gap_eV) {
  const auto& cell = *model.supercell;
  const auto& net = *model.network;
  const auto& tmpls = net.templates();
  FastHops out;
  out.bond_barrier_eV.resize(tmpls.size());
  for (std::size_t h = 0; h < tmpls.size(); ++h) {
    const auto& t = tmpls[h];
    const auto& hc = net.classes()[t.hop_class];
    const double kra = model.barriers->barrier({t.hop_class, hc.from_type, hc.to_type, hc.distance_A}).kra_eV;
    const double e_from = model.site_types[cell.crystal().basis[t.from_basis].type].energy_eV;
    const double e_to = model.site_types[cell.crystal().basis[t.to_basis].type].energy_eV;
    out.bond_barrier_eV[h] = std::max(kra_activation_energy(kra, e_to - e_from).value_eV,
                                      kra_activation_energy(kra, e_from - e_to).value_eV);
  }
  std::vector<double> levels(out.bond_barrier_eV);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  for (std::size_t i = 0; i + 1 < levels.size(); ++i)
    if (levels[i + 1] - levels[i] >= gap_eV) {
      out.threshold_eV = levels[i];
      break;
    }
  out.fast.assign(tmpls.size(), 0);
  if (out.threshold_eV >= 0)
    for (std::size_t h = 0; h < tmpls.size(); ++h) out.fast[h] = out.bond_barrier_eV[h] <= out.threshold_eV;
  return out;
}

}  // namespace ionhop::kmc
