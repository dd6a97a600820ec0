#include "kmc/Engine.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <ranges>
#include <span>
#include <set>
#include <stdexcept>
#include <tuple>

#include "kmc/KraBarrier.hpp"
#include "lattice/Units.hpp"

namespace ionhop::kmc {

using lattice::SiteIndex;

Engine::Engine(std::shared_ptr<const Model> model, double temperature_K, Rng rng)
    : model_(std::move(model)),
      cell_(*model_->supercell),
      net_(*model_->network),
      temperature_K_(temperature_K),
      kT_(units::kBoltzmann_eV_per_K * temperature_K),
      rng_(rng) {
  if (!(temperature_K > 0)) throw std::invalid_argument("temperature must be positive");
  model_->validate();
  reps_ = cell_.repetitions();
  n_species_ = static_cast<int>(model_->species.size());
  n_basis_ = cell_.n_basis();
  const auto& tmpls = net_.templates();
  const int nt = static_cast<int>(tmpls.size());
  for (int b = 0; b < cell_.n_basis(); ++b)
    max_degree_ = std::max(max_degree_, static_cast<int>(net_.templates_from(b).size()));
  if (max_degree_ > kMaxDegree)
    throw std::invalid_argument("a site has more than " + std::to_string(kMaxDegree) + " hops");

  // Barriers per hop class, asked once from the barrier source.
  std::vector<HopBarrier> class_barrier;
  for (std::size_t c = 0; c < net_.classes().size(); ++c) {
    const auto& hc = net_.classes()[c];
    class_barrier.push_back(
        model_->barriers->barrier({static_cast<int>(c), hc.from_type, hc.to_type, hc.distance_A}));
  }
  n_shells_ = model_->max_shell();
  if (n_shells_ > 0 && (!model_->shells || model_->shells->n_shells() < n_shells_))
    throw std::invalid_argument("model lacks the neighbour shells its interactions need");
  for (const auto& t : tmpls) {
    kra_.push_back(class_barrier[t.hop_class].kra_eV);
    nu_.push_back(class_barrier[t.hop_class].attempt_frequency_Hz);
    nu_unscaled_.push_back(nu_.back());
    tmpl_class_.push_back(t.hop_class);
    tmpl_shell_.push_back(n_shells_ > 0 ? std::min(model_->shells->shell_of(t.from_basis, t.to_basis, t.cell_offset), n_shells_) : 0);
  }
  class_events_.assign(net_.classes().size(), 0);

  const SiteIndex n = cell_.n_sites();
  bool site_dependent = false;
  for (const auto& st : model_->site_types) site_dependent |= st.disorder_sigma_eV > 0;
  for (const auto& r : model_->regions) site_dependent |= r.energy_shift_eV != 0 || r.barrier_shift_eV != 0;
  fast_ = !site_dependent && n_shells_ == 0;

  // The supercell was checked against the hops and shells by model_->validate().
  build_steps();
  short_steps_ = true;
  auto check_short = [&](const Step& st) {
    for (int k = 0; k < 3; ++k) short_steps_ &= std::abs(st.offset[k]) < reps_[k];
  };
  for (const Hop& hop : hops_) check_short(hop.step);
  for (const ShellStep& st : shell_steps_) check_short(st.step);
  for (const Step& st : affected_) check_short(st);
  for (const Step& st : tmpl_step_) check_short(st);
  stride_ = {static_cast<SiteIndex>(reps_[1] * reps_[2] * n_basis_), static_cast<SiteIndex>(reps_[2] * n_basis_),
             static_cast<SiteIndex>(n_basis_)};
  // Every offset from the origin of an event that apply_local() wraps by table: affected
  // sites, their hop targets (which include the hop targets of the origin and the target),
  // and the shell neighbours of the origin and the target (which are affected sites).
  reach_ = {0, 0, 0};
  auto reach = [&](const std::array<int, 3>& o) {
    for (int d = 0; d < 3; ++d) reach_[d] = std::max(reach_[d], std::abs(o[d]));
  };
  for (const Step& st : affected_) {
    reach(st.offset);
    for (int k = hops_begin_[st.to_basis]; k < hops_begin_[st.to_basis + 1]; ++k) {
      const auto& q = hops_[k].step.offset;
      reach({st.offset[0] + q[0], st.offset[1] + q[1], st.offset[2] + q[2]});
    }
  }
  corr_ok_ = short_steps_ && n_basis_ <= 255;
  for (int d = 0; d < 3; ++d) corr_ok_ &= reach_[d] < reps_[d] && reach_[d] <= kReach;
  for (const Hop& hop : hops_)
    for (int d = 0; d < 3; ++d) {
      hop_lo_[d] = std::min(hop_lo_[d], hop.step.offset[d]);
      hop_hi_[d] = std::max(hop_hi_[d], hop.step.offset[d]);
    }
  if (corr_ok_)
    for (std::size_t i = 0; i < affected_.size(); ++i) {
      const Step& st = affected_[i];
      AffectedEntry a;
      a.delta = st.delta;
      for (int d = 0; d < 3; ++d) a.idx[d] = static_cast<std::uint8_t>(d * kWidth + st.offset[d] + kReach);
      a.basis = static_cast<std::uint8_t>(st.to_basis);
      a.watch = affected_watch_[i];
      affected_entries_.push_back(a);
    }
  bool disordered = false;
  for (const auto& st : model_->site_types) disordered |= st.disorder_sigma_eV > 0;
  if (!fast_ && !disordered) memo_.assign(std::size_t{1} << kMemoBits, MemoEntry{});

  if (site_dependent) {
    site_shift_eV_.assign(n, 0.0);
    barrier_shift_eV_.assign(n, 0.0);
    for (SiteIndex s = 0; s < n; ++s) {
      const Eigen::Vector3d f = cell_.supercell_fractional(s);
      for (const auto& r : model_->regions) {
        if (f[r.axis] >= r.from_fraction && f[r.axis] < r.to_fraction) {
          site_shift_eV_[s] += r.energy_shift_eV;
          barrier_shift_eV_[s] += r.barrier_shift_eV;
        }
      }
      const SiteType& type = model_->site_types[cell_.type_of(s)];
      if (type.disorder_sigma_eV > 0) {
        const double delta = type.disorder_sigma_eV * rng_.normal();
        site_shift_eV_[s] += delta;
        // A trap keeps its saddles: E_KRA + ½(b_i + b_j) + ½(δ_j − δ_i) = E_KRA − δ_i.
        if (type.disorder_traps) barrier_shift_eV_[s] -= delta;
      }
    }
  }

  build_fast_rate_table();
  if (n_shells_ > 0) {
    pair_eV_.assign(static_cast<std::size_t>(n_species_) * n_species_ * n_shells_, 0.0);
    for (const auto& p : model_->interactions)
      for (std::size_t k = 0; k < p.shell_energies_eV.size(); ++k) {
        pair_eV_[(p.species_a * n_species_ + p.species_b) * n_shells_ + k] += p.shell_energies_eV[k];
        if (p.species_a != p.species_b)
          pair_eV_[(p.species_b * n_species_ + p.species_a) * n_shells_ + k] += p.shell_energies_eV[k];
      }
  }

  self_pair_eV_.assign(static_cast<std::size_t>(n_species_) * nt, 0.0);
  for (int a = 0; a < n_species_; ++a)
    for (int h = 0; h < nt; ++h)
      if (tmpl_shell_[h] > 0)
        self_pair_eV_[a * nt + h] = pair_eV_[(static_cast<std::size_t>(a) * n_species_ + a) * n_shells_ + tmpl_shell_[h] - 1];
  for (const auto& sp : model_->species) mobile_.push_back(sp.mobile);
  site_.assign(n, SiteState{});
  place_species();
  if (n_shells_ > 0) build_interaction_counts();
  build_open_masks();
  build_mask_rate_table();
  build_count_rate_table();

  // Prefetching the sites an event updates pays once the state outgrows the core's own
  // caches (≈ 2 MiB here, ≈ 40 bytes per site); below that it only costs instructions.
  prefetch_ = n >= (SiteIndex{1} << 16);
  // One leaf per site, then one per ion for the escape process of a detached ion (zero
  // unless an acceleration scheme sets it; zeros change no sum).
  tree_ = RateTree(n + n_ions());
  std::vector<double> rates(max_degree_);
  for (int i = 0; i < n_ions(); ++i) {
    const SiteIndex s = ion_site_[i];
    tree_.set(s, site_rates(s, cell_.address(s), nullptr));
  }
  tree_.rebuild();
}

Engine::Step Engine::make_step(int from_basis, int to_basis, const std::array<int, 3>& offset) const {
  return {to_basis, offset, cell_.index_step(from_basis, to_basis, offset)};
}

template <class StepList>
Engine::Box Engine::box_of(const StepList& steps) const {
  Box box;
  box.hi = cell_.repetitions();
  for (const auto& item : steps) {
    const Step& st = item;
    for (int k = 0; k < 3; ++k) {
      box.lo[k] = std::max(box.lo[k], -st.offset[k]);
      box.hi[k] = std::min(box.hi[k], cell_.repetitions()[k] - st.offset[k]);
    }
  }
  return box;
}

void Engine::build_steps() {
  const int nb = cell_.n_basis();
  const auto& tmpls = net_.templates();
  auto offset_of = [](const Eigen::Vector3i& o) { return std::array<int, 3>{o[0], o[1], o[2]}; };
  auto box_of_range = [&](auto first, auto last) {
    return box_of(std::span(first, last) | std::views::transform([](const auto& x) -> const Step& { return x.step; }));
  };
  for (int b = 0; b < nb; ++b) {
    hops_begin_.push_back(static_cast<int>(hops_.size()));
    for (int h : net_.templates_from(b))
      hops_.push_back({make_step(b, tmpls[h].to_basis, offset_of(tmpls[h].cell_offset)), h});
    hops_box_.push_back(box_of_range(hops_.begin() + hops_begin_[b], hops_.end()));
    shell_steps_begin_.push_back(static_cast<int>(shell_steps_.size()));
    if (n_shells_ > 0)
      for (const auto& nb_ : model_->shells->neighbors_of(b))
        if (nb_.shell <= n_shells_)
          shell_steps_.push_back({make_step(b, nb_.to_basis, offset_of(nb_.cell_offset)), nb_.shell - 1});
    shell_box_.push_back(box_of_range(shell_steps_.begin() + shell_steps_begin_[b], shell_steps_.end()));
  }
  hops_begin_.push_back(static_cast<int>(hops_.size()));
  shell_steps_begin_.push_back(static_cast<int>(shell_steps_.size()));
  for (const auto& t : tmpls) tmpl_step_.push_back(make_step(t.from_basis, t.to_basis, offset_of(t.cell_offset)));
  for (int b = 0; b < nb; ++b)
    for (int k = hops_begin_[b]; k < hops_begin_[b + 1]; ++k) {
      const Step& st = hops_[k].step;
      for (int r = hops_begin_[st.to_basis]; r < hops_begin_[st.to_basis + 1]; ++r) {
        const Step& back = hops_[r].step;
        if (back.to_basis == b && back.offset[0] == -st.offset[0] && back.offset[1] == -st.offset[1] &&
            back.offset[2] == -st.offset[2])
          hops_[k].reverse = r - hops_begin_[st.to_basis];
      }
    }

  // A hop from site i to site f changes the occupancy of i and f, and with interactions the
  // energy of every site within the shells of i or f. A site's rate depends on its own
  // occupancy and energy and on those of its hop targets, so the affected sites are these
  // changed sites and every site that hops into one of them: since hops are reversible, the
  // hop targets of the changed sites. Ordered by (cell offset, basis), which is memory order
  // when no step wraps around the supercell. In supercells barely larger than the
  // interaction range two distinct steps can wrap onto one site, which is then recomputed
  // twice, to the same value.
  using Key = std::array<int, 4>;  // offset, basis
  for (const auto& t : tmpls) {
    std::set<Key> sites;
    auto add_with_hop_targets = [&](int basis, const std::array<int, 3>& o) {
      sites.insert({o[0], o[1], o[2], basis});
      for (int k = hops_begin_[basis]; k < hops_begin_[basis + 1]; ++k) {
        const Step& st = hops_[k].step;
        sites.insert({o[0] + st.offset[0], o[1] + st.offset[1], o[2] + st.offset[2], st.to_basis});
      }
    };
    const std::pair<int, std::array<int, 3>> ends[2] = {{t.from_basis, {0, 0, 0}},
                                                        {t.to_basis, offset_of(t.cell_offset)}};
    std::set<Key> changed;  // sites whose occupancy or energy changes
    for (const auto& [basis, o] : ends) {
      add_with_hop_targets(basis, o);
      changed.insert({o[0], o[1], o[2], basis});
      for (int k = shell_steps_begin_[basis]; k < shell_steps_begin_[basis + 1]; ++k) {
        const Step& st = shell_steps_[k].step;
        add_with_hop_targets(st.to_basis, {o[0] + st.offset[0], o[1] + st.offset[1], o[2] + st.offset[2]});
        changed.insert({o[0] + st.offset[0], o[1] + st.offset[1], o[2] + st.offset[2], st.to_basis});
      }
    }
    // A site outside `changed` and not next to the two ends changes its rate only through
    // hops into a changed site that is vacant (into an occupied one its rate is 0 before and
    // after): watch those hops' open bits. Everything else is always recomputed.
    auto hop_target_keys = [&](const Key& site) {
      std::vector<Key> out;
      for (int k = hops_begin_[site[3]]; k < hops_begin_[site[3] + 1]; ++k) {
        const Step& st = hops_[k].step;
        out.push_back({site[0] + st.offset[0], site[1] + st.offset[1], site[2] + st.offset[2], st.to_basis});
      }
      return out;
    };
    std::set<Key> next_to_ends;
    for (const auto& [basis, o] : ends)
      for (const Key& k : hop_target_keys({o[0], o[1], o[2], basis})) next_to_ends.insert(k);
    const std::size_t first = affected_.size();
    affected_begin_.push_back(static_cast<int>(first));
    for (const Key& k : sites) {
      affected_.push_back(make_step(t.from_basis, k[3], {k[0], k[1], k[2]}));
      std::uint32_t watch = kAlways;
      if (!changed.count(k) && !next_to_ends.count(k)) {
        watch = 0;
        const auto targets = hop_target_keys(k);
        for (std::size_t h = 0; h < targets.size(); ++h)
          if (changed.count(targets[h])) watch |= 1u << h;
      }
      affected_watch_.push_back(watch);
    }
    affected_box_.push_back(box_of(std::span(affected_.begin() + first, affected_.end())));
    std::vector<Step> reach(affected_.begin() + first, affected_.end());
    for (std::size_t i = first; i < affected_.size(); ++i) {
      const Step& st = affected_[i];
      for (int k = hops_begin_[st.to_basis]; k < hops_begin_[st.to_basis + 1]; ++k) {
        Step r = hops_[k].step;
        for (int d = 0; d < 3; ++d) r.offset[d] += st.offset[d];
        reach.push_back(r);
      }
    }
    affected_deep_box_.push_back(box_of(reach));
  }
  affected_begin_.push_back(static_cast<int>(affected_.size()));

  allowed_basis_.assign(static_cast<std::size_t>(n_species_) * nb, 0);
  for (int g = 0; g < n_species_; ++g)
    for (int b = 0; b < nb; ++b)
      allowed_basis_[g * nb + b] = model_->species[g].allowed_type[cell_.crystal().basis[b].type];
  for (int b = 0; b < nb; ++b)
    basis_energy_eV_.push_back(model_->site_types[cell_.crystal().basis[b].type].energy_eV);
}

void Engine::place_species() {
  // Each species takes `count` sites drawn uniformly from its allowed vacant sites
  // (partial Fisher–Yates with the replica's own stream).
  for (int g = 0; g < n_species_; ++g) {
    const Species& sp = model_->species[g];
    std::vector<SiteIndex> free;
    for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
      if (site_[s].occ == kVacant && sp.allowed_type[cell_.type_of(s)]) free.push_back(s);
    if (static_cast<long long>(free.size()) < sp.count)
      throw std::invalid_argument("not enough free sites for species '" + sp.name + "'");
    for (long long k = 0; k < sp.count; ++k) {
      const auto j = k + static_cast<long long>(rng_.below(free.size() - k));
      std::swap(free[k], free[j]);
      const SiteIndex s = free[k];
      site_[s].occ = static_cast<std::uint8_t>(1 + g);
      if (sp.mobile) {
        site_[s].ion = static_cast<std::int32_t>(ion_site_.size());
        ion_site_.push_back(s);
        ion_species_.push_back(static_cast<std::uint8_t>(g));
      }
    }
  }
  // Ions are numbered in site order so the numbering does not depend on the draw order.
  std::vector<SiteIndex> order(ion_site_.begin(), ion_site_.end());
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    ion_site_[i] = order[i];
    ion_species_[i] = static_cast<std::uint8_t>(site_[order[i]].occ - 1);
    site_[order[i]].ion = static_cast<std::int32_t>(i);
  }
  disp_.assign(3 * ion_site_.size(), 0.0);
}

