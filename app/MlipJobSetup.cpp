#include "app/MlipJobSetup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <set>

#include "app/MlipDatasetFile.hpp"
#include "inputs/StudyError.hpp"
#include "neb/RandomStream.hpp"

namespace ionhop::app {

void fail_at(const MlipJobSource& source, const std::string& key_path, const std::string& message) {
  const inputs::InputLocation at = source.locations->find(key_path);
  throw inputs::StudyError({inputs::Diagnostic{source.path, at.line, at.column, key_path, message}});
}

std::vector<lattice::XyzFrame> load_mlip_frames(const std::vector<std::filesystem::path>& files, const std::string& key_path,
                                                const MlipJobSource& source, const std::vector<std::string>& exclude) {
  std::vector<lattice::XyzFrame> frames;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string key = key_path + "[" + std::to_string(i) + "]";
    std::vector<lattice::XyzFrame> part;
    // Any failure to read a file the job names is a problem of the job's input (exit 2).
    try {
      part = files[i].extension() == ".h5" ? read_mlip_dataset(files[i]) : lattice::read_extxyz(files[i].string());
    } catch (const std::exception& e) {
      fail_at(source, key, "cannot read the data set '" + files[i].string() + "': " + e.what());
    }
    if (part.empty()) fail_at(source, key, "the data set '" + files[i].string() + "' has no frames");
    for (auto& f : part)
      if (std::find(exclude.begin(), exclude.end(), f.config_type()) == exclude.end()) frames.push_back(std::move(f));
  }
  if (frames.empty()) fail_at(source, key_path, "no frames are left once the excluded config types are taken out");
  return frames;
}

MlipSplit split_held_out(std::vector<lattice::XyzFrame> frames, double fraction, std::uint64_t seed) {
  const std::size_t n = frames.size();
  std::size_t held = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(n)));
  held = std::min(held, n > 0 ? n - 1 : 0);
  // Partial Fisher–Yates: the first `held` entries of a uniformly shuffled index list.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  neb::RandomStream stream(seed, 0);
  for (std::size_t k = 0; k < held; ++k) std::swap(order[k], order[k + stream.below(n - k)]);
  std::vector<bool> is_held(n, false);
  for (std::size_t k = 0; k < held; ++k) is_held[order[k]] = true;
  MlipSplit split;
  for (std::size_t k = 0; k < n; ++k) (is_held[k] ? split.held_out : split.training).push_back(std::move(frames[k]));
  return split;
}

MlipSplit split_job_frames(std::vector<lattice::XyzFrame> frames, const inputs::MlipJobSplit& split, const MlipJobSource& source) {
  if (!split.held_out_files.empty()) {
    MlipSplit s;
    s.training = std::move(frames);
    s.held_out = load_mlip_frames(split.held_out_files, "split.held_out_files", source);
    return s;
  }
  return split_held_out(std::move(frames), split.held_out_fraction.value_or(0.2), split.seed);
}

void check_species(const std::vector<lattice::XyzFrame>& frames, const std::vector<std::string>& elements,
                   const std::string& key_path, const MlipJobSource& source) {
  std::set<std::string> missing;
  for (const auto& f : frames)
    for (const auto& s : f.structure.species)
      if (std::find(elements.begin(), elements.end(), s) == elements.end()) missing.insert(s);
  if (missing.empty()) return;
  std::string list;
  for (const auto& s : missing) {
    if (!list.empty()) list += ", ";
    list += "'" + s + "'";
  }
  fail_at(source, key_path, "the data have species " + list + " that the basis does not list");
}

namespace {

void apply_fit(neb::MlipTrainingOptions& o, const inputs::MlipJobFit& fit) {
  if (fit.energy_sigma_eV_per_atom) o.energy_sigma_eV_per_atom = *fit.energy_sigma_eV_per_atom;
  if (fit.force_sigma_eV_per_A) o.force_sigma_eV_per_A = *fit.force_sigma_eV_per_A;
  if (fit.stress_sigma_eV_per_A3) o.stress_sigma_eV_per_A3 = *fit.stress_sigma_eV_per_A3;
  if (!fit.lambdas.empty()) o.lambdas = fit.lambdas;
  if (fit.folds) o.folds = *fit.folds;
  if (fit.frames_per_batch) o.frames_per_batch = static_cast<std::size_t>(*fit.frames_per_batch);
}

}  // namespace

