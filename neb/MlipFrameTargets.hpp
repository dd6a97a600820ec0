#pragma once
/// What a labelled extended-XYZ frame asks the MLIP fit to reproduce, and a hash of a training
/// set for the model's provenance.
#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lattice/StructureExtxyz.hpp"

namespace ionhop::neb {

/// The labels of one frame as the fit uses them.
struct MlipFrameTargets {
  std::optional<double> energy_eV;
  std::optional<Eigen::Matrix3Xd> forces_eV_per_A;
  /// Stress σ = −W/V [eV/Å³] (ASE's sign: positive is tensile), from info "stress" (9 numbers,
  /// row-major, or 6 in Voigt order xx yy zz yz xz xy) or info "virial" (9 numbers, W [eV]).
  std::optional<Eigen::Matrix3d> stress_eV_per_A3;
  double weight = 1.0;      ///< info "weight" (≥ 0), else 1
  std::string config_type;  ///< info "config_type", else "default"
};

/// Reads the targets of `frame` (number `index`, for messages). Throws std::invalid_argument for
/// an unreadable weight, stress or virial.
MlipFrameTargets frame_targets(const lattice::XyzFrame& frame, std::size_t index = 0);

/// FNV-1a (64 bit) over every number and name of the frames (cells, pbc, species, positions,
/// energies, forces, info key=value pairs in key order): equal frames give equal hashes.
std::uint64_t training_set_hash(const std::vector<lattice::XyzFrame>& frames);

}  // namespace ionhop::neb
