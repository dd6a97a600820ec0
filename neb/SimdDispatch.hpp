#pragma once
/// Run-time choice between a baseline x86-64 (SSE2) kernel and an AVX2 + FMA variant compiled
/// with `__attribute__((target("avx2,fma")))`: the build targets baseline x86-64 (no -march), so
/// the wider kernels are only called when the CPU reports both extensions. On other
/// architectures the baseline kernels are always used. Setting the environment variable
/// IONHOP_BASELINE_SIMD (to anything) forces the baseline kernels, to test them on an AVX2 machine.
#include <cstdlib>

namespace ionhop::neb {

/// True if the AVX2 + FMA kernels are to be used (evaluated once per process).
inline bool cpu_has_avx2_fma() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool supported =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && std::getenv("IONHOP_BASELINE_SIMD") == nullptr;
  return supported;
#else
  return false;
#endif
}

}  // namespace ionhop::neb
