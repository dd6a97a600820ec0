#include "kmc/Engine.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>

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
  n_species_ = static_cast<int>(model_->species.size());
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
    tmpl_class_.push_back(t.hop_class);
    tmpl_shell_.push_back(n_shells_ > 0 ? std::min(model_->shells->shell_of(t.from_basis, t.to_basis, t.cell_offset), n_shells_) : 0);
  }
  class_events_.assign(net_.classes().size(), 0);

  const SiteIndex n = cell_.n_sites();
  bool site_dependent = false;
  for (const auto& st : model_->site_types) site_dependent |= st.disorder_sigma_eV > 0;
  for (const auto& r : model_->regions) site_dependent |= r.energy_shift_eV != 0 || r.barrier_shift_eV != 0;
  fast_ = !site_dependent && n_shells_ == 0;

  check_supercell();

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
      const double sigma = model_->site_types[cell_.type_of(s)].disorder_sigma_eV;
      if (sigma > 0) site_shift_eV_[s] += sigma * rng_.normal();
    }
  }

  if (fast_) {
    fast_rate_.assign(static_cast<std::size_t>(n_species_) * nt, 0.0);
    fast_clamped_.assign(fast_rate_.size(), 0);
    for (int a = 0; a < n_species_; ++a)
      for (int h = 0; h < nt; ++h) {
        const auto& t = tmpls[h];
        const double de = model_->site_types[cell_.crystal().basis[t.to_basis].type].energy_eV -
                          model_->site_types[cell_.crystal().basis[t.from_basis].type].energy_eV;
        const ActivationEnergy ea = kra_activation_energy(kra_[h], de);
        fast_rate_[a * nt + h] = nu_[h] * std::exp(-ea.value_eV / kT_);
        fast_clamped_[a * nt + h] = ea.clamped;
      }
  }
  if (n_shells_ > 0) {
    pair_eV_.assign(static_cast<std::size_t>(n_species_) * n_species_ * n_shells_, 0.0);
    for (const auto& p : model_->interactions)
      for (std::size_t k = 0; k < p.shell_energies_eV.size(); ++k) {
        pair_eV_[(p.species_a * n_species_ + p.species_b) * n_shells_ + k] += p.shell_energies_eV[k];
        if (p.species_a != p.species_b)
          pair_eV_[(p.species_b * n_species_ + p.species_a) * n_shells_ + k] += p.shell_energies_eV[k];
      }
  }

  occ_.assign(n, kVacant);
  ion_at_.assign(n, -1);
  place_species();
  if (n_shells_ > 0) build_interaction_counts();

  tree_ = RateTree(n);
  std::vector<double> rates(max_degree_);
  std::vector<char> clamped(max_degree_);
  for (int i = 0; i < n_ions(); ++i) {
    const SiteIndex s = ion_site_[i];
    tree_.set(s, site_rates(s, rates.data(), clamped.data()));
  }
  tree_.rebuild();
}

void Engine::check_supercell() const {
  // A hop or a shell neighbour that wraps onto the site itself or onto another neighbour
  // means the supercell is smaller than the interaction range.
  for (int b = 0; b < cell_.n_basis(); ++b) {
    lattice::SiteAddress a;
    a.basis = b;
    const SiteIndex self = cell_.index(a);
    std::set<SiteIndex> seen;
    for (int h : net_.templates_from(b)) {
      const auto& t = net_.templates()[h];
      const SiteIndex j = cell_.neighbor(a, t.to_basis, t.cell_offset);
      if (j == self || !seen.insert(j).second)
        throw std::invalid_argument("supercell too small for the hop network: enlarge 'supercell'");
    }
    if (n_shells_ > 0) {
      seen.clear();
      for (const auto& nb : model_->shells->neighbors_of(b)) {
        if (nb.shell > n_shells_) continue;
        const SiteIndex j = cell_.neighbor(a, nb.to_basis, nb.cell_offset);
        if (j == self || !seen.insert(j).second)
          throw std::invalid_argument("supercell too small for the interaction shells: enlarge 'supercell'");
      }
    }
  }
}

