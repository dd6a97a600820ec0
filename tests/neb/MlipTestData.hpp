#pragma once
// Small labelled data sets for the MLIP tests, made in-process: Li₂O antifluorite supercells,
// randomly strained and displaced, labelled by the Pedone force field (inputs/potentials/pedone.toml).
#include <cmath>
#include <stdexcept>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "inputs/PotentialFileReader.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureGeometry.hpp"
#include "neb/PotentialRegistry.hpp"
#include "tests/support/Antifluorite.hpp"

namespace ionhop::neb::testing {

/// Uniform numbers in [lo, hi) from raw 64-bit draws (no std:: distributions: reproducible
/// across standard libraries).
class Uniform {
 public:
  explicit Uniform(std::uint64_t seed) : engine_(seed) {}
  double operator()(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
  }

 private:
  std::mt19937_64 engine_;
};

inline PotentialSpec pedone_spec() {
  return inputs::read_potential_file(std::string(IONHOP_SOURCE_DIR) + "/inputs/potentials/pedone.toml").potential;
}

/// The Ewald term of Pedone (its charges: Li +0.6, O −1.2, …): the MLIP's physical baseline.
inline PotentialSpec pedone_coulomb_spec() {
  for (const PotentialSpec& term : pedone_spec().terms)
    if (term.type == "coulomb_ewald") return term;
  throw std::logic_error("pedone.toml has no coulomb_ewald term");
}

/// A labelled frame: energy, forces and stress (σ = −W/V) of `s` under `reference`.
inline lattice::XyzFrame labelled(const lattice::Structure& s, const Potential& reference, const std::string& config_type) {
  const PotentialResult r = reference.compute(s, ComputeRequest{.forces = true, .virial = true});
  lattice::XyzFrame f;
  f.structure = s;
  f.energy_eV = r.energy_eV;
  f.forces_eV_per_A = r.forces;
  f.stress_eV_per_A3 = Eigen::Matrix3d(-*r.virial_eV / s.volume_A3());
  f.set_config_type(config_type);
  return f;
}

/// `count` copies of `host`, each strained by up to ±max_strain (random symmetric strain) and
/// displaced by up to ±max_displacement_A per component (the amplitude itself drawn per frame in
/// [min_fraction, 1] × max), labelled by `reference`.
inline std::vector<lattice::XyzFrame> perturbed_frames(const Potential& reference, const lattice::Structure& host, int count,
                                                       std::uint64_t seed, double max_displacement_A, double max_strain,
                                                       double min_fraction = 0.2) {
  Uniform u(seed);
  std::vector<lattice::XyzFrame> frames;
  for (int k = 0; k < count; ++k) {
    lattice::Structure s = host;
    Eigen::Matrix3d strain = Eigen::Matrix3d::Identity();
    for (int a = 0; a < 3; ++a)
      for (int b = a; b < 3; ++b) {
        const double e = u(-max_strain, max_strain) * (a == b ? 1.0 : 0.5);
        strain(a, b) += e;
        if (a != b) strain(b, a) += e;
      }
    s.cell = strain * s.cell;
    s.positions = strain * s.positions;
    const double amplitude = max_displacement_A * u(min_fraction, 1.0);
    for (Eigen::Index i = 0; i < s.positions.cols(); ++i)
      for (int a = 0; a < 3; ++a) s.positions(a, i) += u(-amplitude, amplitude);
    frames.push_back(labelled(s, reference, "displaced"));
  }
  return frames;
}

/// Li₂O (a = 4.61 Å) repeated `repeats`, perturbed as perturbed_frames().
inline std::vector<lattice::XyzFrame> li2o_frames(const Potential& reference, int count, std::uint64_t seed,
                                                  double max_displacement_A, double max_strain,
                                                  std::array<int, 3> repeats = {2, 2, 2}, double min_fraction = 0.2) {
  const lattice::Structure host = lattice::make_supercell(ionhop::testing::antifluorite_cell(4.61), repeats);
  return perturbed_frames(reference, host, count, seed, max_displacement_A, max_strain, min_fraction);
}

}  // namespace ionhop::neb::testing
