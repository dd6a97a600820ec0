#include "kmc/LocalSuperbasins.hpp"

#include <algorithm>
#include <numeric>

#include "kmc/AbsorbingMarkovChain.hpp"

namespace ionhop::kmc {

using lattice::SiteIndex;

LocalSuperbasins::LocalSuperbasins(std::shared_ptr<const Model> model, const SuperbasinOptions& options)
    : model_(std::move(model)),
      options_(options),
      catalog_(*model_, options_),
      guard_(model_->supercell->n_sites(), 0),
      core_owner_(model_->supercell->n_sites(), -1) {
  long long n_ions = 0;
  for (const auto& sp : model_->species)
    if (sp.mobile) n_ions += sp.count;
  instance_of_ion_.assign(n_ions, -1);
  translation_invariant_ = model_->regions.empty();
  for (const auto& t : model_->site_types) translation_invariant_ &= t.disorder_sigma_eV == 0;
  for (const auto& sp : model_->species) translation_invariant_ &= sp.mobile || sp.count == 0;
}

void LocalSuperbasins::start(Engine& engine) {
  for (int i = 0; i < engine.n_ions(); ++i) {
    if (engine.is_detached(i)) continue;
    const int b = catalog_.basin_of(engine.ion_site(i));
    if (b >= 0) try_enter(engine, b);
  }
}

int LocalSuperbasins::sample_index(const std::vector<double>& cumulative, Engine& engine) const {
  const double target = engine.rng().uniform() * cumulative.back();
  const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
  return static_cast<int>(std::min<std::ptrdiff_t>(it - cumulative.begin(), cumulative.size() - 1));
}

void LocalSuperbasins::try_enter(Engine& engine, int basin) {
  if (instance_of_basin_.size() < static_cast<std::size_t>(catalog_.size()))
    instance_of_basin_.resize(catalog_.size(), -1);
  if (instance_of_basin_[basin] >= 0) return;
  const BasinCatalog::Basin& b = catalog_.basin(basin);
  if (!b.alive) return;
  // Isolation: the basin lies in no active basin's reach, no active basin lies in its reach,
  // and no ion outside it is within its reach.
  std::vector<int> ions, local;
  for (std::size_t i = 0; i < b.sites.size(); ++i) {
    const SiteIndex s = b.sites[i];
    if (guard_[s] > 0) {
      ++stats_.isolation_failures;
      return;
    }
    const int ion = engine.ion_at(s);
    if (ion >= 0) {
      ions.push_back(ion);
      local.push_back(static_cast<int>(i));
    }
  }
  if (ions.empty()) return;
  for (SiteIndex x : b.reach) {
    if (core_owner_[x] >= 0 || (engine.ion_at(x) >= 0 && catalog_.basin_of(x) != basin)) {
      ++stats_.isolation_failures;
      return;
    }
  }
  // Slots in the order of the basin's sites (the arrangement is then the cache key).
  Key key = translation_invariant_ ? Key{-1, b.shape} : Key{basin, b.version};
  for (std::size_t k = 0; k < ions.size(); ++k) {
    key.push_back(local[k]);
    key.push_back(engine.ion_species(ions[k]));
  }
  for (int ion : ions) engine.detach_ion(ion);
  std::shared_ptr<const Solved> solved;
  const auto hit = cache_.find(key);
  if (hit != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, hit->second);
    solved = hit->second->second;
    ++stats_.cache_hits;
  } else {
    solved = solve(engine, basin, ions, local);
    ++stats_.cache_misses;
    lru_.emplace_front(key, solved);
    cache_[key] = lru_.begin();
    if (static_cast<int>(lru_.size()) > options_.cache_size) {
      cache_.erase(lru_.back().first);
      lru_.pop_back();
    }
  }
  if (!solved) {  // too many states, or no way out: plain KMC
    for (std::size_t k = 0; k < ions.size(); ++k) engine.attach_ion(ions[k], b.sites[local[k]], Eigen::Vector3d::Zero());
    ++stats_.too_many_states;
    return;
  }
  int inst;
  if (!free_instances_.empty()) {
    inst = free_instances_.back();
    free_instances_.pop_back();
  } else {
    inst = static_cast<int>(instances_.size());
    instances_.emplace_back();
  }
  Instance& in = instances_[inst];
  in.basin = basin;
  in.ions = ions;
  in.entry_local = local;
  in.entry_disp_A.clear();
  for (int ion : ions) in.entry_disp_A.push_back(engine.displacement_A(ion));
  in.solved = solved;
  in.active = true;
  ++n_active_;
  instance_of_basin_[basin] = inst;
  for (int ion : ions) instance_of_ion_[ion] = inst;
  for (SiteIndex x : b.reach) ++guard_[x];
  for (SiteIndex s : b.sites) core_owner_[s] = inst;
  engine.set_escape_rate(ions[0], 1.0 / solved->mean_exit_time_s);
  ++stats_.activations;
  if (stats_.basin_sites_histogram.size() <= b.sites.size()) stats_.basin_sites_histogram.resize(b.sites.size() + 1, 0);
  ++stats_.basin_sites_histogram[b.sites.size()];
}

