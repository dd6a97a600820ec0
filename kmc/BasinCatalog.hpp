#pragma once
/// The superbasins of one replica: small sets of sites that ions rattle in, joined by fast
/// hops. Found up front by a temperature-independent barrier criterion and grown on the fly by
/// transition counting (a site pair hopped over N times in each direction). See
/// docs/superbasin.md.
#include <Eigen/Core>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include "kmc/Model.hpp"
#include "kmc/SuperbasinOptions.hpp"

namespace ionhop::kmc {

class BasinCatalog {
 public:
  struct Basin {
    std::vector<lattice::SiteIndex> sites;
    /// Unwrapped position of each site relative to sites[0] [Å], aligned with `sites`.
    std::vector<Eigen::Vector3d> offset_A;
    /// Sorted: every site at which another ion could change a rate of the basin's chain or
    /// have its own rates changed by where the basin's ions are (see compute_reach()).
    std::vector<lattice::SiteIndex> reach;
    int version = 0;   ///< bumped whenever the basin grows
    /// Shape id: basins with equal ids are translates of each other with their sites in the
    /// same order (equal basis sites and relative cell offsets).
    int shape = -1;
    bool alive = true; ///< false once merged into another basin
  };

  /// Runs the barrier criterion if `options.detection` asks for it.
  BasinCatalog(const Model& model, const SuperbasinOptions& options);

  /// Id of the basin holding site s, or −1.
  int basin_of(lattice::SiteIndex s) const { return basin_of_[s]; }
  const Basin& basin(int id) const { return basins_[id]; }
  /// Position of s among basin(id).sites, or −1.
  int local_index(int id, lattice::SiteIndex s) const;
  int size() const { return static_cast<int>(basins_.size()); }
  long long found_by_barrier() const { return by_barrier_; }
  long long found_by_counting() const { return by_counting_; }
  /// The hop templates the barrier criterion found fast (empty without it).
  const std::vector<char>& fast_templates() const { return fast_template_; }

  /// Counts a hop from → to along `vector_A` (counting criterion). Returns the ids of basins
  /// that changed (grew, or were merged away), so that their active instances can be
  /// dissolved first; empty if none did.
  std::vector<int> record_hop(lattice::SiteIndex from, lattice::SiteIndex to, const Eigen::Vector3d& vector_A);

 private:
  void detect_by_barrier();
  void compute_reach(Basin& b) const;
  /// Sets b.shape from its sites' basis indices and relative cells.
  void assign_shape(Basin& b);
  /// Joins the pair (a, b), b at vector_A from a; returns the basins changed.
  std::vector<int> join(lattice::SiteIndex a, lattice::SiteIndex b, const Eigen::Vector3d& vector_A);

  const Model& model_;
  SuperbasinOptions options_;
  std::vector<std::int32_t> basin_of_;
  std::vector<Basin> basins_;
  std::vector<char> fast_template_;
  struct PairCount {
    int up = 0;    // hops from the smaller site index to the larger
    int down = 0;
    bool done = false;
  };
  std::unordered_map<std::uint64_t, PairCount> counts_;
  std::map<std::vector<std::int64_t>, int> shapes_;
  long long by_barrier_ = 0;
  long long by_counting_ = 0;
};

}  // namespace ionhop::kmc