void Engine::build_interaction_counts() {
  const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
  counts_.assign(static_cast<std::size_t>(cell_.n_sites()) * stride, 0);
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
    if (site_[s].occ != kVacant) update_counts(s, cell_.address(s), site_[s].occ - 1, +1);
}

void Engine::update_counts(SiteIndex s, const lattice::SiteAddress& a, int species, int delta) {
  if (update_counts_fast(s, a, delta)) return;
  const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
  const bool interior = shell_box_[a.basis].contains(a);
  for (int k = shell_steps_begin_[a.basis]; k < shell_steps_begin_[a.basis + 1]; ++k) {
    const ShellStep& nb = shell_steps_[k];
    const SiteIndex j = interior ? s + nb.step.delta : neighbor(a, nb.step.to_basis, nb.step.offset);
    std::uint8_t& c = counts_[j * stride + species * n_shells_ + nb.shell];
    if (hist_mode_ && site_[j].occ == kVacant) {
      // A vacant site's count changes: it moves from one count to the next in the
      // histograms of the sites that hop into it (its hop targets, hops being reversible).
      const std::uint64_t d = delta > 0 ? hist_up(c) : std::uint64_t{0} - hist_up(c - 1);
      for_each_hop_target(j, shift(a, nb.step.to_basis, nb.step.offset), [&](int, SiteIndex y) { open_hist_[y] += d; });
    }
    c += static_cast<std::uint8_t>(delta);
  }
}

