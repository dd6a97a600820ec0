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
  /// Stress σ = −W/V [eV/Å³] (ASE's sign: positive is tensile), XyzFrame::stress_eV_per_A3.
  std::optional<Eigen::Matrix3d> stress_eV_per_A3;
  double weight = 1.0;      ///< XyzFrame::weight (≥ 0)
  std::string config_type;  ///< XyzFrame::config_type(), "default" when empty
};

/// The targets of `frame` (number `index`, for messages). Throws std::invalid_argument for a
/// negative or non-finite weight, a non-finite energy or forces of the wrong size.
MlipFrameTargets frame_targets(const lattice::XyzFrame& frame, std::size_t index = 0);

/// FNV-1a (64 bit) over every number and name of the frames (cells, pbc, species, positions,
/// energies, forces, stresses, weights, info key=value pairs in key order): equal frames give equal hashes.
std::uint64_t training_set_hash(const std::vector<lattice::XyzFrame>& frames);

}  // namespace ionhop::neb
