#pragma once
/// Plain input data for transport estimation: mean-squared displacements per lag, accumulated
/// by a KMC run over many time origins. The bridge module does not know the KMC engine; the app
/// copies engine output into these structs.
#include <string>
#include <vector>

namespace ionhop::bridge {

/// MSD curves of one mobile species in one replica. Both curves have one entry per lag
/// τ_k = lag_s[k − 1], k = 1..L, computed from unwrapped displacements Δr_i(τ).
struct SpeciesMsd {
  std::string name;                    ///< species label, e.g. "Li"
  int charge = 1;                      ///< z [e]
  long long count = 0;                 ///< N, number of ions of this species in the cell
  std::vector<double> tracer_A2;       ///< ⟨|Δr_i(τ)|²⟩ over ions and time origins [Å²], size L
  std::vector<double> collective_A2;   ///< ⟨|Σ_i Δr_i(τ)|²⟩ over time origins [Å²], size L
};

/// All MSD curves of one independent replica (own random stream, own initial configuration).
struct ReplicaMsd {
  std::vector<SpeciesMsd> species;     ///< same species, order, charges and counts in every replica
  /// ⟨|Σ_i z_i Δr_i(τ)|²⟩ over all mobile ions of all species and time origins [e²Å²], size L.
  /// Contains the cross-species correlations that the per-species curves miss.
  std::vector<double> charge_e2A2;
};

/// Every replica at one temperature.
struct TemperatureMsd {
  double temperature_K = 0.0;
  double volume_A3 = 0.0;              ///< simulation-cell volume V [Å³]
  int dimension = 3;                   ///< d, dimensionality of the hop network (1, 2 or 3)
  std::vector<double> lag_s;           ///< τ_k [s], k = 1..L, strictly increasing, same for all replicas
  std::vector<ReplicaMsd> replicas;
};

}  // namespace ionhop::bridge
