#pragma once
/// Deterministic random numbers for the atomistic side (Langevin thermostat, training-set
/// perturbations): xoshiro256** (Blackman & Vigna, ACM TOMS 47, 36 (2021)) seeded by SplitMix64
/// from (seed, stream id). neb/ may not depend on kmc/, which has its own generator; the
/// deviates are built here from raw bits, never with <random>'s distributions, which differ
/// between standard libraries — a seed therefore fixes every number on every platform.
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

namespace ionhop::neb {

class RandomStream {
 public:
  /// Independent stream `stream` of the generator seeded by `seed`: different (seed, stream)
  /// pairs give statistically independent sequences.
  RandomStream(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t a = seed;
    std::uint64_t b = stream ^ 0x6a09e667f3bcc909ULL;  // keeps (s, 0) and (0, s) apart
    std::uint64_t mixed = splitmix64(a) ^ rotl(splitmix64(b), 32);
    for (auto& w : s_) w = splitmix64(mixed);
  }

  /// 64 random bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in [lo, hi).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [0, n), n ≥ 1, unbiased (Lemire, ACM TOMACS 29, 3 (2019)).
  std::uint64_t below(std::uint64_t n) {
    __uint128_t m = static_cast<__uint128_t>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<__uint128_t>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  /// Standard normal deviate: Box–Muller, both deviates of a pair used in turn.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = static_cast<double>((next() >> 11) + 1) * 0x1.0p-53;  // (0, 1]: never ln 0
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double phi = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(phi);
    has_spare_ = true;
    return r * std::cos(phi);
  }

 private:
  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<std::uint64_t, 4> s_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace ionhop::neb
