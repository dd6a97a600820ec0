#pragma once
/// The temperature-independent barrier criterion for fast hops: which hop templates are fast,
/// from a gap in the barriers of the lattice's bonds. Shared by superbasin detection
/// (kmc/BasinCatalog) and rate scaling (kmc/RateScaling).
#include <vector>

#include "kmc/Model.hpp"

namespace ionhop::kmc {

struct FastHops {
  /// Per template: max(E_a→, E_a←) from E_KRA and the site-type energies (no interactions, no
  /// disorder) [eV].
  std::vector<double> bond_barrier_eV;
  /// Per template: 1 if fast. A hop and its reverse are alike.
  std::vector<char> fast;
  /// The largest fast bond barrier, or −1 if there is no gap (nothing fast) [eV].
  double threshold_eV = -1.0;
};

/// Sorts the distinct bond barriers and takes as fast those below the lowest gap between
/// consecutive values that is at least gap_eV wide.
FastHops find_fast_hops(const Model& model, double gap_eV);

}  // namespace ionhop::kmc