void Engine::place_species() {
  // Each species takes `count` sites drawn uniformly from its allowed vacant sites
  // (partial Fisher–Yates with the replica's own stream).
  for (int g = 0; g < n_species_; ++g) {
    const Species& sp = model_->species[g];
    std::vector<SiteIndex> free;
    for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
      if (occ_[s] == kVacant && sp.allowed_type[cell_.type_of(s)]) free.push_back(s);
    if (static_cast<long long>(free.size()) < sp.count)
      throw std::invalid_argument("not enough free sites for species '" + sp.name + "'");
    for (long long k = 0; k < sp.count; ++k) {
      const auto j = k + static_cast<long long>(rng_.below(free.size() - k));
      std::swap(free[k], free[j]);
      const SiteIndex s = free[k];
      occ_[s] = static_cast<std::uint8_t>(1 + g);
      if (sp.mobile) {
        ion_at_[s] = static_cast<std::int32_t>(ion_site_.size());
        ion_site_.push_back(s);
        ion_species_.push_back(static_cast<std::uint8_t>(g));
      }
    }
  }
  // Ions are numbered in site order so the numbering does not depend on the draw order.
  std::vector<SiteIndex> order = ion_site_;
  std::sort(order.begin(), order.end());
  for (std::size_t i = 0; i < order.size(); ++i) {
    ion_site_[i] = order[i];
    ion_species_[i] = static_cast<std::uint8_t>(occ_[order[i]] - 1);
    ion_at_[order[i]] = static_cast<std::int32_t>(i);
  }
  disp_.assign(3 * ion_site_.size(), 0.0);
}

void Engine::build_interaction_counts() {
  const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
  counts_.assign(static_cast<std::size_t>(cell_.n_sites()) * stride, 0);
  for (SiteIndex s = 0; s < cell_.n_sites(); ++s)
    if (occ_[s] != kVacant) update_counts(s, occ_[s] - 1, +1);
}

void Engine::update_counts(SiteIndex s, int species, int delta) {
  const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
  const lattice::SiteAddress a = cell_.address(s);
  for (const auto& nb : model_->shells->neighbors_of(a.basis)) {
    if (nb.shell > n_shells_) continue;
    const SiteIndex j = cell_.neighbor(a, nb.to_basis, nb.cell_offset);
    counts_[j * stride + species * n_shells_ + (nb.shell - 1)] += static_cast<std::uint8_t>(delta);
  }
}

double Engine::site_energy_eV(int species, SiteIndex s) const {
  double e = model_->site_types[cell_.type_of(s)].energy_eV;
  if (!site_shift_eV_.empty()) e += site_shift_eV_[s];
  if (n_shells_ > 0) {
    const std::size_t stride = static_cast<std::size_t>(n_species_) * n_shells_;
    const std::uint8_t* c = &counts_[s * stride];
    const double* v = &pair_eV_[static_cast<std::size_t>(species) * stride];
    for (std::size_t k = 0; k < stride; ++k) e += v[k] * c[k];
  }
  return e;
}

double Engine::hop_rate(int species, SiteIndex from, SiteIndex to, int h, bool* clamped) const {
  // ΔE = E(after) − E(before). The count at `to` includes the moving ion itself, whose pair
  // energy with its own old site must not count.
  double de = site_energy_eV(species, to) - site_energy_eV(species, from);
  if (tmpl_shell_[h] > 0)
    de -= pair_eV_[(static_cast<std::size_t>(species) * n_species_ + species) * n_shells_ + tmpl_shell_[h] - 1];
  double kra = kra_[h];
  if (!barrier_shift_eV_.empty()) kra += 0.5 * (barrier_shift_eV_[from] + barrier_shift_eV_[to]);
  const ActivationEnergy ea = kra_activation_energy(kra, de);
  *clamped = ea.clamped;
  return nu_[h] * std::exp(-ea.value_eV / kT_);
}

double Engine::site_rates(SiteIndex s, double* rates, char* clamped) const {
  const std::uint8_t o = occ_[s];
  const int species = o - 1;
  const lattice::SiteAddress a = cell_.address(s);
  const auto& from = net_.templates_from(a.basis);
  const int nt = static_cast<int>(net_.templates().size());
  double total = 0.0;
  if (o == kVacant || !model_->species[species].mobile) {
    for (std::size_t k = 0; k < from.size(); ++k) rates[k] = 0.0;
    return 0.0;
  }
  const auto& allowed = model_->species[species].allowed_type;
  for (std::size_t k = 0; k < from.size(); ++k) {
    const int h = from[k];
    const auto& t = net_.templates()[h];
    const SiteIndex j = cell_.neighbor(a, t.to_basis, t.cell_offset);
    double r = 0.0;
    clamped[k] = 0;
    if (occ_[j] == kVacant && allowed[cell_.crystal().basis[t.to_basis].type]) {
      if (fast_) {
        r = fast_rate_[species * nt + h];
        clamped[k] = fast_clamped_[species * nt + h];
      } else {
        bool c = false;
        r = hop_rate(species, s, j, h, &c);
        clamped[k] = c;
      }
    }
    rates[k] = r;
    total += r;
  }
  return total;
}

std::vector<double> Engine::hop_rates(SiteIndex s) const {
  std::vector<double> rates(net_.templates_from(cell_.basis_of(s)).size());
  std::vector<char> clamped(rates.size());
  site_rates(s, rates.data(), clamped.data());
  return rates;
}

