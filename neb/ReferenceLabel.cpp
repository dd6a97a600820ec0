#include "neb/ReferenceLabel.hpp"

#include <cmath>
#include <exception>
#include <stdexcept>

namespace ionhop::neb {

lattice::XyzFrame label_with_reference(const lattice::Structure& s, const Potential& reference,
                                       const std::string& config_type) {
  const bool periodic = s.pbc[0] && s.pbc[1] && s.pbc[2];
  const bool stress = periodic && reference.capabilities().virial;
  PotentialResult r = reference.compute(s, {.forces = true, .virial = stress});
  if (!std::isfinite(r.energy_eV) || !r.forces.allFinite())
    throw std::runtime_error("reference potential '" + reference.name() + "' gave a non-finite energy or force");
  lattice::XyzFrame frame;
  frame.structure = s;
  frame.energy_eV = r.energy_eV;
  frame.forces_eV_per_A = std::move(r.forces);
  if (stress && r.virial_eV) {
    if (!r.virial_eV->allFinite()) throw std::runtime_error("reference potential '" + reference.name() + "' gave a non-finite virial");
    frame.stress_eV_per_A3 = -*r.virial_eV / s.volume_A3();
  }
  frame.set_config_type(config_type);
  return frame;
}

std::vector<lattice::XyzFrame> label_all_with_reference(const std::vector<lattice::Structure>& structures,
                                                        const Potential& reference, const std::string& config_type) {
  std::vector<lattice::XyzFrame> frames(structures.size());
  const auto n = static_cast<long long>(structures.size());
  std::vector<std::exception_ptr> failures(structures.size());
  // Each frame is independent; the failure of the lowest-numbered frame is rethrown after the
  // loop, so which error is reported does not depend on the threads.
#pragma omp parallel for schedule(dynamic) if (reference.capabilities().thread_safe && n > 1)
  for (long long i = 0; i < n; ++i) {
    const auto k = static_cast<std::size_t>(i);
    try {
      frames[k] = label_with_reference(structures[k], reference, config_type);
    } catch (...) {
      failures[k] = std::current_exception();
    }
  }
  for (const auto& failure : failures)
    if (failure) std::rethrow_exception(failure);
  return frames;
}

}  // namespace ionhop::neb