neb::MlipTrainingOptions training_options(const inputs::MlipJobBasis& basis, const inputs::MlipJobBaseline& baseline,
                                          const inputs::MlipJobFit& fit, const std::vector<lattice::XyzFrame>& frames,
                                          const MlipJobSource& source) {
  neb::MlipTrainingOptions o;
  neb::AceBasisSpec& b = o.basis;
  if (basis.elements.empty()) {
    std::set<std::string> species;
    for (const auto& f : frames) species.insert(f.structure.species.begin(), f.structure.species.end());
    b.elements.assign(species.begin(), species.end());
  } else {
    b.elements = basis.elements;
    check_species(frames, b.elements, "basis.elements", source);
  }
  if (basis.cutoff_A) b.cutoff_A = *basis.cutoff_A;
  if (basis.inner_A) b.inner_A = *basis.inner_A;
  if (!(b.inner_A < b.cutoff_A))
    fail_at(source, basis.inner_A ? "basis.inner_A" : "basis.cutoff_A", "inner_A must be below cutoff_A");
  if (basis.radial_exponent) b.radial_exponent = *basis.radial_exponent;
  if (basis.radial_size_2) b.radial_size_2 = *basis.radial_size_2;
  if (basis.radial_size_3) b.radial_size_3 = *basis.radial_size_3;
  if (basis.lmax) b.lmax = *basis.lmax;
  if (basis.body_order) b.body_order = *basis.body_order;
  if (basis.radial_size_4) b.radial_size_4 = *basis.radial_size_4;
  if (basis.lmax_4) b.lmax_4 = *basis.lmax_4;
  o.radial_sizes_3 = basis.radial_sizes_3;
  o.baseline = baseline.spec;
  if (o.baseline) {
    for (const auto& e : b.elements)
      if (!o.baseline->charges_e.contains(e))
        fail_at(source, "baseline", "the baseline has no charge for species '" + e + "'");
  }
  apply_fit(o, fit);
  if (o.folds == 1 && o.lambdas.size() != 1) fail_at(source, "fit.folds", "folds = 1 needs exactly one value in lambdas");
  return o;
}

neb::MlipTrainingOptions training_options_for_model(const neb::MlipModel& model, const inputs::MlipJobFit& fit) {
  neb::MlipTrainingOptions o;
  o.basis = model.basis;
  o.baseline = model.baseline;
  apply_fit(o, fit);
  return o;
}

neb::MlipCalibrationOptions calibration_options(const inputs::MlipJobCalibration& calibration) {
  neb::MlipCalibrationOptions o;
  if (calibration.coverage) o.coverage = *calibration.coverage;
  if (calibration.forces) o.forces = *calibration.forces;
  return o;
}

void print_cross_validation(std::ostream& out, const neb::MlipTrainingReport& report) {
  out << "  cross-validation (pooled over the folds):\n"
      << "    r3   lambda     loss        E RMSE [meV/atom]  F RMSE [eV/A]  S RMSE [eV/A^3]\n";
  for (const neb::MlipCvPoint& p : report.cross_validation) {
    char line[200];
    if (p.solved)
      std::snprintf(line, sizeof line, "    %-4d %-9.1e  %-10.4g  %-17.4f  %-13.5f  %.3e%s\n", p.radial_size_3, p.lambda, p.loss,
                    1e3 * p.energy_rmse_eV_per_atom, p.force_rmse_eV_per_A, p.stress_rmse_eV_per_A3,
                    p.radial_size_3 == report.chosen.radial_size_3 && p.lambda == report.chosen.lambda ? "   <- chosen" : "");
    else
      std::snprintf(line, sizeof line, "    %-4d %-9.1e  not solved (normal matrix not positive definite)\n", p.radial_size_3, p.lambda);
    out << line;
  }
}

void print_error_report(std::ostream& out, const std::string& title, const neb::MlipErrorReport& r) {
  auto row = [&](const std::string& what, const std::string& unit, double scale, const neb::MlipErrorStats& s) {
    char line[200];
    std::snprintf(line, sizeof line, "    %-34s %-11s %8zu  %12.5f  %12.5f  %12.5f\n", what.c_str(), unit.c_str(), s.count, scale * s.rmse,
                  scale * s.mae, scale * s.max_abs);
    out << line;
  };
  out << "  " << title << ":\n    " << "quantity                           unit           count          RMSE           MAE       max|err|\n";
  row("energy per atom", "meV/atom", 1e3, r.energy_eV_per_atom);
  row("force components", "eV/A", 1.0, r.force_eV_per_A);
  if (r.stress_eV_per_A3.count > 0) row("stress components", "meV/A^3", 1e3, r.stress_eV_per_A3);
  for (const auto& [element, s] : r.force_by_element) row("force on " + element, "eV/A", 1.0, s);
  for (const auto& [type, s] : r.energy_by_config_type) row("energy, config_type " + type, "meV/atom", 1e3, s);
  for (const auto& [type, s] : r.force_by_config_type) row("force, config_type " + type, "eV/A", 1.0, s);
  char line[200];
  if (r.energy_coverage_2sigma >= 0.0) {
    std::snprintf(line, sizeof line, "    within 2 sigma: energies %.3f", r.energy_coverage_2sigma);
    out << line;
    if (r.force_coverage_2sigma >= 0.0) {
      std::snprintf(line, sizeof line, ", force components %.3f", r.force_coverage_2sigma);
      out << line;
    }
    out << "\n";
  }
}

}  // namespace ionhop::app
