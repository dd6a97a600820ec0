#include "app/MlipDatasetFile.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

#include "app/H5File.hpp"
#include "app/UtcTime.hpp"
#include "app/Version.hpp"
#include "lattice/StructureFileError.hpp"

namespace ionhop::app {

namespace {

const std::set<std::string> kFixedAttributes{"format", "format_version", "ionhop_version", "created_utc", "n_frames",
                                             "n_atoms_total"};
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void write_frames(H5File& f, const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                  const MlipDatasetMetadata& metadata) {
  if (frames.empty()) throw MlipDatasetError(target, "a data set needs at least one frame");
  const std::size_t n_frames = frames.size();
  std::vector<std::int64_t> n_atoms, first_atom, pbc, has_energy, has_forces, has_stress, fixed;
  std::vector<double> cell, energy, stress, weight, positions, forces;
  std::vector<std::string> config_type, info, species;
  std::int64_t total = 0;
  for (std::size_t k = 0; k < n_frames; ++k) {
    const lattice::XyzFrame& fr = frames[k];
    const lattice::Structure& s = fr.structure;
    const auto n = static_cast<Eigen::Index>(s.size());
    if (fr.forces_eV_per_A && fr.forces_eV_per_A->cols() != n)
      throw MlipDatasetError(target, "frame " + std::to_string(k) + " has forces for " + std::to_string(fr.forces_eV_per_A->cols()) +
                                         " atoms but " + std::to_string(n) + " atoms");
    n_atoms.push_back(n);
    first_atom.push_back(total);
    total += n;
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) cell.push_back(s.cell(c, r));  // row r = lattice vector r
    for (int a = 0; a < 3; ++a) pbc.push_back(s.pbc[a] ? 1 : 0);
    energy.push_back(fr.energy_eV.value_or(kNaN));
    has_energy.push_back(fr.energy_eV ? 1 : 0);
    has_forces.push_back(fr.forces_eV_per_A ? 1 : 0);
    has_stress.push_back(fr.stress_eV_per_A3 ? 1 : 0);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) stress.push_back(fr.stress_eV_per_A3 ? (*fr.stress_eV_per_A3)(r, c) : kNaN);
    weight.push_back(fr.weight);
    config_type.push_back(fr.config_type());
    std::map<std::string, std::string> rest = fr.info;
    rest.erase("config_type");
    info.push_back(lattice::format_extxyz_info(rest));
    for (Eigen::Index i = 0; i < n; ++i) {
      species.push_back(s.species[static_cast<std::size_t>(i)]);
      fixed.push_back(s.is_fixed(static_cast<std::size_t>(i)) ? 1 : 0);
      for (int c = 0; c < 3; ++c) {
        positions.push_back(s.positions(c, i));
        forces.push_back(fr.forces_eV_per_A ? (*fr.forces_eV_per_A)(c, i) : kNaN);
      }
    }
  }
  f.set_attribute("/", "format", std::string_view(kMlipDatasetFormat));
  f.set_attribute("/", "format_version", std::int64_t{kMlipDatasetFormatVersion});
  f.set_attribute("/", "ionhop_version", std::string_view(kVersion));
  f.set_attribute("/", "created_utc", std::string_view(utc_now_iso8601()));
  f.set_attribute("/", "n_frames", static_cast<std::int64_t>(n_frames));
  f.set_attribute("/", "n_atoms_total", total);
  for (const auto& [name, value] : metadata) {
    if (kFixedAttributes.contains(name)) throw MlipDatasetError(target, "metadata name '" + name + "' is a fixed attribute");
    f.set_attribute("/", name, std::string_view(value));
  }
  const auto atoms = static_cast<std::size_t>(total);
  f.write_dataset("/frames/n_atoms", std::span<const std::int64_t>(n_atoms), "1");
  f.write_dataset("/frames/first_atom", std::span<const std::int64_t>(first_atom), "1");
  f.write_dataset("/frames/cell_A", std::span<const double>(cell), n_frames, 9, "angstrom");
  f.write_dataset("/frames/pbc", std::span<const std::int64_t>(pbc), n_frames, 3, "1");
  f.write_dataset("/frames/energy_eV", std::span<const double>(energy), "eV");
  f.write_dataset("/frames/has_energy", std::span<const std::int64_t>(has_energy), "1");
  f.write_dataset("/frames/has_forces", std::span<const std::int64_t>(has_forces), "1");
  f.write_dataset("/frames/stress_eV_A3", std::span<const double>(stress), n_frames, 9, "eV/angstrom^3");
  f.write_dataset("/frames/has_stress", std::span<const std::int64_t>(has_stress), "1");
  f.write_dataset("/frames/weight", std::span<const double>(weight), "1");
  f.write_dataset("/frames/config_type", std::span<const std::string>(config_type), "1");
  f.write_dataset("/frames/info", std::span<const std::string>(info), "1");
  if (atoms > 0) {
    f.write_dataset("/atoms/species", std::span<const std::string>(species), "1");
    f.write_dataset("/atoms/positions_A", std::span<const double>(positions), atoms, 3, "angstrom");
    f.write_dataset("/atoms/forces_eV_A", std::span<const double>(forces), atoms, 3, "eV/angstrom");
    f.write_dataset("/atoms/fixed", std::span<const std::int64_t>(fixed), "1");
  }
}

