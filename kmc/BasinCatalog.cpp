#include "kmc/BasinCatalog.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <set>

#include "kmc/FastHops.hpp"

namespace ionhop::kmc {

using lattice::SiteIndex;

BasinCatalog::BasinCatalog(const Model& model, const SuperbasinOptions& options)
    : model_(model), options_(options), basin_of_(model.supercell->n_sites(), -1) {
  if (options_.detection != BasinDetection::kCounting) detect_by_barrier();
}

int BasinCatalog::local_index(int id, SiteIndex s) const {
  const auto& sites = basins_[id].sites;
  for (std::size_t i = 0; i < sites.size(); ++i)
    if (sites[i] == s) return static_cast<int>(i);
  return -1;
}

void BasinCatalog::detect_by_barrier() {
  const auto& cell = *model_.supercell;
  const auto& net = *model_.network;
  const auto& tmpls = net.templates();
  fast_template_ = find_fast_hops(model_, options_.barrier_gap_eV).fast;
  if (std::none_of(fast_template_.begin(), fast_template_.end(), [](char f) { return f != 0; })) return;

  // Connected components of the fast hops, each walked breadth-first with unwrapped offsets;
  // a component that meets itself at another offset wraps around the supercell (a fast path
  // through the crystal): not a basin.
  std::vector<char> seen(cell.n_sites(), 0);
  for (SiteIndex s0 = 0; s0 < cell.n_sites(); ++s0) {
    if (seen[s0]) continue;
    bool any_fast = false;
    for (int h : net.templates_from(cell.basis_of(s0))) any_fast |= fast_template_[h] != 0;
    if (!any_fast) continue;
    Basin b;
    bool wraps = false;
    std::deque<std::size_t> queue{0};
    b.sites.push_back(s0);
    b.offset_A.push_back(Eigen::Vector3d::Zero());
    seen[s0] = 1;
    while (!queue.empty()) {
      const std::size_t i = queue.front();
      queue.pop_front();
      const lattice::SiteAddress a = cell.address(b.sites[i]);
      for (int h : net.templates_from(a.basis)) {
        if (!fast_template_[h]) continue;
        const SiteIndex t = cell.neighbor(a, tmpls[h].to_basis, tmpls[h].cell_offset);
        const Eigen::Vector3d off = b.offset_A[i] + tmpls[h].vector_A;
        const auto it = std::find(b.sites.begin(), b.sites.end(), t);
        if (it != b.sites.end()) {
          wraps |= (b.offset_A[it - b.sites.begin()] - off).norm() > 1e-6;
          continue;
        }
        b.sites.push_back(t);
        b.offset_A.push_back(off);
        seen[t] = 1;
        queue.push_back(b.sites.size() - 1);
      }
    }
    if (wraps || static_cast<int>(b.sites.size()) > options_.max_basin_sites || b.sites.size() < 2) continue;
    const int id = static_cast<int>(basins_.size());
    for (SiteIndex s : b.sites) basin_of_[s] = id;
    compute_reach(b);
    assign_shape(b);
    basins_.push_back(std::move(b));
    ++by_barrier_;
  }
}

void BasinCatalog::assign_shape(Basin& b) {
  // Relative cell of each site: the unwrapped offset from site 0 in fractional coordinates of
  // the primitive cell, less the basis sites' own fractional positions.
  const auto& cell = *model_.supercell;
  const auto& crystal = cell.crystal();
  const Eigen::Matrix3d to_frac = crystal.cell.inverse();
  const int b0 = cell.basis_of(b.sites[0]);
  std::vector<std::int64_t> sig;
  for (std::size_t i = 0; i < b.sites.size(); ++i) {
    const int bi = cell.basis_of(b.sites[i]);
    const Eigen::Vector3d f = to_frac * b.offset_A[i] + crystal.basis[b0].fractional - crystal.basis[bi].fractional;
    sig.push_back(bi);
    for (int k = 0; k < 3; ++k) sig.push_back(std::llround(f[k]));
  }
  b.shape = shapes_.emplace(sig, static_cast<int>(shapes_.size())).first->second;
}

void BasinCatalog::compute_reach(Basin& b) const {
  // While the basin's ions are off the lattice, another ion at x must neither change a rate of
  // the basin's chain nor have a rate of its own that depends on where the basin's ions are:
  // - the chain's in-basin rates depend on the energies at basin sites: x ∉ shells(B);
  // - its exit rates depend on the occupancy of the exit targets T and the energies there:
  //   x ∉ T ∪ shells(T);
  // - x's own rates depend on its target's occupancy and the energies at x and the target:
  //   x ∉ S and x hops into no site of S, with S = B ∪ shells(B).
  // A hop into T itself depends on nothing in the basin (T stays vacant while the basin is
  // active), but once an ion lands in T the basin is dissolved (T is in the reach).
  const auto& cell = *model_.supercell;
  const auto& net = *model_.network;
  const int max_shell = model_.max_shell();
  auto hop_targets = [&](SiteIndex s, auto&& f) {
    const lattice::SiteAddress a = cell.address(s);
    for (int h : net.templates_from(a.basis))
      f(cell.neighbor(a, net.templates()[h].to_basis, net.templates()[h].cell_offset));
  };
  auto shell_neighbors = [&](SiteIndex s, auto&& f) {
    if (max_shell == 0) return;
    const lattice::SiteAddress a = cell.address(s);
    for (const auto& n : model_.shells->neighbors_of(a.basis))
      if (n.shell <= max_shell) f(cell.neighbor(a, n.to_basis, n.cell_offset));
  };
  const std::set<SiteIndex> core(b.sites.begin(), b.sites.end());
  std::set<SiteIndex> exits;
  for (SiteIndex s : b.sites)
    hop_targets(s, [&](SiteIndex t) {
      if (!core.count(t)) exits.insert(t);
    });
  std::set<SiteIndex> s_set(core);
  for (SiteIndex s : b.sites) shell_neighbors(s, [&](SiteIndex t) { s_set.insert(t); });
  std::set<SiteIndex> reach(s_set);
  // Hops are reversible, so the sites that hop into S are the hop targets of S.
  for (SiteIndex s : s_set) hop_targets(s, [&](SiteIndex t) { reach.insert(t); });
  for (SiteIndex t : exits) {
    reach.insert(t);
    shell_neighbors(t, [&](SiteIndex u) { reach.insert(u); });
  }
  b.reach.assign(reach.begin(), reach.end());
}

std::vector<int> BasinCatalog::record_hop(SiteIndex from, SiteIndex to, const Eigen::Vector3d& vector_A) {
  if (options_.detection == BasinDetection::kBarrier) return {};
  const SiteIndex lo = std::min(from, to), hi = std::max(from, to);
  if (static_cast<int>(counts_.size()) >= options_.count_window_pairs) counts_.clear();
  PairCount& c = counts_[(static_cast<std::uint64_t>(lo) << 32) | static_cast<std::uint32_t>(hi)];
  if (c.done) return {};
  (from == lo ? c.up : c.down) += 1;
  if (c.up < options_.transition_count || c.down < options_.transition_count) return {};
  c.done = true;
  return join(from, to, vector_A);
}

std::vector<int> BasinCatalog::join(SiteIndex a, SiteIndex b, const Eigen::Vector3d& vector_A) {
  const int ia = basin_of_[a], ib = basin_of_[b];
  const int max_sites = options_.max_basin_sites;
  if (ia >= 0 && ia == ib) return {};  // already together
  if (ia < 0 && ib < 0) {
    if (max_sites < 2) return {};
    Basin nb;
    nb.sites = {a, b};
    nb.offset_A = {Eigen::Vector3d::Zero(), vector_A};
    const int id = static_cast<int>(basins_.size());
    basin_of_[a] = basin_of_[b] = id;
    compute_reach(nb);
    assign_shape(nb);
    basins_.push_back(std::move(nb));
    ++by_counting_;
    return {};
  }
  if (ia >= 0 && ib >= 0) {
    Basin& A = basins_[ia];
    Basin& B = basins_[ib];
    if (static_cast<int>(A.sites.size() + B.sites.size()) > max_sites) return {};
    // b sits at offset(a) + vector in A's frame.
    const Eigen::Vector3d shift = A.offset_A[local_index(ia, a)] + vector_A - B.offset_A[local_index(ib, b)];
    for (std::size_t i = 0; i < B.sites.size(); ++i) {
      A.sites.push_back(B.sites[i]);
      A.offset_A.push_back(B.offset_A[i] + shift);
      basin_of_[B.sites[i]] = ia;
    }
    B.sites.clear();
    B.offset_A.clear();
    B.reach.clear();
    B.alive = false;
    ++A.version;
    compute_reach(A);
    assign_shape(A);
    ++by_counting_;
    return {ia, ib};
  }
  // One end in a basin: the other joins it.
  const int id = ia >= 0 ? ia : ib;
  const SiteIndex inside = ia >= 0 ? a : b, outside = ia >= 0 ? b : a;
  const Eigen::Vector3d step = ia >= 0 ? vector_A : Eigen::Vector3d(-vector_A);
  Basin& B = basins_[id];
  if (static_cast<int>(B.sites.size()) >= max_sites) return {};
  B.offset_A.push_back(B.offset_A[local_index(id, inside)] + step);
  B.sites.push_back(outside);
  basin_of_[outside] = id;
  ++B.version;
  compute_reach(B);
  assign_shape(B);
  ++by_counting_;
  return {id};
}

}  // namespace ionhop::kmc
