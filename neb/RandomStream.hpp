#pragma once
/// Deterministic random numbers for the atomistic side (Langevin thermostat, training-set
/// perturbations): lattice::Xoshiro256 seeded from (seed, stream id), with a Box–Muller normal
/// that uses both deviates of a pair.
#include <cmath>
#include <cstdint>
#include <numbers>

#include "lattice/Xoshiro256.hpp"

namespace ionhop::neb {

class RandomStream : public lattice::Xoshiro256 {
 public:
  /// Independent stream `stream` of the generator seeded by `seed`: different (seed, stream)
  /// pairs give statistically independent sequences.
  RandomStream(std::uint64_t seed, std::uint64_t stream) : Xoshiro256(mix(seed, stream)) {}

  using Xoshiro256::uniform;
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Standard normal deviate: Box–Muller, both deviates of a pair used in turn.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform_open0();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double phi = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(phi);
    has_spare_ = true;
    return r * std::cos(phi);
  }

 private:
  static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t a = seed;
    std::uint64_t b = stream ^ 0x6a09e667f3bcc909ULL;  // keeps (s, 0) and (0, s) apart
    const std::uint64_t sa = lattice::splitmix64(a);
    const std::uint64_t sb = lattice::splitmix64(b);
    return sa ^ ((sb << 32) | (sb >> 32));
  }

  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace ionhop::neb