std::optional<Event> Engine::select() {
  const double total = tree_.total();
  if (!(total > 0.0)) return std::nullopt;
  const SiteIndex s = static_cast<SiteIndex>(tree_.select(rng_.uniform() * total));
  double rates[kMaxDegree];
  char clamped[kMaxDegree];
  const int degree = static_cast<int>(net_.templates_from(cell_.basis_of(s)).size());
  const double site_total = site_rates(s, rates, clamped);
  double target = rng_.uniform() * site_total;
  int k = -1;
  for (int i = 0; i < degree; ++i) {
    if (rates[i] <= 0.0) continue;
    k = i;
    if (target < rates[i]) break;
    target -= rates[i];
  }
  const int h = net_.templates_from(cell_.basis_of(s))[k];
  const auto& t = net_.templates()[h];
  Event e;
  e.from = s;
  e.to = cell_.neighbor(cell_.address(s), t.to_basis, t.cell_offset);
  e.hop_template = h;
  e.clamped = clamped[k] != 0;
  e.dt_s = -std::log(rng_.uniform_open0()) / total;
  return e;
}

void Engine::collect_affected(SiteIndex s, std::vector<SiteIndex>& out) const {
  // s itself and every site with a hop into s (hops are reversible: the targets of s's hops).
  out.push_back(s);
  const lattice::SiteAddress a = cell_.address(s);
  for (int h : net_.templates_from(a.basis)) {
    const auto& t = net_.templates()[h];
    out.push_back(cell_.neighbor(a, t.to_basis, t.cell_offset));
  }
}

void Engine::apply(const Event& e) {
  const int ion = ion_at_[e.from];
  const int species = occ_[e.from] - 1;
  occ_[e.to] = occ_[e.from];
  occ_[e.from] = kVacant;
  ion_at_[e.to] = ion;
  ion_at_[e.from] = -1;
  ion_site_[ion] = e.to;
  const Eigen::Vector3d& v = net_.templates()[e.hop_template].vector_A;
  disp_[3 * ion] += v[0];
  disp_[3 * ion + 1] += v[1];
  disp_[3 * ion + 2] += v[2];
  ++class_events_[tmpl_class_[e.hop_template]];
  clamped_events_ += e.clamped;
  time_s_ += e.dt_s;
  ++events_;

  scratch_.clear();
  collect_affected(e.from, scratch_);
  collect_affected(e.to, scratch_);
  if (n_shells_ > 0) {
    update_counts(e.from, species, -1);
    update_counts(e.to, species, +1);
    // Every site whose interaction energy changed, and the sites hopping into them.
    for (SiteIndex centre : {e.from, e.to}) {
      const lattice::SiteAddress a = cell_.address(centre);
      for (const auto& nb : model_->shells->neighbors_of(a.basis))
        if (nb.shell <= n_shells_) collect_affected(cell_.neighbor(a, nb.to_basis, nb.cell_offset), scratch_);
    }
  }
  std::sort(scratch_.begin(), scratch_.end());
  scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
  double rates[kMaxDegree];
  char clamped[kMaxDegree];
  for (SiteIndex s : scratch_) {
    const double r = occ_[s] == kVacant ? 0.0 : site_rates(s, rates, clamped);
    if (r != tree_.rate(s)) tree_.set(s, r);
  }
  tree_.flush();
}

RunStop Engine::run(const RunLimits& limits, double interval, std::span<Observer* const> observers) {
  const bool sampling = interval > 0 && !observers.empty();
  // Sample k (k = 0, 1, …) is taken at k·interval after the last reset.
  double next_sample = sampling ? std::ceil(time_s_ / interval) * interval : 0.0;
  auto sample_until = [&](double t_end, bool inclusive) {
    if (!sampling) return;
    while (inclusive ? next_sample <= t_end : next_sample < t_end) {
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
    apply(*e);
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
    if (occ_[s] == kVacant) continue;
    const int g = occ_[s] - 1;
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
      if (occ_[s] == kVacant) continue;
      const int g = occ_[s] - 1;
      for (std::size_t k = 0; k < stride; ++k) pairs += pair_eV_[g * stride + k] * counts_[s * stride + k];
    }
    e += 0.5 * pairs;
  }
  return e;
}

double Engine::bytes_per_site() const {
  const double n = static_cast<double>(cell_.n_sites());
  const double bytes = occ_.size() + ion_at_.size() * sizeof(std::int32_t) +
                       ion_site_.size() * (sizeof(SiteIndex) + 1) + disp_.size() * sizeof(double) +
                       (site_shift_eV_.size() + barrier_shift_eV_.size()) * sizeof(double) +
                       counts_.size() + tree_.bytes();
  return bytes / n;
}

}  // namespace ionhop::kmc