Engine::SpeciesEnergetics Engine::energetics(int species) const {
  const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
  const std::size_t nt = net_.templates().size();
  return {basis_energy_eV_.data(),
          site_shift_eV_.empty() ? nullptr : site_shift_eV_.data(),
          barrier_shift_eV_.empty() ? nullptr : barrier_shift_eV_.data(),
          n_shells_ > 0 ? counts_.data() : nullptr,
          n_shells_ > 0 ? pair_eV_.data() + species * stride : nullptr,
          stride,
          kra_.data(),
          nu_.data(),
          self_pair_eV_.data() + species * nt,
          memo_.empty() ? nullptr : memo_.data(),
          kT_};
}

inline double Engine::SpeciesEnergetics::rate(SiteIndex from, double e_from, SiteIndex to, int to_basis, int h,
                                              bool* clamped) const {
  // ΔE = E(after) − E(before). The count at `to` includes the moving ion itself, whose pair
  // energy with its own old site must not count.
  const double de = (energy_eV(to, to_basis) - e_from) - self_pair_eV[h];
  double kra = kra_eV[h];
  if (barrier_shift_eV) kra += 0.5 * (barrier_shift_eV[from] + barrier_shift_eV[to]);
  const ActivationEnergy ea = kra_activation_energy(kra, de);
  *clamped = ea.clamped;
  if (!memo) return nu_Hz[h] * std::exp(-ea.value_eV / kT_eV);
  // exp(−E_a/k_BT) looked up by the exact bits of E_a, with Fibonacci hashing (the top bits
  // of the product mix every bit of the key).
  const auto bits = std::bit_cast<std::uint64_t>(ea.value_eV);
  MemoEntry& m = memo[(bits * 0x9e3779b97f4a7c15ULL) >> (64 - kMemoBits)];
  if (m.bits != bits) {
    m.bits = bits;
    m.factor = std::exp(-ea.value_eV / kT_eV);
  }
  return nu_Hz[h] * m.factor;
}

template <class F>
void Engine::for_each_hop_target(SiteIndex s, const lattice::SiteAddress& a, F&& f) const {
  const Hop* hops = hops_.data() + hops_begin_[a.basis];
  const int degree = hops_begin_[a.basis + 1] - hops_begin_[a.basis];
  // Two copies of the loop, so that the common interior case is a plain index addition.
  if (hops_box_[a.basis].contains(a)) {
    for (int k = 0; k < degree; ++k) f(k, s + hops[k].step.delta);
  } else {
    for (int k = 0; k < degree; ++k) f(k, neighbor(a, hops[k].step.to_basis, hops[k].step.offset));
  }
}

void Engine::build_open_masks() {
  bool usable = max_degree_ <= static_cast<int>(8 * sizeof(OpenMask));
  for (const Hop& hop : hops_) usable &= hop.reverse >= 0;
  if (!usable) return;
  masks_ = true;
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
    for_each_hop_target(s, cell_.address(s), [&](int k, SiteIndex j) {
      if (site_[j].occ == kVacant) site_[s].open |= static_cast<OpenMask>(1u << k);
    });
}

void Engine::update_open_masks(SiteIndex s, const lattice::SiteAddress& a, bool vacated) {
  if (hist_mode_) {
    // s enters (vacated) or leaves the histograms of the sites that hop into it, under its
    // count, which its own occupancy does not change.
    const std::uint64_t p = std::uint64_t{1} << (4 * counts_[s]);
    const std::uint64_t d = vacated ? p : std::uint64_t{0} - p;
    for_each_hop_target(s, a, [&](int, SiteIndex y) { open_hist_[y] += d; });
  }
  const Hop* hops = hops_.data() + hops_begin_[a.basis];
  const int degree = hops_begin_[a.basis + 1] - hops_begin_[a.basis];
  SiteState* sites = site_.data();
  if (hops_box_[a.basis].contains(a)) {
    // The common interior case: plain index additions, one loop per direction of change.
    const Hop* const end = hops + degree;
    if (vacated)
      for (const Hop* hp = hops; hp != end; ++hp) sites[s + hp->step.delta].open |= static_cast<OpenMask>(1u << hp->reverse);
    else
      for (const Hop* hp = hops; hp != end; ++hp) sites[s + hp->step.delta].open &= static_cast<OpenMask>(~(1u << hp->reverse));
    return;
  }
  for_each_hop_target(s, a, [&](int k, SiteIndex j) {
    const auto bit = static_cast<OpenMask>(1u << hops[k].reverse);
    OpenMask& open = sites[j].open;
    open = vacated ? static_cast<OpenMask>(open | bit) : static_cast<OpenMask>(open & ~bit);
  });
}


double Engine::open_hops_rate(int species, int basis, unsigned open) const {
  const Hop* hops = hops_.data() + hops_begin_[basis];
  const double* fast = fast_rate_.data() + static_cast<std::size_t>(species) * net_.templates().size();
  // Ascending bits: the same additions, in the same order, as site_rates() minus its zeros.
  double total = 0.0;
  for (unsigned m = open; m != 0; m &= m - 1) total += fast[hops[std::countr_zero(m)].tmpl];
  return total;
}

