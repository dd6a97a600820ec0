#include "lattice/HopNetwork.hpp"

#include <Eigen/LU>
#include <algorithm>
#include <map>
#include <numeric>
#include <tuple>

#include "lattice/LatticeError.hpp"
#include "lattice/SitePairs.hpp"

namespace ionhop::lattice {
namespace {

using TemplateKey = std::tuple<int, int, int, int, int>;
TemplateKey key_of(int from, int to, const Eigen::Vector3i& n) { return {from, to, n[0], n[1], n[2]}; }

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int find(int x) { return parent[x] == x ? x : parent[x] = find(parent[x]); }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
};

// Rank of the translations (cycle vectors) a component's hops can accumulate.
int network_dimension(const HopGraph& g, int n_vertices) {
  std::vector<int> seen(n_vertices, 0);
  std::vector<Eigen::Vector3i> pos(n_vertices, Eigen::Vector3i::Zero());
  int best = 0;
  for (int root = 0; root < n_vertices; ++root) {
    if (seen[root]) continue;
    std::vector<Eigen::Vector3d> cycles;
    std::vector<int> queue{root};
    seen[root] = 1;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const int u = queue[q];
      for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
        const int v = static_cast<int>(boost::target(*e, g));
        const Eigen::Vector3i reached = pos[u] + g[*e].cell_offset;
        if (!seen[v]) {
          seen[v] = 1;
          pos[v] = reached;
          queue.push_back(v);
        } else if (reached != pos[v]) {
          cycles.push_back((reached - pos[v]).cast<double>());
        }
      }
    }
    if (cycles.empty()) continue;
    Eigen::MatrixXd m(3, cycles.size());
    for (std::size_t i = 0; i < cycles.size(); ++i) m.col(i) = cycles[i];
    best = std::max(best, static_cast<int>(Eigen::FullPivLU<Eigen::MatrixXd>(m).rank()));
  }
  return best;
}

}  // namespace

HopNetwork::HopNetwork(const Crystal& crystal, const std::vector<HopRule>& rules,
                       const std::vector<SymmetryOperation>& space_group) {
  const int nb = static_cast<int>(crystal.basis.size());
  const int ntypes = static_cast<int>(crystal.type_names.size());
  double cell_scale = 0.0;
  for (int k = 0; k < 3; ++k) cell_scale = std::max(cell_scale, crystal.cell.col(k).norm());

  std::map<TemplateKey, int> index;
  auto add = [&](const SitePair& p, int rule) {
    const TemplateKey k = key_of(p.from_basis, p.to_basis, p.cell_offset);
    if (index.count(k)) return;
    index[k] = static_cast<int>(templates_.size());
    templates_.push_back({p.from_basis, p.to_basis, p.cell_offset, p.vector_A, rule, 0});
  };

  for (std::size_t r = 0; r < rules.size(); ++r) {
    const HopRule& rule = rules[r];
    if (rule.from_type < 0 || rule.from_type >= ntypes || rule.to_type < 0 || rule.to_type >= ntypes)
      throw LatticeError("hop rule " + std::to_string(r + 1) + " names a site type the lattice lacks");
    // Search far enough to see the requested shell between the two types.
    const double radius = rule.max_distance_A ? *rule.max_distance_A
                                              : cell_scale * (1.0 + 0.5 * rule.shell);
    const auto pairs = enumerate_site_pairs(crystal, radius);
    auto matches_types = [&](const SitePair& p, int a, int b) {
      return crystal.basis[p.from_basis].type == a && crystal.basis[p.to_basis].type == b;
    };
    double shell_distance = -1.0;
    if (!rule.max_distance_A) {
      std::vector<double> d;
      for (const auto& p : pairs)
        if (matches_types(p, rule.from_type, rule.to_type)) d.push_back(p.distance_A);
      const auto shells = distinct_distances(d, kShellTolerance_A);
      if (static_cast<int>(shells.size()) < rule.shell)
        throw LatticeError("hop rule " + std::to_string(r + 1) + ": no shell " +
                           std::to_string(rule.shell) + " between types '" +
                           crystal.type_names[rule.from_type] + "' and '" +
                           crystal.type_names[rule.to_type] + "'");
      shell_distance = shells[rule.shell - 1];
    }
    const std::size_t before = templates_.size();
    for (const auto& p : pairs) {
      const bool in_range = rule.max_distance_A
                                ? true
                                : std::abs(p.distance_A - shell_distance) <= kShellTolerance_A;
      if (!in_range) continue;
      if (matches_types(p, rule.from_type, rule.to_type) ||
          matches_types(p, rule.to_type, rule.from_type))
        add(p, static_cast<int>(r));
    }
    if (templates_.size() == before)
      throw LatticeError("hop rule " + std::to_string(r + 1) + " creates no new hop");
  }

  // Classes: union each template with its images under the space group and with its reverse.
  UnionFind uf(static_cast<int>(templates_.size()));
  for (std::size_t h = 0; h < templates_.size(); ++h) {
    const HopTemplate& t = templates_[h];
    const auto rev = index.find(key_of(t.to_basis, t.from_basis, -t.cell_offset));
    if (rev != index.end()) uf.unite(static_cast<int>(h), rev->second);
    const BasisSite& from = crystal.basis[t.from_basis];
    const BasisSite& to = crystal.basis[t.to_basis];
    for (const SymmetryOperation& op : space_group) {
      const SiteImage a = apply_to_site(crystal, op, from.fractional, from.type);
      const SiteImage b = apply_to_site(crystal, op, to.fractional + t.cell_offset.cast<double>(), to.type);
      if (a.basis < 0 || b.basis < 0) continue;
      const auto img = index.find(key_of(a.basis, b.basis, b.cell_shift - a.cell_shift));
      if (img != index.end()) uf.unite(static_cast<int>(h), img->second);
    }
  }
  std::map<int, int> class_of_root;
  for (std::size_t h = 0; h < templates_.size(); ++h) {
    const int root = uf.find(static_cast<int>(h));
    auto [it, inserted] = class_of_root.try_emplace(root, static_cast<int>(classes_.size()));
    if (inserted) {
      const HopTemplate& t = templates_[root];
      classes_.push_back({crystal.basis[t.from_basis].type, crystal.basis[t.to_basis].type,
                          t.vector_A.norm(), t.rule, 0});
    }
    templates_[h].hop_class = it->second;
    classes_[it->second].templates_per_cell += 1;
  }

  by_basis_.assign(nb, {});
  for (int b = 0; b < nb; ++b) boost::add_vertex(graph_);
  for (std::size_t h = 0; h < templates_.size(); ++h) {
    const HopTemplate& t = templates_[h];
    by_basis_[t.from_basis].push_back(static_cast<int>(h));
    boost::add_edge(t.from_basis, t.to_basis, HopEdge{t.cell_offset, t.hop_class}, graph_);
  }
  dimension_ = network_dimension(graph_, nb);
}

double HopNetwork::max_hop_distance_A() const {
  double m = 0.0;
  for (const auto& t : templates_) m = std::max(m, t.vector_A.norm());
  return m;
}

}  // namespace ionhop::lattice