std::shared_ptr<const LocalSuperbasins::Solved> LocalSuperbasins::solve(Engine& engine, int basin,
                                                                         const std::vector<int>& ions,
                                                                         const std::vector<int>& local) {
  const auto& cell = *model_->supercell;
  const auto& net = *model_->network;
  const BasinCatalog::Basin& b = catalog_.basin(basin);
  const int n_slots = static_cast<int>(ions.size());
  auto solved = std::make_shared<Solved>();
  solved->n_slots = n_slots;
  // Arrangements as int vectors: a map keyed by byte vectors trips a GCC 12 false positive
  // (-Wstringop-overread in memcmp).
  std::map<std::vector<int>, int> index;
  std::vector<std::vector<std::uint8_t>> states;
  std::vector<std::uint8_t> start(local.begin(), local.end());
  index[std::vector<int>(start.begin(), start.end())] = 0;
  states.push_back(start);
  struct Transition {
    int from, to;
    double rate;
  };
  std::vector<Transition> transitions;
  struct RawExit {
    Exit exit;
    double rate;
  };
  std::vector<RawExit> exits;
  // Breadth-first over arrangements; each is placed on the lattice to read its hop rates from
  // the engine itself (so interactions with immobile neighbours, disorder and regions count).
  for (std::size_t si = 0; si < states.size(); ++si) {
    const std::vector<std::uint8_t> st = states[si];  // copy: states grows below
    for (int k = 0; k < n_slots; ++k) engine.attach_ion(ions[k], b.sites[st[k]], Eigen::Vector3d::Zero());
    for (int k = 0; k < n_slots; ++k) {
      const SiteIndex s = b.sites[st[k]];
      const lattice::SiteAddress a = cell.address(s);
      const std::vector<double> rates = engine.hop_rates(s);
      const auto& from = net.templates_from(a.basis);
      for (std::size_t h = 0; h < from.size(); ++h) {
        if (!(rates[h] > 0.0)) continue;
        const auto& t = net.templates()[from[h]];
        const SiteIndex target = cell.neighbor(a, t.to_basis, t.cell_offset);
        const int li = catalog_.local_index(basin, target);
        if (li < 0) {
          exits.push_back({{static_cast<int>(si), k, st[k], from[h]}, rates[h]});
          continue;
        }
        std::vector<std::uint8_t> next = st;
        next[k] = static_cast<std::uint8_t>(li);
        auto [it, inserted] = index.emplace(std::vector<int>(next.begin(), next.end()), static_cast<int>(states.size()));
        if (inserted) states.push_back(next);
        transitions.push_back({static_cast<int>(si), it->second, rates[h]});
      }
    }
    for (int k = 0; k < n_slots; ++k) engine.detach_ion(ions[k]);
    if (static_cast<int>(states.size()) > options_.max_basin_states) return nullptr;
  }
  const int n = static_cast<int>(states.size());
  Basin chain;
  chain.rates_per_s = Eigen::MatrixXd::Zero(n, n);
  for (const auto& t : transitions) chain.rates_per_s(t.from, t.to) += t.rate;
  for (std::size_t c = 0; c < exits.size(); ++c)
    chain.exits.push_back({exits[c].exit.from_state, static_cast<std::int64_t>(c), exits[c].rate});
  BasinSolution sol;
  try {
    sol = solve_basin(chain, 0);
  } catch (const BasinError&) {
    return nullptr;  // no exit, or states that cannot reach one: nothing to accelerate
  }
  stats_.max_relative_residual = std::max(stats_.max_relative_residual, sol.relative_residual);
  stats_.min_reciprocal_condition = std::min(stats_.min_reciprocal_condition, sol.reciprocal_condition);
  if (stats_.basin_states_histogram.size() <= static_cast<std::size_t>(n)) stats_.basin_states_histogram.resize(n + 1, 0);
  ++stats_.basin_states_histogram[n];

  for (const auto& e : exits) solved->exits.push_back(e.exit);
  solved->exit_cumulative = sol.exit_cumulative_probability;
  solved->time_cumulative_s.resize(n);
  std::partial_sum(sol.time_in_state_s.begin(), sol.time_in_state_s.end(), solved->time_cumulative_s.begin());
  solved->mean_exit_time_s = sol.mean_exit_time_s;
  const Eigen::VectorXd internal_rate = chain.rates_per_s.rowwise().sum();
  solved->internal_jumps = sol.time_in_state_s.dot(internal_rate);
  solved->state_sites.reserve(static_cast<std::size_t>(n) * n_slots);
  for (const auto& st : states) solved->state_sites.insert(solved->state_sites.end(), st.begin(), st.end());
  return solved;
}