void Engine::build_fast_rate_table() {
  if (!fast_) return;
  const auto& tmpls = net_.templates();
  const int nt = static_cast<int>(tmpls.size());
  fast_rate_.assign(static_cast<std::size_t>(n_species_) * nt, 0.0);
  fast_clamped_.assign(fast_rate_.size(), 0);
  for (int a = 0; a < n_species_; ++a)
    for (int h = 0; h < nt; ++h) {
      const auto& t = tmpls[h];
      const double de = model_->site_types[cell_.crystal().basis[t.to_basis].type].energy_eV -
                        model_->site_types[cell_.crystal().basis[t.from_basis].type].energy_eV;
      const ActivationEnergy ea = kra_activation_energy(kra_[h], de);
      const bool can_hop = model_->species[a].mobile &&
                           model_->species[a].allowed_type[cell_.crystal().basis[t.to_basis].type];
      fast_rate_[a * nt + h] = can_hop ? nu_[h] * std::exp(-ea.value_eV / kT_) : 0.0;
      fast_clamped_[a * nt + h] = ea.clamped;
    }
}

void Engine::set_template_rate_scale(const std::vector<double>& scale) {
  const std::size_t nt = net_.templates().size();
  if (scale.size() != nt) throw std::invalid_argument("set_template_rate_scale: one factor per hop template");
  for (double f : scale)
    if (!(f > 0.0) || !std::isfinite(f)) throw std::invalid_argument("set_template_rate_scale: factors must be > 0");
  for (std::size_t h = 0; h < nt; ++h) nu_[h] = nu_unscaled_[h] * scale[h];
  // Every table that holds ν is rebuilt, then every rate: a rare, O(N) operation.
  build_fast_rate_table();
  mask_rate_.clear();
  mask_rate_begin_.clear();
  build_mask_rate_table();
  build_count_rate_table();
  std::vector<double> rates(max_degree_);
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
    tree_.set(s, site_[s].occ == kVacant ? 0.0 : site_rates(s, cell_.address(s), nullptr));
  tree_.rebuild();
}

void Engine::build_mask_rate_table() {
  // 2^degree entries per (species, basis): at most 2^12 per pair and 2^16 in all (512 KiB),
  // beyond which the table would crowd the caches the event loop needs.
  constexpr std::size_t kMaxEntries = std::size_t{1} << 16;
  if (!fast_ || !masks_ || max_degree_ > 12) return;
  const int nb = cell_.n_basis();
  std::size_t entries = 0;
  for (int b = 0; b < nb; ++b) entries += std::size_t{1} << (hops_begin_[b + 1] - hops_begin_[b]);
  if (entries * n_species_ > kMaxEntries) return;
  for (int g = 0; g < n_species_; ++g)
    for (int b = 0; b < nb; ++b) {
      mask_rate_begin_.push_back(mask_rate_.size());
      for (unsigned open = 0; open < (1u << (hops_begin_[b + 1] - hops_begin_[b])); ++open)
        mask_rate_.push_back(open_hops_rate(g, b, open));
    }
}

void Engine::build_count_rate_table() {
  // One species and one interaction shell (stride 1), no per-site energies: a hop's rate is a
  // function of its template and the two neighbour counts. The entries repeat the arithmetic
  // of SpeciesEnergetics::energy_eV() and rate() (whose memo returns the same std::exp), so a
  // looked-up rate has the same bits as a computed one.
  count_rate_.clear();
  count_clamped_.clear();
  count_hops_.clear();
  allowed_open_.clear();
  count_mode_ = false;
  if (!masks_ || n_species_ != 1 || n_shells_ != 1 || !site_shift_eV_.empty() || !barrier_shift_eV_.empty()) return;
  int max_count = 0;
  for (int b = 0; b < cell_.n_basis(); ++b)
    max_count = std::max(max_count, shell_steps_begin_[b + 1] - shell_steps_begin_[b]);
  const int nt = static_cast<int>(net_.templates().size());
  count_dim_ = max_count + 1;
  if (static_cast<std::size_t>(nt) * count_dim_ * count_dim_ > (std::size_t{1} << 16)) return;
  count_rate_.resize(static_cast<std::size_t>(nt) * count_dim_ * count_dim_);
  count_clamped_.resize(count_rate_.size());
  for (int h = 0; h < nt; ++h) {
    const auto& t = net_.templates()[h];
    for (int c_from = 0; c_from < count_dim_; ++c_from)
      for (int c_to = 0; c_to < count_dim_; ++c_to) {
        const double e_from = basis_energy_eV_[t.from_basis] + pair_eV_[0] * c_from;
        const double e_to = basis_energy_eV_[t.to_basis] + pair_eV_[0] * c_to;
        const double de = (e_to - e_from) - self_pair_eV_[h];
        const ActivationEnergy ea = kra_activation_energy(kra_[h], de);
        const std::size_t i = (static_cast<std::size_t>(h) * count_dim_ + c_from) * count_dim_ + c_to;
        count_rate_[i] = nu_[h] * std::exp(-ea.value_eV / kT_);
        count_clamped_[i] = ea.clamped;
      }
  }
  count_mode_ = mobile_[0] != 0;
  for (const Hop& hop : hops_)
    count_hops_.push_back({hop.step.delta, static_cast<std::uint32_t>(hop.tmpl * count_dim_ * count_dim_)});
  for (int b = 0; b < cell_.n_basis(); ++b) {
    OpenMask allowed = 0;
    for (int k = hops_begin_[b]; k < hops_begin_[b + 1]; ++k)
      if (allowed_basis_[hops_[k].step.to_basis]) allowed |= static_cast<OpenMask>(1u << (k - hops_begin_[b]));
    allowed_open_.push_back(allowed);
  }

  // Histogram mode: every hop of a basis site must have the same rates (bit for bit), every
  // target must be allowed, and a count of hop targets and every count must fit in 4 bits.
  // The per-template lists of build_hist_updates() index the affected list by one byte.
  hist_mode_ = count_mode_ && max_degree_ <= 15 && count_dim_ <= 16;
  for (std::size_t h = 0; h + 1 < affected_begin_.size(); ++h) hist_mode_ &= affected_begin_[h + 1] - affected_begin_[h] <= 256;
  hist_rate_.clear();
  hist_rate_begin_.clear();
  const std::size_t rows = static_cast<std::size_t>(count_dim_) * count_dim_;
  hist_pairs_ = count_dim_ <= kPairDim && static_cast<std::size_t>(cell_.n_basis()) * count_dim_ *
                                                  ((count_dim_ + 1) / 2) * 256 * sizeof(double) <= (std::size_t{1} << 18);
  for (int b = 0; b < cell_.n_basis() && hist_mode_; ++b) {
    const int degree = hops_begin_[b + 1] - hops_begin_[b];
    hist_mode_ &= allowed_open_[b] == static_cast<OpenMask>((1u << degree) - 1);
    const std::uint32_t row = degree > 0 ? count_hops_[hops_begin_[b]].row : 0;
    for (int k = hops_begin_[b]; k < hops_begin_[b + 1] && hist_mode_; ++k)
      hist_mode_ &= std::equal(count_rate_.begin() + row, count_rate_.begin() + row + rows,
                               count_rate_.begin() + count_hops_[k].row);
    hist_rate_begin_.push_back(hist_rate_.size());
    if (hist_pairs_) {
      const int n_pairs = (count_dim_ + 1) / 2;
      for (int c_s = 0; c_s < count_dim_; ++c_s)
        for (int p = 0; p < n_pairs; ++p)
          for (int byte = 0; byte < 256; ++byte) {
            const int lo = 2 * p, hi = 2 * p + 1;
            const double t_lo = count_rate_[row + c_s * count_dim_ + lo];
            const double t_hi = hi < count_dim_ ? count_rate_[row + c_s * count_dim_ + hi] : 0.0;
            hist_rate_.push_back(static_cast<double>(byte & 15) * t_lo + static_cast<double>(byte >> 4) * t_hi);
          }
    } else {
      for (std::size_t i = 0; i < rows; ++i)
        for (int n = 0; n < 16; ++n) hist_rate_.push_back(static_cast<double>(n) * count_rate_[row + i]);
    }
  }
  for (int c = 0; c + 1 < 16; ++c) hist_step_[c] = hist_up(c);
  build_hist_updates();
  build_open_hist();
}

