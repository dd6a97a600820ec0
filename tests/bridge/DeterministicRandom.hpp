#pragma once
// Deterministic random numbers for the bridge tests, identical on every standard library:
// splitmix64 (Steele, Lea & Flood, OOPSLA 2014) and the Box–Muller transform.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace ionhop::bridge::testing {

class DeterministicRandom {
 public:
  explicit DeterministicRandom(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_bits() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  /// Uniform in (0, 1]: the top 53 bits plus one, so log() never sees 0.
  double uniform_open0() { return (static_cast<double>(next_bits() >> 11) + 1.0) * 0x1.0p-53; }

  /// Standard normal deviate (Box–Muller; the second deviate of each pair is kept for the next call).
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double radius = std::sqrt(-2.0 * std::log(uniform_open0()));
    const double angle = 2.0 * std::numbers::pi * uniform_open0();
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::uint64_t state_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace ionhop::bridge::testing