void LocalSuperbasins::leave(Engine& engine, int inst, const std::vector<int>& final_local, const Exit* exit,
                             SiteIndex exit_to) {
  Instance& in = instances_[inst];
  const BasinCatalog::Basin& b = catalog_.basin(in.basin);
  engine.set_escape_rate(in.ions[0], 0.0);
  for (SiteIndex x : b.reach) --guard_[x];
  for (SiteIndex s : b.sites) core_owner_[s] = -1;
  instance_of_basin_[in.basin] = -1;
  // Ions go back in slot order; the leaving one last (its target is outside the basin).
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t k = 0; k < in.ions.size(); ++k) {
      const bool leaving = exit && static_cast<int>(k) == exit->slot;
      if (leaving != (pass == 1)) continue;
      const int ion = in.ions[k];
      const SiteIndex entry_site = b.sites[in.entry_local[k]];
      engine.set_detached_view(ion, entry_site, in.entry_disp_A[k]);  // undo any view
      Eigen::Vector3d d = b.offset_A[final_local[k]] - b.offset_A[in.entry_local[k]];
      SiteIndex to = b.sites[final_local[k]];
      if (leaving) {
        d += model_->network->templates()[exit->tmpl].vector_A;
        to = exit_to;
      }
      engine.attach_ion(ion, to, d);
      instance_of_ion_[ion] = -1;
    }
  in.active = false;
  in.solved.reset();
  free_instances_.push_back(inst);
  --n_active_;
}

void LocalSuperbasins::escape(Engine& engine, int ion) {
  const int inst = instance_of_ion_[ion];
  const Instance& in = instances_[inst];
  const Solved& s = *in.solved;
  const int basin = in.basin;
  const Exit exit = s.exits[sample_index(s.exit_cumulative, engine)];
  std::vector<int> final_local(s.n_slots);
  for (int k = 0; k < s.n_slots; ++k) final_local[k] = s.state_sites[exit.from_state * s.n_slots + k];
  ++stats_.escapes;
  stats_.internal_jumps_avoided += s.internal_jumps;
  stats_.time_in_basins_s += s.mean_exit_time_s;
  const auto& cell = *model_->supercell;
  const auto& t = model_->network->templates()[exit.tmpl];
  const SiteIndex to = cell.neighbor(cell.address(catalog_.basin(basin).sites[exit.local]), t.to_basis, t.cell_offset);
  leave(engine, inst, final_local, &exit, to);
  dissolve_reaching(engine, to);
  // The leaving ion may enter the basin it landed in; the ions left behind may stay in theirs.
  const int landed = catalog_.basin_of(to);
  if (landed >= 0) try_enter(engine, landed);
  try_enter(engine, basin);
}

