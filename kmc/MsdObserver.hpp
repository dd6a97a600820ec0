#pragma once
/// Mean-squared displacements over many time origins, in bounded memory: a ring buffer keeps
/// the last max_lag samples of every ion's unwrapped position, and each new sample adds
/// |r(t) − r(t − kΔt)|² for k = 1…max_lag, so every sample is a time origin.
#include <vector>

#include "kmc/Engine.hpp"

namespace ionhop::kmc {

struct MsdCurves {
  /// Per mobile species (model order), per lag k−1: ⟨|Δr_i|²⟩ over ions and origins [Å²].
  std::vector<std::vector<double>> tracer_A2;
  /// Per mobile species, per lag: ⟨|Σ_i Δr_i|²⟩ over origins [Å²].
  std::vector<std::vector<double>> collective_A2;
  /// Per lag: ⟨|Σ_i z_i Δr_i|²⟩ over all mobile ions, over origins [e²Å²].
  std::vector<double> charge_e2A2;
  /// Number of time origins that contributed to each lag.
  std::vector<long long> origins;
};

class MsdObserver final : public Observer {
 public:
  MsdObserver(const Engine& engine, int max_lag);
  void sample(const Engine& engine, double time_s) override;
  MsdCurves curves() const;
  long long samples() const { return samples_; }

 private:
  int max_lag_;
  int n_ions_;
  int n_mobile_;
  std::vector<int> ion_species_;
  std::vector<int> species_charge_;
  std::vector<long long> species_count_;
  // Ring buffer of (max_lag + 1) slots; slot n % (L + 1) holds sample n.
  std::vector<double> ring_pos_;        // [slot][ion][3]
  std::vector<double> ring_collective_; // [slot][species][3]
  std::vector<double> ring_charge_;     // [slot][3]
  std::vector<double> acc_tracer_, acc_collective_, acc_charge_;
  std::vector<long long> origins_;
  long long samples_ = 0;
};

/// Mean occupation of each site type by mobile ions, averaged over samples.
class OccupancyObserver final : public Observer {
 public:
  explicit OccupancyObserver(const Engine& engine);
  void sample(const Engine& engine, double time_s) override;
  /// Fraction of the sites of each type occupied by a mobile ion, averaged over samples.
  std::vector<double> mean_fraction() const;
  long long samples() const { return samples_; }

 private:
  std::vector<long long> sites_of_type_;
  std::vector<double> acc_;
  long long samples_ = 0;
};

}  // namespace ionhop::kmc
