#pragma once
/// Random numbers for KMC: lattice::Xoshiro256 seeded from (seed, stream id), so each replica
/// and temperature has its own stream and a seed fixes every result.
#include <cmath>
#include <cstdint>

#include "lattice/Xoshiro256.hpp"

namespace ionhop::kmc {

using lattice::splitmix64;

class Rng : public lattice::Xoshiro256 {
 public:
  /// Independent stream `stream` of the generator seeded by `seed`.
  Rng(std::uint64_t seed, std::uint64_t stream) : Xoshiro256(mix(seed, stream)) {}

  /// Standard normal deviate (Box–Muller; the second deviate is discarded for simplicity).
  double normal() {
    const double u1 = uniform_open0();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t sm = seed;
    return splitmix64(sm) ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
  }
};

}  // namespace ionhop::kmc
