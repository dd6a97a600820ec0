#pragma once
/// xoshiro256** (Blackman & Vigna, ACM TOMS 47, 36 (2021)) and SplitMix64, the one generator
/// behind every random number of ionhop (kmc/Rng for KMC, neb/RandomStream for the atomistic
/// side; each seeds it its own way). Here because lattice/ is the module both depend on.
/// Deviates are built from raw bits, never with <random>'s distributions, which differ between
/// standard libraries: a seed fixes every number on every platform.
#include <array>
#include <cstdint>

namespace ionhop::lattice {

/// SplitMix64 (Steele, Lea & Flood 2014): advances `state` and returns the next output.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Xoshiro256 {
 public:
  /// State filled by SplitMix64 from `mixed_seed`.
  explicit Xoshiro256(std::uint64_t mixed_seed) {
    for (auto& w : s_) w = splitmix64(mixed_seed);
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
  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform in (0, 1], safe for −ln(u) (never ln 0).
  double uniform_open0() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
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

  std::array<std::uint64_t, 4> state() const { return s_; }
  void set_state(const std::array<std::uint64_t, 4>& s) { s_ = s; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace ionhop::lattice