void LocalSuperbasins::dissolve(Engine& engine, int inst) {
  const Solved& s = *instances_[inst].solved;
  // Where the ions are at a time drawn uniformly over the stay: state i with weight τ_i.
  const int state = sample_index(s.time_cumulative_s, engine);
  std::vector<int> final_local(s.n_slots);
  for (int k = 0; k < s.n_slots; ++k) final_local[k] = s.state_sites[state * s.n_slots + k];
  ++stats_.dissolutions;
  leave(engine, inst, final_local, nullptr, -1);
}

void LocalSuperbasins::dissolve_reaching(Engine& engine, SiteIndex s) {
  if (guard_[s] == 0) return;
  // An ion arrived within reach of active basins: they are no longer isolated.
  for (std::size_t i = 0; i < instances_.size(); ++i) {
    if (!instances_[i].active) continue;
    const auto& reach = catalog_.basin(instances_[i].basin).reach;
    if (std::binary_search(reach.begin(), reach.end(), s)) dissolve(engine, static_cast<int>(i));
  }
}

void LocalSuperbasins::dissolve_all(Engine& engine) {
  for (std::size_t i = 0; i < instances_.size(); ++i)
    if (instances_[i].active) dissolve(engine, static_cast<int>(i));
}

void LocalSuperbasins::after_hop(Engine& engine, const Event& e) {
  const Eigen::Vector3d& v = model_->network->templates()[e.hop_template].vector_A;
  for (int changed : catalog_.record_hop(e.from, e.to, v)) {
    if (static_cast<std::size_t>(changed) < instance_of_basin_.size() && instance_of_basin_[changed] >= 0)
      dissolve(engine, instance_of_basin_[changed]);
  }
  dissolve_reaching(engine, e.to);
  const int to_basin = catalog_.basin_of(e.to);
  if (to_basin >= 0) try_enter(engine, to_basin);
  const int from_basin = catalog_.basin_of(e.from);
  if (from_basin >= 0 && from_basin != to_basin) try_enter(engine, from_basin);
}

void LocalSuperbasins::before_sample(Engine& engine) {
  for (const Instance& in : instances_) {
    if (!in.active) continue;
    const Solved& s = *in.solved;
    const BasinCatalog::Basin& b = catalog_.basin(in.basin);
    const int state = sample_index(s.time_cumulative_s, engine);
    for (int k = 0; k < s.n_slots; ++k) {
      const int l = s.state_sites[state * s.n_slots + k];
      engine.set_detached_view(in.ions[k], b.sites[l],
                               in.entry_disp_A[k] + b.offset_A[l] - b.offset_A[in.entry_local[k]]);
    }
  }
}

void LocalSuperbasins::reset_clock() {
  // Counters describe production only, like the engine's event counts.
  stats_ = SuperbasinStats{};
  for (Instance& in : instances_)
    if (in.active)
      for (auto& d : in.entry_disp_A) d.setZero();
}

SuperbasinStats LocalSuperbasins::stats() const {
  SuperbasinStats s = stats_;
  s.basins_by_barrier = catalog_.found_by_barrier();
  s.basins_by_counting = catalog_.found_by_counting();
  return s;
}

void SuperbasinStats::merge(const SuperbasinStats& o) {
  basins_by_barrier += o.basins_by_barrier;
  basins_by_counting += o.basins_by_counting;
  activations += o.activations;
  escapes += o.escapes;
  dissolutions += o.dissolutions;
  isolation_failures += o.isolation_failures;
  too_many_states += o.too_many_states;
  cache_hits += o.cache_hits;
  cache_misses += o.cache_misses;
  internal_jumps_avoided += o.internal_jumps_avoided;
  time_in_basins_s += o.time_in_basins_s;
  max_relative_residual = std::max(max_relative_residual, o.max_relative_residual);
  min_reciprocal_condition = std::min(min_reciprocal_condition, o.min_reciprocal_condition);
  auto add = [](std::vector<long long>& a, const std::vector<long long>& b) {
    if (a.size() < b.size()) a.resize(b.size(), 0);
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
  };
  add(basin_sites_histogram, o.basin_sites_histogram);
  add(basin_states_histogram, o.basin_states_histogram);
  if (class_rate_scale.empty()) class_rate_scale = o.class_rate_scale;
}

}  // namespace ionhop::kmc
