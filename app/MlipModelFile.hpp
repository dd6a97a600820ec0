#pragma once
/// The trained MLIP (neb::MlipModel) as a versioned HDF5 file, and the "mlip" potential type
/// that loads it (spec text setting `model = "path.h5"`). Layout (docs/mlip.md, format
/// "ionhop-mlip-model", version 2; version 1 files are read with
/// energy_grade_slope = 0):
///   /                          attributes format, format_version, ionhop_version, created_utc
///   /basis/                    elements, cutoff_A, inner_A, radial_exponent, radial_size_2,
///                              radial_size_3, lmax, body_order, radial_size_4, lmax_4
///                              (files without the last two read them as the defaults 2 and 2)
///   /baseline/                 (if any) the neb::PotentialSpec: type, origin, settings/<key>,
///                              text_settings/<key>, charges_e/<species>, pairs/<k>/…, terms/<k>/…
///   /model/                    coefficients [P], reference_energies_eV [elements],
///                              covariance [P, P], energy_noise_eV2_per_atom2,
///                              force_noise_eV2_per_A2, regularisation
///   /calibration/              energy, force, difference, energy_grade_slope (version ≥ 2)
///   /descriptor_statistics/<e> atom_count, mean [F], covariance [F, F]
///   /training/                 training_set_hash (u8), training_frames, options/<name>
/// Writes are atomic (app/AtomicFile.hpp).
#include <filesystem>
#include <stdexcept>
#include <string>

#include "neb/MlipModel.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::app {

inline constexpr const char* kMlipModelFormat = "ionhop-mlip-model";
inline constexpr int kMlipModelFormatVersion = 2;

/// A model file that cannot be read or written: "<file>: <what>".
class MlipModelError : public std::runtime_error {
 public:
  MlipModelError(const std::filesystem::path& file, const std::string& message)
      : std::runtime_error(file.string() + ": " + message) {}
};

/// Writes `model` to `target` (temporary file, then rename). Throws MlipModelError or H5Error.
void write_mlip_model(const std::filesystem::path& target, const neb::MlipModel& model);

/// Reads a model file. Throws MlipModelError for a missing file, another format, a newer
/// version or inconsistent sizes.
neb::MlipModel read_mlip_model(const std::filesystem::path& path);

/// Adds the "mlip" type: PotentialSpec{type "mlip", text_settings {"model": path}} → the
/// LinearAcePotential of the file. Throws PotentialSpecError (through the registry) for a
/// missing `model`, an unknown setting or an unreadable file.
void register_mlip_potential(neb::PotentialRegistry& registry);

/// The built-in potentials plus "mlip" (built once, thread-safe): what the command line uses
/// wherever a potential is named.
const neb::PotentialRegistry& app_potentials();

}  // namespace ionhop::app
