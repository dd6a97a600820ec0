#include "app/AtomisticResults.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include "app/H5File.hpp"
#include "app/UtcTime.hpp"
#include "app/Version.hpp"

namespace ionhop::app {

namespace {

std::string image_group(std::size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/images/image_%03zu", i);
  return buf;
}

/// Positions as [N, 3] (one row per atom), the extended-XYZ and ASE layout.
Eigen::MatrixXd atom_rows(const Eigen::Matrix3Xd& positions) { return positions.transpose(); }

void write_record(H5File& f, const inputs::AtomisticJob& job, const neb::HopResult& hop, const NebRunMetadata& meta) {
  f.set_attribute("/", "format", std::string_view(kNebRecordFormat));
  f.set_attribute("/", "format_version", std::int64_t{kNebRecordFormatVersion});
  f.set_attribute("/", "ionhop_version", std::string_view(kVersion));
  f.set_attribute("/", "job_name", std::string_view(job.name));
  f.set_attribute("/", "description", std::string_view(job.description));
  f.set_attribute("/", "potential_name", std::string_view(job.potential.name));
  f.set_attribute("/", "potential_citation", std::string_view(job.potential.citation));
  f.set_attribute("/", "threads", std::int64_t{meta.threads});
  f.set_attribute("/", "wall_time_s", meta.wall_time_s);
  f.set_attribute("/", "created_utc", std::string_view(utc_now_iso8601()));

  f.write_dataset("/job/text", std::string_view(job.source_text), "1");

  f.write_dataset("/hop/mechanism", std::string_view(to_string(job.hop.mechanism)), "1");
  f.write_dataset("/hop/status", std::string_view(neb::to_string(hop.status)), "1");
  f.write_dataset("/hop/mobile_atom", static_cast<std::int64_t>(hop.unrelaxed.mobile_atom), "1");
  f.write_dataset("/hop/n_atoms", static_cast<std::int64_t>(hop.unrelaxed.initial.size()), "1");
  f.write_dataset("/hop/energy_initial_eV", hop.energy_initial_eV, "eV");
  f.write_dataset("/hop/energy_final_eV", hop.energy_final_eV, "eV");
  f.write_dataset("/hop/initial_relax_status", std::string_view(neb::to_string(hop.initial_relaxed.status)), "1");
  f.write_dataset("/hop/final_relax_status", std::string_view(neb::to_string(hop.final_relaxed.status)), "1");
  f.write_dataset("/hop/initial_max_displacement_A", hop.initial_max_displacement_A, "angstrom");
  f.write_dataset("/hop/final_max_displacement_A", hop.final_max_displacement_A, "angstrom");
  f.write_dataset("/hop/relax_force_calls",
                  std::int64_t{hop.initial_relaxed.force_calls} + hop.final_relaxed.force_calls, "1");
  f.write_dataset("/hop/host_force_calls", std::int64_t{meta.host_force_calls}, "1");
  f.write_dataset("/hop/force_calls", std::int64_t{hop.force_calls} + meta.host_force_calls, "1");
  if (hop.status != neb::HopStatus::ok) return;

  const neb::NebResult& r = hop.neb;
  f.write_dataset("/neb/status", std::string_view(neb::to_string(r.status)), "1");
  f.write_dataset("/neb/converged", std::int64_t{r.converged ? 1 : 0}, "1");
  f.write_dataset("/neb/energies_eV", std::span<const double>(r.energies_eV), "eV");
  std::vector<double> relative;
  for (double e : r.energies_eV) relative.push_back(e - r.energies_eV.front());
  f.write_dataset("/neb/relative_energies_eV", std::span<const double>(relative), "eV");
  f.write_dataset("/neb/reaction_coordinate_A", std::span<const double>(r.reaction_coordinate_A), "angstrom");
  f.write_dataset("/neb/barrier_forward_eV", r.barrier_forward_eV, "eV");
  f.write_dataset("/neb/barrier_backward_eV", r.barrier_backward_eV, "eV");
  f.write_dataset("/neb/saddle_index", static_cast<std::int64_t>(r.saddle_index), "1");
  f.write_dataset("/neb/iterations", std::int64_t{r.iterations}, "1");
  f.write_dataset("/neb/force_calls", std::int64_t{r.force_calls}, "1");
  f.write_dataset("/neb/max_force_eV_A", r.max_force_eV_A, "eV/angstrom");
  f.write_dataset("/neb/max_force_history_eV_A", std::span<const double>(r.max_force_history_eV_A), "eV/angstrom");
  f.write_dataset("/neb/max_energy_std_eV", r.max_energy_std_eV, "eV");

  const lattice::Structure& first = r.images.front();
  f.write_dataset("/images/species", std::span<const std::string>(first.species), "1");
  f.write_dataset("/images/cell_A", Eigen::MatrixXd(first.cell.transpose()), "angstrom");
  for (std::size_t i = 0; i < r.images.size(); ++i) {
    f.write_dataset(image_group(i) + "/positions_A", atom_rows(r.images[i].positions), "angstrom");
  }
}

}  // namespace

void OutputSet::add_extxyz(const std::filesystem::path& target, const std::vector<lattice::XyzFrame>& frames) {
  AtomicFile file(target);
  {
    std::ofstream out(file.temp_path(), std::ios::binary | std::ios::trunc);
    out << lattice::format_extxyz(frames);
    out.close();
    if (!out) throw std::runtime_error("cannot write '" + file.temp_path().string() + "'");
  }
  files_.push_back(std::move(file));
}

void OutputSet::add_neb_record(const std::filesystem::path& target, const inputs::AtomisticJob& job,
                               const neb::HopResult& hop, const NebRunMetadata& meta) {
  AtomicFile file(target);
  H5File h5 = H5File::create(file.temp_path());
  write_record(h5, job, hop, meta);
  h5.close();
  files_.push_back(std::move(file));
}

void OutputSet::commit_all() {
  for (AtomicFile& file : files_) file.commit();
}

std::vector<lattice::XyzFrame> band_frames(const neb::NebResult& neb) {
  std::vector<lattice::XyzFrame> frames;
  for (std::size_t i = 0; i < neb.images.size(); ++i) {
    lattice::XyzFrame frame;
    frame.structure = neb.images[i];
    frame.energy_eV = neb.energies_eV[i];
    frame.info["image"] = std::to_string(i);
    char rc[64];
    std::snprintf(rc, sizeof rc, "%.17g", neb.reaction_coordinate_A[i]);
    frame.info["reaction_coordinate_A"] = rc;
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace ionhop::app