void Engine::build_hist_updates() {
  hist_changes_.clear();
  hist_updates_.clear();
  hist_changes_begin_.clear();
  hist_updates_begin_.clear();
  if (!hist_mode_) return;
  using Key = std::array<int, 4>;  // offset, basis
  const auto& tmpls = net_.templates();
  for (std::size_t h = 0; h < tmpls.size(); ++h) {
    hist_changes_begin_.push_back(static_cast<int>(hist_changes_.size()));
    hist_updates_begin_.push_back(static_cast<int>(hist_updates_.size()));
    auto position = [&](const Key& k) {
      for (int i = affected_begin_[h]; i < affected_begin_[h + 1]; ++i) {
        const Step& st = affected_[i];
        if (Key{st.offset[0], st.offset[1], st.offset[2], st.to_basis} == k)
          return static_cast<std::uint8_t>(i - affected_begin_[h]);
      }
      throw std::logic_error("build_hist_updates: a changed site or its hop target is not an affected site");
    };
    const Step& th = tmpl_step_[h];
    std::vector<Key> changed = {{0, 0, 0, tmpls[h].from_basis}, {th.offset[0], th.offset[1], th.offset[2], th.to_basis}};
    for (int end = 0; end < 2; ++end) {
      const Key e = changed[end];
      for (int k = shell_steps_begin_[e[3]]; k < shell_steps_begin_[e[3] + 1]; ++k) {
        const Step& st = shell_steps_[k].step;
        changed.push_back({e[0] + st.offset[0], e[1] + st.offset[1], e[2] + st.offset[2], st.to_basis});
      }
    }
    if (changed.size() > 255 || changed.size() * max_degree_ > 65535) {
      hist_mode_ = false;
      return;
    }
    const int updates_first = static_cast<int>(hist_updates_.size());
    for (std::size_t i = 0; i < changed.size(); ++i) {
      const Key& x = changed[i];
      hist_changes_.push_back({position(x), static_cast<std::uint16_t>(hist_updates_.size() - updates_first)});
      for (int k = hops_begin_[x[3]]; k < hops_begin_[x[3] + 1]; ++k) {
        const Step& hs = hops_[k].step;
        hist_updates_.push_back(position({x[0] + hs.offset[0], x[1] + hs.offset[1], x[2] + hs.offset[2], hs.to_basis}));
      }
    }
    hist_changes_.push_back({0, static_cast<std::uint16_t>(hist_updates_.size() - updates_first)});
  }
  hist_changes_begin_.push_back(static_cast<int>(hist_changes_.size()));
  hist_updates_begin_.push_back(static_cast<int>(hist_updates_.size()));
}

double Engine::hist_site_rate_any(SiteIndex s, int basis) const {
  return hist_pairs_ ? hist_site_rate<0, true>(s, basis) : hist_site_rate<0, false>(s, basis);
}

void Engine::build_open_hist() {
  open_hist_.clear();
  if (!hist_mode_) return;
  open_hist_.assign(cell_.n_sites(), 0);
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
    for_each_hop_target(s, cell_.address(s), [&](int, SiteIndex j) {
      if (site_[j].occ == kVacant) open_hist_[s] += std::uint64_t{1} << (4 * counts_[j]);
    });
}

double Engine::site_rates(SiteIndex s, const lattice::SiteAddress& a, double* rates) const {
  const std::uint8_t o = site_[s].occ;
  const int species = o - 1;
  const Hop* hops = hops_.data() + hops_begin_[a.basis];
  const int degree = hops_begin_[a.basis + 1] - hops_begin_[a.basis];
  if (o == kVacant || !mobile_[species]) {
    if (rates)
      for (int k = 0; k < degree; ++k) rates[k] = 0.0;
    return 0.0;
  }
  const SiteState* sites = site_.data();
  const char* allowed = allowed_basis_.data() + static_cast<std::size_t>(species) * cell_.n_basis();
  double total = 0.0;
  if (fast_) {
    const double* fast = fast_rate_.data() + static_cast<std::size_t>(species) * net_.templates().size();
    if (masks_) {
      if (!rates) return open_hops_rate(species, a.basis, site_[s].open);
      const unsigned m = site_[s].open;
      for (int k = 0; k < degree; ++k) {
        rates[k] = (m >> k) & 1u ? fast[hops[k].tmpl] : 0.0;
        total += rates[k];
      }
      return total;
    }
    for_each_hop_target(s, a, [&](int k, SiteIndex j) {
      const double r = sites[j].occ == kVacant ? fast[hops[k].tmpl] : 0.0;
      if (rates) rates[k] = r;
      total += r;
    });
    return total;
  }
  if (!count_rate_.empty()) {
    if (hist_mode_ && !rates) return hist_site_rate_any(s, a.basis);
    // Open hops in ascending order, rates looked up by the neighbour counts (see
    // build_count_rate_table): the same values and the same sum as the loop below.
    const std::uint8_t* counts = counts_.data();
    const std::size_t dim = static_cast<std::size_t>(count_dim_);
    const std::size_t from_count = counts[s];
    if (rates)
      for (int k = 0; k < degree; ++k) rates[k] = 0.0;
    const bool interior = hops_box_[a.basis].contains(a);
    for (unsigned m = site_[s].open; m != 0; m &= m - 1) {
      const int k = std::countr_zero(m);
      const Step& st = hops[k].step;
      if (!allowed[st.to_basis]) continue;
      const SiteIndex j = interior ? s + st.delta : neighbor(a, st.to_basis, st.offset);
      const double r = count_rate_[(hops[k].tmpl * dim + from_count) * dim + counts[j]];
      if (rates) rates[k] = r;
      total += r;
    }
    return total;
  }
  const SpeciesEnergetics en = energetics(species);
  const double e_from = en.energy_eV(s, a.basis);
  if (masks_) {
    // Only the open hops, in ascending order: the same sum as below, without its zeros.
    if (rates)
      for (int k = 0; k < degree; ++k) rates[k] = 0.0;
    const bool interior = hops_box_[a.basis].contains(a);
    for (unsigned m = site_[s].open; m != 0; m &= m - 1) {
      const int k = std::countr_zero(m);
      const Step& st = hops[k].step;
      if (!allowed[st.to_basis]) continue;
      const SiteIndex j = interior ? s + st.delta : neighbor(a, st.to_basis, st.offset);
      bool clamped = false;
      const double r = en.rate(s, e_from, j, st.to_basis, hops[k].tmpl, &clamped);
      if (rates) rates[k] = r;
      total += r;
    }
    return total;
  }
  for_each_hop_target(s, a, [&](int k, SiteIndex j) {
    double r = 0.0;
    if (sites[j].occ == kVacant && allowed[hops[k].step.to_basis]) {
      bool clamped = false;
      r = en.rate(s, e_from, j, hops[k].step.to_basis, hops[k].tmpl, &clamped);
    }
    if (rates) rates[k] = r;
    total += r;
  });
  return total;
}

std::vector<double> Engine::hop_rates(SiteIndex s) const {
  std::vector<double> rates(net_.templates_from(cell_.basis_of(s)).size());
  site_rates(s, cell_.address(s), rates.data());
  return rates;
}

