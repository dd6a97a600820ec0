#include "kmc/RateScaling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kmc/FastHops.hpp"
#include "kmc/KraBarrier.hpp"
#include "lattice/Units.hpp"

namespace ionhop::kmc {

RateScalingPlan plan_rate_scaling(const Model& model, double T, const SuperbasinOptions& options) {
  const auto& cell = *model.supercell;
  const auto& net = *model.network;
  const auto& tmpls = net.templates();
  const FastHops fh = find_fast_hops(model, options.barrier_gap_eV);
  const double kT = units::kBoltzmann_eV_per_K * T;
  RateScalingPlan plan;
  plan.class_scale.assign(net.classes().size(), 1.0);
  std::vector<double> slowest_direction(net.classes().size(), std::numeric_limits<double>::infinity());
  // Sites that fast hops leave from are basin sites; a slow hop leaving one is an escape. Slow
  // hops from elsewhere (e.g. out of a shallow intermediate site) are no escapes and may be
  // faster than anything: they do not set the scale.
  std::vector<char> basin_basis(cell.n_basis(), 0);
  for (std::size_t h = 0; h < tmpls.size(); ++h)
    if (fh.fast[h]) basin_basis[tmpls[h].from_basis] = 1;
  for (std::size_t h = 0; h < tmpls.size(); ++h) {
    const auto& t = tmpls[h];
    const auto& hc = net.classes()[t.hop_class];
    const HopBarrier b = model.barriers->barrier({t.hop_class, hc.from_type, hc.to_type, hc.distance_A});
    const double de = model.site_types[cell.crystal().basis[t.to_basis].type].energy_eV -
                      model.site_types[cell.crystal().basis[t.from_basis].type].energy_eV;
    const double rate = b.attempt_frequency_Hz * std::exp(-kra_activation_energy(b.kra_eV, de).value_eV / kT);
    if (fh.fast[h])
      slowest_direction[t.hop_class] = std::min(slowest_direction[t.hop_class], rate);
    else if (basin_basis[t.from_basis])
      plan.slow_rate_per_s = std::max(plan.slow_rate_per_s, rate);
  }
  if (plan.slow_rate_per_s > 0)
    for (std::size_t c = 0; c < plan.class_scale.size(); ++c)
      if (std::isfinite(slowest_direction[c]))
        plan.class_scale[c] = std::min(1.0, options.min_rate_ratio * plan.slow_rate_per_s / slowest_direction[c]);
  for (const auto& t : tmpls) plan.template_scale.push_back(plan.class_scale[t.hop_class]);
  return plan;
}

}  // namespace ionhop::kmc
