#pragma once
/// Random numbers for KMC: xoshiro256** (Blackman & Vigna 2018) seeded by SplitMix64 from
/// (seed, stream id). Distributions are written here, not taken from <random>, whose
/// distributions differ between standard libraries; a seed therefore fixes every result.
#include <array>
#include <cmath>
#include <cstdint>

namespace ionhop::kmc {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  /// Independent stream `stream` of the generator seeded by `seed`.
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t sm = seed;
    const std::uint64_t mixed = splitmix64(sm) ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
    std::uint64_t st = mixed;
    for (auto& w : s_) w = splitmix64(st);
  }

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
  /// Uniform in (0, 1], built from raw bits: safe for −ln(u) (never ln 0).
  double uniform_open0() { return static_cast<double>((next() >> 11) + 1) * 0x1.0p-53; }
  /// Uniform integer in [0, n), unbiased (Lemire 2019, multiply-shift with rejection).
  std::uint64_t below(std::uint64_t n) {
    std::uint64_t x = next();
    __uint128_t m = static_cast<__uint128_t>(x) * n;
    std::uint64_t low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        x = next();
        m = static_cast<__uint128_t>(x) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  /// Standard normal deviate (Box–Muller; the second deviate is discarded for simplicity).
  double normal() {
    const double u1 = uniform_open0();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

  std::array<std::uint64_t, 4> state() const { return s_; }
  void set_state(const std::array<std::uint64_t, 4>& s) { s_ = s; }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> s_{};
};

}  // namespace ionhop::kmc
