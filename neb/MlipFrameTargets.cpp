#include "neb/MlipFrameTargets.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace ionhop::neb {

namespace {

std::vector<double> numbers(const std::string& text, const std::string& what) {
  std::vector<double> out;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    double v = 0.0;
    const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (ec != std::errc() || ptr != token.data() + token.size() || !std::isfinite(v)) {
      throw std::invalid_argument(what + ": '" + token + "' is not a finite number");
    }
    out.push_back(v);
  }
  return out;
}

Eigen::Matrix3d matrix_of(const std::vector<double>& v, bool voigt_allowed, const std::string& what) {
  Eigen::Matrix3d m;
  if (v.size() == 9) {
    m << v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8];
  } else if (voigt_allowed && v.size() == 6) {
    m << v[0], v[5], v[4], v[5], v[1], v[3], v[4], v[3], v[2];
  } else {
    throw std::invalid_argument(what + ": expected 9" + std::string(voigt_allowed ? " or 6" : "") + " numbers, got " +
                                std::to_string(v.size()));
  }
  return m;
}

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
  if (const auto it = frame.info.find("weight"); it != frame.info.end()) {
    const std::vector<double> w = numbers(it->second, where + " weight");
    if (w.size() != 1 || w[0] < 0.0) throw std::invalid_argument(where + ": weight must be one number >= 0");
    t.weight = w[0];
  }
  if (const auto it = frame.info.find("config_type"); it != frame.info.end()) t.config_type = it->second;
  if (t.config_type.empty()) t.config_type = "default";
  if (const auto it = frame.info.find("stress"); it != frame.info.end()) {
    t.stress_eV_per_A3 = matrix_of(numbers(it->second, where + " stress"), true, where + " stress");
  } else if (const auto v = frame.info.find("virial"); v != frame.info.end()) {
    const double volume = frame.structure.volume_A3();
    t.stress_eV_per_A3 = -matrix_of(numbers(v->second, where + " virial"), false, where + " virial") / volume;
  }
  if (t.forces_eV_per_A && t.forces_eV_per_A->cols() != static_cast<Eigen::Index>(frame.structure.size())) {
    throw std::invalid_argument(where + ": forces do not match the atom count");
  }
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
    h.count(f.info.size());
    for (const auto& [key, value] : f.info) {
      h.text(key);
      h.text(value);
    }
  }
  return h.h;
}

}  // namespace ionhop::neb
