#include "neb/MlipFrameTargets.hpp"

#include <cmath>
#include <stdexcept>

namespace ionhop::neb {

namespace {

struct Fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t k = 0; k < n; ++k) {
      h ^= p[k];
      h *= 1099511628211ull;
    }
  }
  void number(double v) { bytes(&v, sizeof v); }
  void count(std::uint64_t v) { bytes(&v, sizeof v); }
  void text(const std::string& s) {
    count(s.size());
    bytes(s.data(), s.size());
  }
};

}  // namespace

MlipFrameTargets frame_targets(const lattice::XyzFrame& frame, std::size_t index) {
  MlipFrameTargets t;
  const std::string where = "frame " + std::to_string(index);
  t.energy_eV = frame.energy_eV;
  t.forces_eV_per_A = frame.forces_eV_per_A;
  t.stress_eV_per_A3 = frame.stress_eV_per_A3;
  if (!(frame.weight >= 0.0) || !std::isfinite(frame.weight)) throw std::invalid_argument(where + ": weight must be a finite number >= 0");
  t.weight = frame.weight;
  t.config_type = frame.config_type();
  if (t.config_type.empty()) t.config_type = "default";
  if (t.forces_eV_per_A && t.forces_eV_per_A->cols() != static_cast<Eigen::Index>(frame.structure.size())) {
    throw std::invalid_argument(where + ": forces do not match the atom count");
  }
  if (t.energy_eV && !std::isfinite(*t.energy_eV)) throw std::invalid_argument(where + ": the energy is not finite");
  return t;
}

std::uint64_t training_set_hash(const std::vector<lattice::XyzFrame>& frames) {
  Fnv1a h;
  h.count(frames.size());
  for (const lattice::XyzFrame& f : frames) {
    const lattice::Structure& s = f.structure;
    h.count(s.size());
    for (int k = 0; k < 9; ++k) h.number(s.cell.data()[k]);
    for (bool p : s.pbc) h.count(p ? 1 : 0);
    for (const std::string& sp : s.species) h.text(sp);
    for (Eigen::Index k = 0; k < s.positions.size(); ++k) h.number(s.positions.data()[k]);
    h.count(f.energy_eV ? 1 : 0);
    if (f.energy_eV) h.number(*f.energy_eV);
    h.count(f.forces_eV_per_A ? 1 : 0);
    if (f.forces_eV_per_A)
      for (Eigen::Index k = 0; k < f.forces_eV_per_A->size(); ++k) h.number(f.forces_eV_per_A->data()[k]);
    h.count(f.stress_eV_per_A3 ? 1 : 0);
    if (f.stress_eV_per_A3)
      for (int k = 0; k < 9; ++k) h.number(f.stress_eV_per_A3->data()[k]);
    h.number(f.weight);
    h.count(f.info.size());
    for (const auto& [key, value] : f.info) {
      h.text(key);
      h.text(value);
    }
  }
  return h.h;
}

}  // namespace ionhop::neb