template <typename T>
void require_size(const std::filesystem::path& path, const std::string& name, const std::vector<T>& v, std::size_t n) {
  if (v.size() != n)
    throw MlipDatasetError(path, name + " has " + std::to_string(v.size()) + " values, expected " + std::to_string(n));
}

bool flag(const std::filesystem::path& path, const std::string& name, std::int64_t v) {
  if (v != 0 && v != 1) throw MlipDatasetError(path, name + " must hold 0 or 1, found " + std::to_string(v));
  return v == 1;
}

}  // namespace

AtomicFile stage_mlip_dataset(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                              const MlipDatasetMetadata& metadata) {
  AtomicFile file(target);
  H5File h5 = H5File::create(file.temp_path());
  write_frames(h5, target, frames, metadata);
  h5.close();
  return file;
}

void write_mlip_dataset(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames,
                        const MlipDatasetMetadata& metadata) {
  AtomicFile file = stage_mlip_dataset(target, frames, metadata);
  file.commit();
}

std::vector<lattice::XyzFrame> read_mlip_dataset(const std::filesystem::path& path) {
  const H5File f = H5File::open_read_only(path);
  if (!f.has_attribute("/", "format") || f.read_string_attribute("/", "format") != kMlipDatasetFormat)
    throw MlipDatasetError(path, std::string("not an ionhop MLIP data set (root attribute format != \"") + kMlipDatasetFormat + "\")");
  const std::int64_t version = f.read_int64_attribute("/", "format_version");
  if (version != kMlipDatasetFormatVersion)
    throw MlipDatasetError(path, "format_version " + std::to_string(version) + " is not supported (this ionhop reads " +
                                     std::to_string(kMlipDatasetFormatVersion) + ")");
  const auto n_atoms = f.read_int64s("/frames/n_atoms");
  const auto first_atom = f.read_int64s("/frames/first_atom");
  const std::size_t n_frames = n_atoms.size();
  const auto cell = f.read_double_array("/frames/cell_A");
  const auto pbc = f.read_int64_array("/frames/pbc");
  const auto energy = f.read_doubles("/frames/energy_eV");
  const auto has_energy = f.read_int64s("/frames/has_energy");
  const auto has_forces = f.read_int64s("/frames/has_forces");
  const auto stress = f.read_double_array("/frames/stress_eV_A3");
  const auto has_stress = f.read_int64s("/frames/has_stress");
  const auto weight = f.read_doubles("/frames/weight");
  const auto config_type = f.read_strings("/frames/config_type");
  const auto info = f.read_strings("/frames/info");
  std::int64_t total = 0;
  for (std::size_t k = 0; k < n_frames; ++k) {
    if (n_atoms[k] < 0 || first_atom.size() != n_frames || first_atom[k] != total)
      throw MlipDatasetError(path, "/frames/first_atom is not the running sum of /frames/n_atoms at frame " + std::to_string(k));
    total += n_atoms[k];
  }
  const auto atoms = static_cast<std::size_t>(total);
  if (cell.rows != n_frames || cell.cols != 9) throw MlipDatasetError(path, "/frames/cell_A must have shape [n_frames, 9]");
  if (pbc.rows != n_frames || pbc.cols != 3) throw MlipDatasetError(path, "/frames/pbc must have shape [n_frames, 3]");
  if (stress.rows != n_frames || stress.cols != 9) throw MlipDatasetError(path, "/frames/stress_eV_A3 must have shape [n_frames, 9]");
  require_size(path, "/frames/energy_eV", energy, n_frames);
  require_size(path, "/frames/has_energy", has_energy, n_frames);
  require_size(path, "/frames/has_forces", has_forces, n_frames);
  require_size(path, "/frames/has_stress", has_stress, n_frames);
  require_size(path, "/frames/weight", weight, n_frames);
  require_size(path, "/frames/config_type", config_type, n_frames);
  require_size(path, "/frames/info", info, n_frames);
  std::vector<std::string> species;
  std::vector<std::int64_t> fixed;
  RowMajorArray<double> positions, forces;
  if (atoms > 0) {
    species = f.read_strings("/atoms/species");
    fixed = f.read_int64s("/atoms/fixed");
    positions = f.read_double_array("/atoms/positions_A");
    forces = f.read_double_array("/atoms/forces_eV_A");
    require_size(path, "/atoms/species", species, atoms);
    require_size(path, "/atoms/fixed", fixed, atoms);
    if (positions.rows != atoms || positions.cols != 3 || forces.rows != atoms || forces.cols != 3)
      throw MlipDatasetError(path, "/atoms/positions_A and /atoms/forces_eV_A must have shape [n_atoms_total, 3]");
  }

  std::vector<lattice::XyzFrame> frames(n_frames);
  for (std::size_t k = 0; k < n_frames; ++k) {
    lattice::XyzFrame& fr = frames[k];
    lattice::Structure& s = fr.structure;
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) s.cell(c, r) = cell(k, static_cast<std::size_t>(3 * r + c));
    for (int a = 0; a < 3; ++a) s.pbc[a] = flag(path, "/frames/pbc", pbc(k, static_cast<std::size_t>(a)));
    if (flag(path, "/frames/has_energy", has_energy[k])) fr.energy_eV = energy[k];
    if (flag(path, "/frames/has_stress", has_stress[k])) {
      Eigen::Matrix3d m;
      for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c) m(r, c) = stress(k, static_cast<std::size_t>(3 * r + c));
      fr.stress_eV_per_A3 = m;
    }
    fr.weight = weight[k];
    try {
      fr.info = lattice::parse_extxyz_info(info[k], path.string() + ":/frames/info[" + std::to_string(k) + "]");
    } catch (const lattice::StructureFileError& e) {
      throw MlipDatasetError(path, e.what());
    }
    fr.set_config_type(config_type[k]);
    const auto n = static_cast<Eigen::Index>(n_atoms[k]);
    const auto first = static_cast<std::size_t>(first_atom[k]);
    s.positions.resize(3, n);
    const bool with_forces = flag(path, "/frames/has_forces", has_forces[k]);
    if (with_forces) fr.forces_eV_per_A = Eigen::Matrix3Xd(3, n);
    bool any_fixed = false;
    for (Eigen::Index i = 0; i < n; ++i) {
      const std::size_t a = first + static_cast<std::size_t>(i);
      s.species.push_back(species[a]);
      any_fixed = any_fixed || flag(path, "/atoms/fixed", fixed[a]);
      for (int c = 0; c < 3; ++c) {
        s.positions(c, i) = positions(a, static_cast<std::size_t>(c));
        if (with_forces) (*fr.forces_eV_per_A)(c, i) = forces(a, static_cast<std::size_t>(c));
      }
    }
    if (any_fixed)
      for (Eigen::Index i = 0; i < n; ++i) s.fixed.push_back(static_cast<char>(fixed[first + static_cast<std::size_t>(i)]));
  }
  return frames;
}

MlipDatasetMetadata read_mlip_dataset_metadata(const std::filesystem::path& path) {
  const H5File f = H5File::open_read_only(path);
  MlipDatasetMetadata metadata;
  for (const std::string& name : f.attribute_names("/"))
    if (!kFixedAttributes.contains(name)) metadata[name] = f.read_string_attribute("/", name);
  return metadata;
}

}  // namespace ionhop::app