std::optional<Event> Engine::select() {
  const double total = tree_.total();
  if (!(total > 0.0)) return std::nullopt;
  const SiteIndex s = static_cast<SiteIndex>(tree_.select(rng_.uniform() * total));
  if (s >= cell_.n_sites()) {
    Event e;
    e.escape_ion = static_cast<int>(s - cell_.n_sites());
    e.dt_s = -std::log(rng_.uniform_open0()) / total;
    return e;
  }
  const lattice::SiteAddress a = cell_.address(s);
  int k = -1;
  if (fast_ && masks_) {
    // The same choice as the general loop below, over the open hops only (the others have
    // rate 0 and are skipped there), with rates from the fast table.
    const Hop* hops = hops_.data() + hops_begin_[a.basis];
    const double* fast = fast_rate_.data() + static_cast<std::size_t>(site_[s].occ - 1) * net_.templates().size();
    double target = rng_.uniform() * masked_site_rate(s, a.basis);
    for (unsigned m = site_[s].open; m != 0; m &= m - 1) {
      const int i = std::countr_zero(m);
      const double r = fast[hops[i].tmpl];
      if (r <= 0.0) continue;
      k = i;
      if (target < r) break;
      target -= r;
    }
  } else if (count_mode_) {
    // The same choice as the general loop below, over the open hops the species may take
    // (the others have rate 0 and are skipped there), with the rates of count_site_rate().
    const CountHop* ch = count_hops_.data() + hops_begin_[a.basis];
    const Hop* hops = hops_.data() + hops_begin_[a.basis];
    const std::uint8_t* counts = counts_.data();
    const double* table = count_rate_.data() + static_cast<std::size_t>(counts[s]) * count_dim_;
    const bool inside = hops_box_[a.basis].contains(a);
    double rates[kMaxDegree];
    int which[kMaxDegree];
    int n = 0;
    double site_total = 0.0;
    for (unsigned m = site_[s].open & allowed_open_[a.basis]; m != 0; m &= m - 1) {
      const int i = std::countr_zero(m);
      const SiteIndex j = inside ? s + ch[i].delta : neighbor(a, hops[i].step.to_basis, hops[i].step.offset);
      which[n] = i;
      rates[n] = table[ch[i].row + counts[j]];
      site_total += rates[n++];
    }
    double target = rng_.uniform() * site_total;
    for (int i = 0; i < n; ++i) {
      if (rates[i] <= 0.0) continue;
      k = which[i];
      if (target < rates[i]) break;
      target -= rates[i];
    }
  } else {
    double rates[kMaxDegree];
    const int degree = hops_begin_[a.basis + 1] - hops_begin_[a.basis];
    const double site_total = site_rates(s, a, rates);
    double target = rng_.uniform() * site_total;
    for (int i = 0; i < degree; ++i) {
      if (rates[i] <= 0.0) continue;
      k = i;
      if (target < rates[i]) break;
      target -= rates[i];
    }
  }
  const Hop& hop = hops_[hops_begin_[a.basis] + k];
  Event e;
  e.from = s;
  e.to = neighbor(a, hop.step.to_basis, hop.step.offset);
  e.hop_template = hop.tmpl;
  // Whether the KRA barrier was clamped is needed for the chosen hop only.
  const int species = site_[s].occ - 1;
  if (fast_) {
    e.clamped = fast_clamped_[static_cast<std::size_t>(species) * net_.templates().size() + hop.tmpl] != 0;
  } else if (count_mode_) {
    const std::size_t dim = static_cast<std::size_t>(count_dim_);
    e.clamped = count_clamped_[(hop.tmpl * dim + counts_[s]) * dim + counts_[e.to]] != 0;
  } else {
    const SpeciesEnergetics en = energetics(species);
    en.rate(s, en.energy_eV(s, a.basis), e.to, hop.step.to_basis, hop.tmpl, &e.clamped);
  }
  e.dt_s = -std::log(rng_.uniform_open0()) / total;
  return e;
}

template <bool kTable>
void Engine::apply_local(const Event& e) {
  if (hist_mode_) {
    apply_local_hist_dispatch<kTable>(e);
    return;
  }
  // The site `o` cells from the origin whose index would be `base` without wrapping.
  auto at = [&](SiteIndex base, const std::array<int, 3>& o) { return kTable ? base + correction(o) : base; };
  auto plus = [](const std::array<int, 3>& a, const std::array<int, 3>& b) {
    return std::array<int, 3>{a[0] + b[0], a[1] + b[1], a[2] + b[2]};
  };
  const int h = e.hop_template;
  const Step& th = tmpl_step_[h];
  const int from_basis = net_.templates()[h].from_basis;
  const SiteIndex to_base = e.from + th.delta;
  SiteState* sites = site_.data();
  // Open masks: the hop into the origin opens, the hop into the target closes.
  for (int k = hops_begin_[from_basis]; k < hops_begin_[from_basis + 1]; ++k) {
    const Hop& hp = hops_[k];
    sites[at(e.from + hp.step.delta, hp.step.offset)].open |= static_cast<OpenMask>(1u << hp.reverse);
  }
  for (int k = hops_begin_[th.to_basis]; k < hops_begin_[th.to_basis + 1]; ++k) {
    const Hop& hp = hops_[k];
    sites[at(to_base + hp.step.delta, plus(th.offset, hp.step.offset))].open &= static_cast<OpenMask>(~(1u << hp.reverse));
  }
  const Step* affected = affected_.data();
  const int first = affected_begin_[h];
  const int last = affected_begin_[h + 1];
  if (fast_) {
    // Without interactions every affected site is always recomputed (see build_steps), and
    // its rate needs the basis only, not the cell.
    const AffectedEntry* entries = affected_entries_.data();
    const SiteIndex* corr = corr_.data();
    for (int k = first; k < last; ++k) {
      const SiteIndex s = kTable ? e.from + entries[k].delta + corr[entries[k].idx[0]] + corr[entries[k].idx[1]] +
                                       corr[entries[k].idx[2]]
                                 : e.from + affected[k].delta;
      const double r = sites[s].occ != kVacant ? masked_site_rate(s, affected[k].to_basis) : 0.0;
      if (r != tree_.rate(s)) tree_.set(s, r);
    }
  } else {
    // Count mode: one species, one shell.
    std::uint8_t* counts = counts_.data();
    for (int k = shell_steps_begin_[from_basis]; k < shell_steps_begin_[from_basis + 1]; ++k) {
      const Step& st = shell_steps_[k].step;
      --counts[at(e.from + st.delta, st.offset)];
    }
    for (int k = shell_steps_begin_[th.to_basis]; k < shell_steps_begin_[th.to_basis + 1]; ++k) {
      const Step& st = shell_steps_[k].step;
      ++counts[at(to_base + st.delta, plus(th.offset, st.offset))];
    }
    if constexpr (kTable) {
      const AffectedEntry* entries = affected_entries_.data();
      const SiteIndex* corr = corr_.data();
      const std::uint8_t* plain = plain_.data();
      for (int k = first; k < last; ++k) {
        const AffectedEntry& a = entries[k];
        const SiteIndex base = e.from + a.delta;
        const SiteIndex s = base + corr[a.idx[0]] + corr[a.idx[1]] + corr[a.idx[2]];
        // A site beyond the changed ones keeps its rate unless an open hop leads into one.
        const SiteState site = sites[s];
        if ((a.watch & (site.open | kAlways)) == 0) continue;
        double r = 0.0;
        if (site.occ != kVacant) {
          // Most sites are away from the boundary: then neither the site nor its hop targets
          // need a correction (s == base).
          const bool inside = plain[a.idx[0]] & plain[a.idx[1]] & plain[a.idx[2]];
          r = inside ? count_site_rate_interior(s, a.basis) : count_site_rate_corrected(s, base, a);
        }
        if (r != tree_.rate(s)) tree_.set(s, r);
      }
    } else {
      const std::uint32_t* watch = affected_watch_.data();
      for (int k = first; k < last; ++k) {
        const Step& st = affected[k];
        const SiteIndex s = e.from + st.delta;
        const SiteState site = sites[s];
        if ((watch[k] & (site.open | kAlways)) == 0) continue;
        const double r = site.occ != kVacant ? count_site_rate_interior(s, st.to_basis) : 0.0;
        if (r != tree_.rate(s)) tree_.set(s, r);
      }
    }
  }
  tree_.flush();
}

template <bool kTable>
void Engine::apply_local_hist_dispatch(const Event& e) {
  // The rate's dot product unrolled for the usual lattices (chain 3, honeycomb 4, square 5,
  // sc 7, bcc 9, fcc 13 counts with one shell of nearest neighbours).
  if (hist_pairs_) {
    switch (count_dim_) {
      case 3: return apply_local_hist<kTable, 3, true>(e);
      case 4: return apply_local_hist<kTable, 4, true>(e);
      case 5: return apply_local_hist<kTable, 5, true>(e);
      case 7: return apply_local_hist<kTable, 7, true>(e);
      case 9: return apply_local_hist<kTable, 9, true>(e);
      default: return apply_local_hist<kTable, 0, true>(e);
    }
  }
  switch (count_dim_) {
    case 13: return apply_local_hist<kTable, 13, false>(e);
    default: return apply_local_hist<kTable, 0, false>(e);
  }
}

