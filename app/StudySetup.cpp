#include "app/StudySetup.hpp"

#include <cmath>

#include "lattice/HopNetwork.hpp"
#include "lattice/LatticeError.hpp"
#include "lattice/Prototypes.hpp"
#include "lattice/SymmetryOperations.hpp"

namespace ionhop::app {
namespace {

lattice::Crystal build_crystal(const inputs::LatticeSpec& spec) {
  if (!spec.prototype.empty()) return lattice::make_prototype(spec.prototype, spec.a_A, spec.c_over_a);
  lattice::Crystal c;
  for (int k = 0; k < 3; ++k)
    c.cell.col(k) = Eigen::Vector3d(spec.cell_A[k][0], spec.cell_A[k][1], spec.cell_A[k][2]);
  if (!(std::abs(c.cell.determinant()) > 1e-9)) throw StudySetupError("lattice.cell_A is singular");
  for (const auto& s : spec.basis)
    c.add_site(s.type, Eigen::Vector3d(s.fractional[0], s.fractional[1], s.fractional[2]));
  return c;
}

int type_of(const lattice::Crystal& c, const std::string& name, const std::string& where) {
  const int t = c.type_index(name);
  if (t < 0) throw StudySetupError(where + ": the lattice has no site type '" + name + "'");
  return t;
}

std::vector<char> allowed_types(const lattice::Crystal& c, const std::vector<std::string>& names,
                                const std::string& where) {
  std::vector<char> allowed(c.type_names.size(), names.empty() ? 1 : 0);
  for (const auto& n : names) allowed[type_of(c, n, where)] = 1;
  return allowed;
}

long long resolve_count(const std::string& what, const lattice::Supercell& cell, const std::vector<char>& allowed,
                        const std::optional<long long>& count, const std::optional<double>& concentration) {
  if (count) return *count;
  long long sites = 0;
  for (lattice::SiteIndex s = 0; s < cell.n_basis(); ++s) sites += allowed[cell.type_of(s)];
  sites *= cell.n_sites() / cell.n_basis();
  const double exact = concentration.value_or(0.0) * static_cast<double>(sites);
  const long long n = std::llround(exact);
  // A concentration is a fraction of the allowed sites: it must give a whole number of ions,
  // or the study would silently run at another composition than the one it records.
  if (std::abs(exact - static_cast<double>(n)) > 1e-6 * std::max(1.0, exact))
    throw StudySetupError(what + ": concentration " + std::to_string(*concentration) + " of " +
                          std::to_string(sites) + " allowed sites gives " + std::to_string(exact) +
                          " ions, not a whole number: give 'count' or a multiple of 1/" + std::to_string(sites));
  return n;
}

kmc::SuperbasinOptions superbasin_options(const inputs::SuperbasinSpec& spec, const kmc::Model& model) {
  kmc::SuperbasinOptions o;
  switch (spec.method) {
    case inputs::SuperbasinMethodSpec::none: o.method = kmc::SuperbasinMethod::kNone; break;
    case inputs::SuperbasinMethodSpec::mcamc: o.method = kmc::SuperbasinMethod::kMcamc; break;
    case inputs::SuperbasinMethodSpec::local: o.method = kmc::SuperbasinMethod::kLocal; break;
    case inputs::SuperbasinMethodSpec::rate_scaling: o.method = kmc::SuperbasinMethod::kRateScaling; break;
  }
  switch (spec.detection) {
    case inputs::BasinDetectionSpec::both: o.detection = kmc::BasinDetection::kBoth; break;
    case inputs::BasinDetectionSpec::barrier: o.detection = kmc::BasinDetection::kBarrier; break;
    case inputs::BasinDetectionSpec::counting: o.detection = kmc::BasinDetection::kCounting; break;
  }
  o.barrier_gap_eV = spec.barrier_gap_eV;
  o.transition_count = spec.transition_count;
  o.max_basin_sites = spec.max_basin_sites;
  o.max_basin_states = spec.max_basin_states;
  o.cache_size = spec.cache_size;
  o.min_rate_ratio = spec.min_rate_ratio;
  o.plain_pilot_events = spec.plain_pilot_events;
  if (o.method == kmc::SuperbasinMethod::kMcamc) {
    // MCAMC's basin is the whole configuration: exact only when a single ion moves (with more,
    // the states are arrangements of all ions and their number explodes).
    long long ions = 0;
    for (const auto& sp : model.species)
      if (sp.mobile) ions += sp.count;
    if (ions != 1)
      throw StudySetupError("superbasin.method = \"mcamc\" needs exactly one mobile ion in the study, found " +
                            std::to_string(ions) + "; use method = \"local\" or \"rate-scaling\" for many ions");
  }
  return o;
}

}  // namespace

StudySetup set_up_study(const inputs::Study& study) {
  try {
    StudySetup out;
    const lattice::Crystal crystal = build_crystal(study.lattice);
    const auto ops = lattice::find_space_group(crystal);
    out.space_group_order = static_cast<int>(ops.size());

    std::vector<lattice::HopRule> rules;
    for (std::size_t r = 0; r < study.hops.size(); ++r) {
      const auto& h = study.hops[r];
      const std::string where = "hops[" + std::to_string(r + 1) + "]";
      rules.push_back({type_of(crystal, h.from_type, where), type_of(crystal, h.to_type, where), h.shell,
                       h.max_distance_A});
    }
    auto model = std::make_shared<kmc::Model>();
    auto network = std::make_shared<lattice::HopNetwork>(crystal, rules, ops);
    auto cell = std::make_shared<lattice::Supercell>(crystal, study.lattice.supercell);
    out.dimension = network->dimension();
    if (out.dimension == 0)
      throw StudySetupError("the hop network does not percolate (it spans no direction): "
                            "ions cannot diffuse; add hops");
    out.volume_A3 = cell->volume_A3();
    {
      // Geometry first: a supercell too small for the hops makes every later count meaningless.
      kmc::Model hops_only;
      hops_only.supercell = cell;
      hops_only.network = network;
      try {
        hops_only.check_supercell_size();
      } catch (const std::invalid_argument& e) {
        throw StudySetupError(e.what());
      }
    }

    model->site_types.resize(crystal.type_names.size());
    for (std::size_t t = 0; t < crystal.type_names.size(); ++t) model->site_types[t].name = crystal.type_names[t];
    for (const auto& st : study.site_types) {
      const int t = crystal.type_index(st.name);
      if (t < 0) continue;  // a declared type the lattice does not use carries no sites
      model->site_types[t].energy_eV = st.energy_eV;
      model->site_types[t].disorder_sigma_eV = st.disorder_sigma_eV;
    }
    for (const auto& sp : study.species) {
      const auto allowed = allowed_types(crystal, sp.site_types, "species '" + sp.name + "'");
      model->species.push_back({sp.name, sp.charge, true, allowed, resolve_count("species '" + sp.name + "'", *cell, allowed, sp.count, sp.concentration)});
    }
    for (const auto& d : study.dopants) {
      const auto allowed = allowed_types(crystal, d.site_types, "dopant '" + d.name + "'");
      model->species.push_back({d.name, d.charge, false, allowed, resolve_count("dopant '" + d.name + "'", *cell, allowed, d.count, d.concentration)});
    }
    auto species_index = [&](const std::string& name) {
      for (std::size_t g = 0; g < model->species.size(); ++g)
        if (model->species[g].name == name) return static_cast<int>(g);
      throw StudySetupError("interactions: unknown species '" + name + "'");
    };
    for (const auto& p : study.interactions)
      model->interactions.push_back({species_index(p.species[0]), species_index(p.species[1]), p.shell_energies_eV});
    if (model->max_shell() > 0)
      model->shells = std::make_shared<lattice::NeighborShells>(crystal, model->max_shell());
    for (const auto& r : study.regions)
      model->regions.push_back({r.name, r.axis, r.from_fraction, r.to_fraction, r.energy_shift_eV, r.barrier_shift_eV});

    std::vector<kmc::HopBarrier> barriers;
    for (const auto& cls : network->classes())
      barriers.push_back({study.hops[cls.rule].barrier_eV, study.hops[cls.rule].attempt_frequency_Hz});
    model->barriers = std::make_shared<kmc::TableBarrierSource>(std::move(barriers));
    model->network = network;
    model->supercell = cell;
    try {
      model->validate();
    } catch (const std::invalid_argument& e) {
      throw StudySetupError(e.what());
    }
    out.model = model;

    const auto& run = study.run;
    out.sweep.temperatures_K = run.temperatures_K;
    out.sweep.production_events = run.events.value_or(-1);
    out.sweep.production_time_s = run.time_s.value_or(-1.0);
    out.sweep.equilibration_events = run.equilibration_events;
    out.sweep.sample_interval_s = run.sample_interval_s.value_or(0.0);
    out.sweep.samples = run.samples;
    out.sweep.max_lag_samples = run.max_lag_samples;
    out.sweep.replicas = run.replicas;
    out.sweep.seed = run.seed;
    out.sweep.superbasin = superbasin_options(study.superbasin, *model);
    out.fit.from_lag_fraction = run.fit_from_lag_fraction;
    out.fit.to_lag_fraction = 1.0;
    return out;
  } catch (const lattice::LatticeError& e) {
    throw StudySetupError(e.what());
  }
}

}  // namespace ionhop::app
