#include "app/MlipModelFile.hpp"

#include <cstdint>

#include "app/AtomicFile.hpp"
#include "app/H5File.hpp"
#include "app/UtcTime.hpp"
#include "app/Version.hpp"
#include "neb/LinearAcePotential.hpp"
#include "neb/PotentialError.hpp"

namespace ionhop::app {

namespace {

std::string indexed(const std::string& group, std::size_t k) {
  char name[16];
  std::snprintf(name, sizeof name, "%04zu", k);
  return group + "/" + name;
}

void write_matrix(H5File& f, const std::string& path, const Eigen::MatrixXd& m, std::string_view units) {
  f.write_dataset(path, m, units);
}

Eigen::MatrixXd read_matrix(const H5File& f, const std::string& path) {
  const RowMajorArray<double> a = f.read_double_array(path);
  Eigen::MatrixXd m(static_cast<Eigen::Index>(a.rows), static_cast<Eigen::Index>(a.cols));
  for (std::size_t r = 0; r < a.rows; ++r)
    for (std::size_t c = 0; c < a.cols; ++c) m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = a(r, c);
  return m;
}

Eigen::VectorXd read_vector(const H5File& f, const std::string& path) {
  const std::vector<double> v = f.read_doubles(path);
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

/// Units of a setting from the suffix of its name (the PotentialSpec convention).
std::string units_of(const std::string& key) {
  if (key.ends_with("_A")) return "angstrom";
  if (key.ends_with("_eV")) return "eV";
  if (key.ends_with("_per_A")) return "1/angstrom";
  return "see name";
}

void write_spec(H5File& f, const std::string& group, const neb::PotentialSpec& spec) {
  f.create_group(group);
  f.write_dataset(group + "/type", std::string_view(spec.type), "1");
  f.write_dataset(group + "/origin", std::string_view(spec.origin), "1");
  f.create_group(group + "/settings");
  for (const auto& [k, v] : spec.settings) f.write_dataset(group + "/settings/" + k, v, units_of(k));
  f.create_group(group + "/text_settings");
  for (const auto& [k, v] : spec.text_settings) f.write_dataset(group + "/text_settings/" + k, std::string_view(v), "1");
  f.create_group(group + "/charges_e");
  for (const auto& [k, v] : spec.charges_e) f.write_dataset(group + "/charges_e/" + k, v, "e");
  f.create_group(group + "/pairs");
  for (std::size_t p = 0; p < spec.pairs.size(); ++p) {
    const std::string g = indexed(group + "/pairs", p);
    f.write_dataset(g + "/species_a", std::string_view(spec.pairs[p].species_a), "1");
    f.write_dataset(g + "/species_b", std::string_view(spec.pairs[p].species_b), "1");
    f.create_group(g + "/values");
    for (const auto& [k, v] : spec.pairs[p].values) f.write_dataset(g + "/values/" + k, v, units_of(k));
  }
  f.create_group(group + "/terms");
  for (std::size_t t = 0; t < spec.terms.size(); ++t) write_spec(f, indexed(group + "/terms", t), spec.terms[t]);
}

neb::PotentialSpec read_spec(const H5File& f, const std::string& group) {
  neb::PotentialSpec spec;
  spec.type = f.read_string(group + "/type");
  spec.origin = f.read_string(group + "/origin");
  for (const std::string& k : f.children(group + "/settings")) spec.settings[k] = f.read_double(group + "/settings/" + k);
  for (const std::string& k : f.children(group + "/text_settings")) spec.text_settings[k] = f.read_string(group + "/text_settings/" + k);
  for (const std::string& k : f.children(group + "/charges_e")) spec.charges_e[k] = f.read_double(group + "/charges_e/" + k);
  for (const std::string& p : f.children(group + "/pairs")) {
    const std::string g = group + "/pairs/" + p;
    neb::PairCoefficients pair;
    pair.species_a = f.read_string(g + "/species_a");
    pair.species_b = f.read_string(g + "/species_b");
    for (const std::string& k : f.children(g + "/values")) pair.values[k] = f.read_double(g + "/values/" + k);
    spec.pairs.push_back(std::move(pair));
  }
  for (const std::string& t : f.children(group + "/terms")) spec.terms.push_back(read_spec(f, group + "/terms/" + t));
  return spec;
}

}  // namespace

void write_mlip_model(const std::filesystem::path& target, const neb::MlipModel& model) {
  // Check sizes through the potential's own validation before anything is written.
  try {
    const neb::AceBasis basis(model.basis);
    if (static_cast<std::size_t>(model.coefficients.size()) != basis.coefficient_count()) {
      throw MlipModelError(target, "the coefficient vector does not match the basis");
    }
  } catch (const std::invalid_argument& e) {
    throw MlipModelError(target, std::string("invalid basis: ") + e.what());
  }
  AtomicFile out(target);
  {
    H5File f = H5File::create(out.temp_path());
    f.set_attribute("/", "format", std::string_view(kMlipModelFormat));
    f.set_attribute("/", "format_version", std::int64_t{kMlipModelFormatVersion});
    f.set_attribute("/", "ionhop_version", std::string_view(kVersion));
    f.set_attribute("/", "created_utc", std::string_view(utc_now_iso8601()));
    const neb::AceBasisSpec& b = model.basis;
    f.write_dataset("/basis/elements", std::span<const std::string>(b.elements), "1");
    f.write_dataset("/basis/cutoff_A", b.cutoff_A, "angstrom");
    f.write_dataset("/basis/inner_A", b.inner_A, "angstrom");
    f.write_dataset("/basis/radial_exponent", b.radial_exponent, "1");
    f.write_dataset("/basis/radial_size_2", std::int64_t{b.radial_size_2}, "1");
    f.write_dataset("/basis/radial_size_3", std::int64_t{b.radial_size_3}, "1");
    f.write_dataset("/basis/lmax", std::int64_t{b.lmax}, "1");
    f.write_dataset("/basis/body_order", std::int64_t{b.body_order}, "1");
    f.write_dataset("/basis/radial_size_4", std::int64_t{b.radial_size_4}, "1");
    f.write_dataset("/basis/lmax_4", std::int64_t{b.lmax_4}, "1");
    if (model.baseline) write_spec(f, "/baseline", *model.baseline);
    const auto ne = static_cast<Eigen::Index>(b.elements.size());
    const std::vector<double> c(model.coefficients.data(), model.coefficients.data() + model.coefficients.size());
    f.write_dataset("/model/coefficients", std::span<const double>(c), "eV per descriptor unit");
    const std::vector<double> ref(c.end() - ne, c.end());
    f.write_dataset("/model/reference_energies_eV", std::span<const double>(ref), "eV");
    write_matrix(f, "/model/covariance", model.covariance, "(eV per descriptor unit)^2");
    f.write_dataset("/model/energy_noise_eV2_per_atom2", model.energy_noise_eV2_per_atom2, "eV^2");
    f.write_dataset("/model/force_noise_eV2_per_A2", model.force_noise_eV2_per_A2, "eV^2/angstrom^2");
    f.write_dataset("/model/regularisation", model.regularisation, "1");
    f.write_dataset("/calibration/energy", model.calibration.energy, "1");
    f.write_dataset("/calibration/force", model.calibration.force, "1");
    f.write_dataset("/calibration/difference", model.calibration.difference, "1");
    f.write_dataset("/calibration/energy_grade_slope", model.calibration.energy_grade_slope, "1");
    f.create_group("/descriptor_statistics");
    for (std::size_t e = 0; e < model.descriptor_statistics.size(); ++e) {
      const neb::MlipDescriptorStatistics& st = model.descriptor_statistics[e];
      const std::string g = "/descriptor_statistics/" + b.elements.at(e);
      f.write_dataset(g + "/atom_count", st.atom_count, "1");
      const std::vector<double> mean(st.mean.data(), st.mean.data() + st.mean.size());
      f.write_dataset(g + "/mean", std::span<const double>(mean), "descriptor units");
      write_matrix(f, g + "/covariance", st.covariance, "descriptor units^2");
    }
    f.write_dataset_uint64("/training/training_set_hash", model.training_set_hash, "1");
    f.write_dataset("/training/training_frames", static_cast<std::int64_t>(model.training_frames), "1");
    f.create_group("/training/options");
    for (const auto& [k, v] : model.training_options) f.write_dataset("/training/options/" + k, v, units_of(k));
    f.close();
  }
  out.commit();
}

neb::MlipModel read_mlip_model(const std::filesystem::path& path) {
  if (!std::filesystem::is_regular_file(path)) throw MlipModelError(path, "no such model file");
  const H5File f = H5File::open_read_only(path);
  if (!f.has_attribute("/", "format") || f.read_string_attribute("/", "format") != kMlipModelFormat) {
    throw MlipModelError(path, std::string("not an ionhop MLIP model (format attribute is not '") + kMlipModelFormat + "')");
  }
  const std::int64_t version = f.read_int64_attribute("/", "format_version");
  if (version < 1 || version > kMlipModelFormatVersion) {
    throw MlipModelError(path, "model format version " + std::to_string(version) + " is not supported (this ionhop reads up to " +
                                   std::to_string(kMlipModelFormatVersion) + ")");
  }
  neb::MlipModel m;
  neb::AceBasisSpec& b = m.basis;
  b.elements = f.read_strings("/basis/elements");
  b.cutoff_A = f.read_double("/basis/cutoff_A");
  b.inner_A = f.read_double("/basis/inner_A");
  b.radial_exponent = f.read_double("/basis/radial_exponent");
  b.radial_size_2 = static_cast<int>(f.read_int64("/basis/radial_size_2"));
  b.radial_size_3 = static_cast<int>(f.read_int64("/basis/radial_size_3"));
  b.lmax = static_cast<int>(f.read_int64("/basis/lmax"));
  b.body_order = static_cast<int>(f.read_int64("/basis/body_order"));
  // Files written before body order 4 existed lack these (and have body_order ≤ 3).
  if (f.is_dataset("/basis/radial_size_4")) b.radial_size_4 = static_cast<int>(f.read_int64("/basis/radial_size_4"));
  if (f.is_dataset("/basis/lmax_4")) b.lmax_4 = static_cast<int>(f.read_int64("/basis/lmax_4"));
  if (f.is_group("/baseline")) m.baseline = read_spec(f, "/baseline");
  m.coefficients = read_vector(f, "/model/coefficients");
  m.covariance = read_matrix(f, "/model/covariance");
  m.energy_noise_eV2_per_atom2 = f.read_double("/model/energy_noise_eV2_per_atom2");
  m.force_noise_eV2_per_A2 = f.read_double("/model/force_noise_eV2_per_A2");
  m.regularisation = f.read_double("/model/regularisation");
  m.calibration.energy = f.read_double("/calibration/energy");
  m.calibration.force = f.read_double("/calibration/force");
  m.calibration.difference = f.read_double("/calibration/difference");
  // Version 1 had no heteroscedastic energy noise: α = 0 is what it meant.
  if (version >= 2) m.calibration.energy_grade_slope = f.read_double("/calibration/energy_grade_slope");
  for (const std::string& element : b.elements) {
    const std::string g = "/descriptor_statistics/" + element;
    if (!f.is_group(g)) break;
    neb::MlipDescriptorStatistics st;
    st.atom_count = f.read_double(g + "/atom_count");
    st.mean = read_vector(f, g + "/mean");
    st.covariance = read_matrix(f, g + "/covariance");
    m.descriptor_statistics.push_back(std::move(st));
  }
  m.training_set_hash = f.read_uint64("/training/training_set_hash");
  m.training_frames = static_cast<std::size_t>(f.read_int64("/training/training_frames"));
  for (const std::string& k : f.children("/training/options")) m.training_options[k] = f.read_double("/training/options/" + k);
  // Sizes: the potential validates coefficients, covariance and statistics against the basis.
  try {
    const neb::LinearAcePotential check(m, neb::LinearAcePotentialOptions{.report_variance = false});
  } catch (const std::exception& e) {
    throw MlipModelError(path, std::string("inconsistent model: ") + e.what());
  }
  return m;
}

void register_mlip_potential(neb::PotentialRegistry& registry) {
  registry.add("mlip", [](const neb::PotentialSpec& spec, const neb::PotentialRegistry&) -> std::unique_ptr<neb::Potential> {
    const std::string where = spec.origin.empty() ? "mlip" : spec.origin + ": mlip";
    for (const auto& [key, value] : spec.settings) {
      (void)value;
      throw neb::PotentialSpecError(where + ": unknown setting '" + key + "' (mlip takes model = \"file.h5\")");
    }
    for (const auto& [key, value] : spec.text_settings) {
      (void)value;
      if (key != "model") throw neb::PotentialSpecError(where + ": unknown setting '" + key + "' (mlip takes model = \"file.h5\")");
    }
    if (!spec.charges_e.empty() || !spec.pairs.empty() || !spec.terms.empty()) {
      throw neb::PotentialSpecError(where + ": takes no charges, pairs or terms (the model file holds its baseline)");
    }
    const auto it = spec.text_settings.find("model");
    if (it == spec.text_settings.end() || it->second.empty()) {
      throw neb::PotentialSpecError(where + ": needs model = \"file.h5\" (a model written by ionhop mlip train)");
    }
    try {
      return std::make_unique<neb::LinearAcePotential>(read_mlip_model(it->second));
    } catch (const MlipModelError& e) {
      throw neb::PotentialSpecError(where + ": " + e.what());
    } catch (const H5Error& e) {
      throw neb::PotentialSpecError(where + ": " + e.what());
    }
  });
}

const neb::PotentialRegistry& app_potentials() {
  static const neb::PotentialRegistry registry = [] {
    neb::PotentialRegistry r;
    neb::register_builtin_potentials(r);
    register_mlip_potential(r);
    return r;
  }();
  return registry;
}

}  // namespace ionhop::app