template <bool kTable, int kDim, bool kPairs>
void Engine::apply_local_hist(const Event& e) {
  // Histogram mode (see open_hist_): the occupancy changes under the old counts (the origin
  // enters, the target leaves the histograms of their hop targets), then the count changes
  // under the new occupancy (each vacant site whose count changes moves to the next count in
  // the histograms of its hop targets), then the rates of the affected sites, each a dot
  // product of its histogram with a row of the rate table. Every site involved is an affected
  // site: their indices are worked out once (the origin plus a plain step, corrected by table
  // where it wraps: kTable), then the changes, in order (a site can change count twice), then
  // they are added to the histograms from the flat per-template list hist_updates_ (integer
  // additions: their order does not matter).
  const int h = e.hop_template;
  const Step& th = tmpl_step_[h];
  const int from_basis = net_.templates()[h].from_basis;
  SiteState* sites = site_.data();
  std::uint64_t* hist = open_hist_.data();
  std::uint8_t* counts = counts_.data();
  const int first = affected_begin_[h];
  const int n_affected = affected_begin_[h + 1] - first;
  SiteIndex site_of[256];
  if constexpr (kTable) {
    const AffectedEntry* entries = affected_entries_.data() + first;
    const SiteIndex* corr = corr_.data();
    for (int k = 0; k < n_affected; ++k) {
      const AffectedEntry& a = entries[k];
      site_of[k] = e.from + a.delta + corr[a.idx[0]] + corr[a.idx[1]] + corr[a.idx[2]];
    }
  } else {
    const Step* affected = affected_.data() + first;
    for (int k = 0; k < n_affected; ++k) site_of[k] = e.from + affected[k].delta;
  }
  const std::uint8_t* updates = hist_updates_.data() + hist_updates_begin_[h];
  // Open masks: the hop into the origin opens, the hop into the target closes.
  {
    const Hop* hops = hops_.data();
    const std::uint8_t* up = updates;
    for (int k = hops_begin_[from_basis]; k < hops_begin_[from_basis + 1]; ++k, ++up)
      sites[site_of[*up]].open |= static_cast<OpenMask>(1u << hops[k].reverse);
    for (int k = hops_begin_[th.to_basis]; k < hops_begin_[th.to_basis + 1]; ++k, ++up)
      sites[site_of[*up]].open &= static_cast<OpenMask>(~(1u << hops[k].reverse));
  }
  {
    const HistChange* changed = hist_changes_.data() + hist_changes_begin_[h];
    const int n = hist_changes_begin_[h + 1] - hist_changes_begin_[h] - 1;
    std::uint64_t change[256];
    int live[256];
    change[0] = std::uint64_t{1} << (4 * counts[e.from]);
    change[1] = std::uint64_t{0} - (std::uint64_t{1} << (4 * counts[e.to]));
    live[0] = 0;
    live[1] = 1;
    int n_live = 2;
    const int n_from = 2 + shell_steps_begin_[from_basis + 1] - shell_steps_begin_[from_basis];
    const std::uint64_t* step = hist_step_.data();
    for (int i = 2; i < n; ++i) {
      const SiteIndex x = site_of[changed[i].site];
      const int c = counts[x];
      const bool down = i < n_from;
      counts[x] = static_cast<std::uint8_t>(down ? c - 1 : c + 1);
      change[i] = down ? std::uint64_t{0} - step[c - 1] : step[c];
      // An occupied site is in no histogram: only vacant ones are listed (kept without a
      // data-dependent branch), then their hop targets updated.
      live[n_live] = i;
      n_live += sites[x].occ == kVacant;
    }
    for (int j = 0; j < n_live; ++j) {
      const int i = live[j];
      const std::uint64_t d = change[i];
      for (int u = changed[i].updates; u < changed[i + 1].updates; ++u) hist[site_of[updates[u]]] += d;
    }
  }
  // Every affected site's rate, without a data-dependent branch: whether a site's rate
  // changed (most do, in no predictable pattern) is decided by set_if_changed(), and a vacant
  // site's dot product (its histogram is kept too) is masked to 0. Cheaper than the skipped
  // dot products cost in mispredicted branches.
  const Step* affected = affected_.data() + first;
  for (int k = 0; k < n_affected; ++k) {
    const SiteIndex s = site_of[k];
    const std::uint64_t keep = std::uint64_t{0} - static_cast<std::uint64_t>(sites[s].occ != kVacant);
    const double r = hist_site_rate<kDim, kPairs>(s, affected[k].to_basis);
    tree_.set_if_changed(s, std::bit_cast<double>(std::bit_cast<std::uint64_t>(r) & keep));
  }
  tree_.flush();
}

void Engine::apply(const Event& e) {
  // Start the loads of every site the event updates, so that once the state no longer fits
  // in cache (10⁶ sites and more) the misses overlap instead of following one another.
  const int ion = site_[e.from].ion;
  __builtin_prefetch(&disp_[3 * ion]);
  __builtin_prefetch(&ion_site_[ion]);
  const int h = e.hop_template;
  const lattice::SiteAddress origin = cell_.address(e.from);
  const bool interior = affected_box_[h].contains(origin);
  const Step* affected = affected_.data();
  const int first = affected_begin_[h];
  const int last = affected_begin_[h + 1];
  if (prefetch_)
    for (int k = first; k < last; ++k) {
      const Step& st = affected[k];
      const SiteIndex s = interior ? e.from + st.delta : neighbor(origin, st.to_basis, st.offset);
      __builtin_prefetch(&site_[s]);
      tree_.prefetch(s);
      if (hist_mode_) {
        __builtin_prefetch(&open_hist_[s]);
        __builtin_prefetch(&counts_[s]);
      }
    }

  SiteState* sites = site_.data();
  const int species = sites[e.from].occ - 1;
  sites[e.to].occ = sites[e.from].occ;
  sites[e.from].occ = kVacant;
  sites[e.to].ion = ion;
  sites[e.from].ion = -1;
  ion_site_[ion] = e.to;
  const Eigen::Vector3d& v = net_.templates()[h].vector_A;
  disp_[3 * ion] += v[0];
  disp_[3 * ion + 1] += v[1];
  disp_[3 * ion + 2] += v[2];
  ++class_events_[tmpl_class_[h]];
  clamped_events_ += e.clamped;
  time_s_ += e.dt_s;
  ++events_;

  if (masks_ && (fast_ || count_mode_)) {
    // The common modes: every neighbour of the event by plain index steps from the origin,
    // corrected by table where they wrap (see corr_).
    // Without interactions no rate reads a neighbour: the affected sites must not wrap.
    // Nor in histogram mode, where only the neighbours of changed sites (affected sites) are
    // read or written.
    if (fast_ || hist_mode_ ? interior : affected_deep_box_[h].contains(origin)) {
      apply_local<false>(e);
      return;
    }
    if (corr_ok_) {
      if (fast_ || hist_mode_)
        build_corrections<false>(origin);
      else
        build_corrections<true>(origin);
      apply_local<true>(e);
      return;
    }
  }
  // The target's address from the origin's, without decoding its index.
  const Step& hop = tmpl_step_[h];
  const lattice::SiteAddress target = shift(origin, hop.to_basis, hop.offset);
  // Open masks (and histograms) first, under the old counts, then the counts under the new
  // occupancy (see open_hist_).
  if (masks_) {
    update_open_masks(e.from, origin, true);
    update_open_masks(e.to, target, false);
  }
  if (n_shells_ > 0) {
    update_counts(e.from, origin, species, -1);
    update_counts(e.to, target, species, +1);
  }
  // The affected site k: its index, and its address when a rate needs it.
  auto site_of = [&](int k) {
    const Step& st = affected[k];
    return interior ? e.from + st.delta : neighbor(origin, st.to_basis, st.offset);
  };
  auto st_basis = [&](int k) { return affected[k].to_basis; };
  auto address_of = [&](int k) {
    const Step& st = affected[k];
    if (!interior) return shift(origin, st.to_basis, st.offset);
    lattice::SiteAddress a;
    a.basis = st.to_basis;
    for (int d = 0; d < 3; ++d) a.cell[d] = origin.cell[d] + st.offset[d];
    return a;
  };
  if (fast_ && masks_) {
    // Without interactions every affected site is always recomputed (see build_steps), and
    // its rate needs the basis only, not the cell.
    for (int k = first; k < last; ++k) {
      const SiteIndex s = site_of(k);
      const double r = sites[s].occ != kVacant ? masked_site_rate(s, affected[k].to_basis) : 0.0;
      if (r != tree_.rate(s)) tree_.set(s, r);
    }
  } else if (count_mode_) {
    const std::uint32_t* watch = affected_watch_.data();
    for (int k = first; k < last; ++k) {
      const SiteIndex s = site_of(k);
      const SiteState site = sites[s];
      if ((watch[k] & (site.open | kAlways)) == 0) continue;
      const double r = site.occ == kVacant ? 0.0
                       : hist_mode_    ? hist_site_rate_any(s, st_basis(k))
                                       : count_site_rate(s, address_of(k));
      if (r != tree_.rate(s)) tree_.set(s, r);
    }
  } else {
    const bool watch = masks_ && n_shells_ > 0;
    for (int k = first; k < last; ++k) {
      const SiteIndex s = site_of(k);
      if (watch && (affected_watch_[k] & (sites[s].open | kAlways)) == 0) continue;
      const double r = sites[s].occ != kVacant ? site_rates(s, address_of(k), nullptr) : 0.0;
      if (r != tree_.rate(s)) tree_.set(s, r);
    }
  }
  tree_.flush();
}

void Engine::recompute_around(SiteIndex s) {
  const lattice::SiteAddress origin = cell_.address(s);
  const int first = hops_begin_[origin.basis];
  if (first == hops_begin_[origin.basis + 1]) {  // a site without hops: only its own rate
    tree_.set(s, site_[s].occ == kVacant ? 0.0 : site_rates(s, origin, nullptr));
    tree_.flush();
    return;
  }
  // The sites a hop leaving s affects include every site s itself affects.
  const int h = hops_[first].tmpl;
  for (int k = affected_begin_[h]; k < affected_begin_[h + 1]; ++k) {
    const Step& st = affected_[k];
    const lattice::SiteAddress a = shift(origin, st.to_basis, st.offset);
    const SiteIndex j = cell_.index(a);
    const double r = site_[j].occ == kVacant ? 0.0 : site_rates(j, a, nullptr);
    if (r != tree_.rate(j)) tree_.set(j, r);
  }
  tree_.flush();
}

void Engine::detach_ion(int ion) {
  if (is_detached(ion)) throw std::logic_error("detach_ion: ion " + std::to_string(ion) + " is detached");
  if (detached_.empty()) detached_.assign(ion_site_.size(), 0);
  const SiteIndex s = ion_site_[ion];
  const int species = site_[s].occ - 1;
  site_[s].occ = kVacant;
  site_[s].ion = -1;
  detached_[ion] = 1;
  const lattice::SiteAddress a = cell_.address(s);
  if (masks_) update_open_masks(s, a, true);
  if (n_shells_ > 0) update_counts(s, a, species, -1);
  recompute_around(s);
}

void Engine::attach_ion(int ion, SiteIndex s, const Eigen::Vector3d& displacement_A) {
  if (!is_detached(ion)) throw std::logic_error("attach_ion: ion " + std::to_string(ion) + " is not detached");
  if (site_[s].occ != kVacant) throw std::logic_error("attach_ion: site " + std::to_string(s) + " is occupied");
  const int species = ion_species_[ion];
  site_[s].occ = static_cast<std::uint8_t>(species + 1);
  site_[s].ion = ion;
  ion_site_[ion] = s;
  detached_[ion] = 0;
  for (int d = 0; d < 3; ++d) disp_[3 * ion + d] += displacement_A[d];
  const lattice::SiteAddress a = cell_.address(s);
  if (masks_) update_open_masks(s, a, false);
  if (n_shells_ > 0) update_counts(s, a, species, +1);
  recompute_around(s);
}

void Engine::set_detached_view(int ion, SiteIndex s, const Eigen::Vector3d& displacement_A) {
  if (!is_detached(ion)) throw std::logic_error("set_detached_view: ion " + std::to_string(ion) + " is not detached");
  ion_site_[ion] = s;
  for (int d = 0; d < 3; ++d) disp_[3 * ion + d] = displacement_A[d];
}

void Engine::set_escape_rate(int ion, double rate_per_s) {
  tree_.set(cell_.n_sites() + ion, rate_per_s);
  tree_.flush();
}

RunStop Engine::run(const RunLimits& limits, double interval, std::span<Observer* const> observers,
                    EventHook* hook) {
  const bool sampling = interval > 0 && !observers.empty();
  // Sample k (k = 0, 1, …) is taken at k·interval after the last reset.
  double next_sample = sampling ? std::ceil(time_s_ / interval) * interval : 0.0;
  auto sample_until = [&](double t_end, bool inclusive) {
    if (!sampling) return;
    while (inclusive ? next_sample <= t_end : next_sample < t_end) {
      if (hook) hook->before_sample(*this);
      for (Observer* o : observers) o->sample(*this, next_sample);
      next_sample += interval;
    }
  };
  long long done = 0;
  while (limits.max_events < 0 || done < limits.max_events) {
    if (limits.max_time_s >= 0 && time_s_ >= limits.max_time_s) return RunStop::time_reached;
    const auto e = select();
    if (!e) {
      if (limits.max_time_s >= 0) {
        sample_until(limits.max_time_s, false);
        time_s_ = limits.max_time_s;
      }
      return RunStop::frozen;
    }
    const double t_next = time_s_ + e->dt_s;
    if (limits.max_time_s >= 0 && t_next > limits.max_time_s) {
      // The state holds until past the end: sample up to the end, do not carry out the event.
      sample_until(limits.max_time_s, false);
      time_s_ = limits.max_time_s;
      return RunStop::time_reached;
    }
    // The current state holds on [t, t + dt): samples in that window see it.
    sample_until(t_next, false);
    if (e->escape_ion >= 0) {
      if (!hook) throw std::logic_error("an escape event without an EventHook");
      time_s_ = t_next;
      hook->escape(*this, e->escape_ion);
    } else {
      apply(*e);
      if (hook) hook->after_hop(*this, *e);
    }
    ++done;
  }
  return RunStop::events_reached;
}

void Engine::reset_clock() {
  time_s_ = 0.0;
  events_ = 0;
  std::fill(disp_.begin(), disp_.end(), 0.0);
  std::fill(class_events_.begin(), class_events_.end(), 0);
  clamped_events_ = 0;
}

double Engine::configuration_energy_eV() const {
  double e = 0.0;
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s) {
    if (site_[s].occ == kVacant) continue;
    const int g = site_[s].occ - 1;
    if (!model_->species[g].mobile) continue;  // immobile species carry no site energy
    double site = model_->site_types[cell_.type_of(s)].energy_eV;
    if (!site_shift_eV_.empty()) site += site_shift_eV_[s];
    e += site;
  }
  if (n_shells_ > 0) {
    // Each pair counted from both ends: halve.
    const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
    double pairs = 0.0;
    for (SiteIndex s = 0; s < cell_.n_sites(); ++s) {
      if (site_[s].occ == kVacant) continue;
      const int g = site_[s].occ - 1;
      for (std::size_t k = 0; k < stride; ++k) pairs += pair_eV_[g * stride + k] * counts_[s * stride + k];
    }
    e += 0.5 * pairs;
  }
  return e;
}

double Engine::bytes_per_site() const {
  const double n = static_cast<double>(cell_.n_sites());
  const double bytes = site_.size() * sizeof(SiteState) +
                       ion_site_.size() * (sizeof(SiteIndex) + 1) + disp_.size() * sizeof(double) +
                       (site_shift_eV_.size() + barrier_shift_eV_.size()) * sizeof(double) +
                       counts_.size() + open_hist_.size() * sizeof(std::uint64_t) + tree_.bytes();
  return bytes / n;
}

}  // namespace ionhop::kmc
