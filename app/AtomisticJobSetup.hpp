#pragma once
/// Wiring of an atomistic job file (inputs::AtomisticJob) to the neb/ library: the structures,
/// the potential and the parameter structs, with every problem that needs the structure (a file
/// that cannot be read, an atom index out of range, a species the potential does not cover)
/// reported as an inputs::StudyError at the key of the job file that caused it (exit code 2).
#include <memory>

#include "inputs/RelaxNebJob.hpp"
#include "lattice/Structure.hpp"
#include "neb/CellRelax.hpp"
#include "neb/HopBuilder.hpp"
#include "neb/Potential.hpp"

namespace ionhop::app {

/// The potential of the job, checked on `probe` (every species covered, finite energy).
std::unique_ptr<neb::Potential> make_job_potential(const inputs::AtomisticJob& job, const lattice::Structure& probe);

/// The `[structure]` file read and repeated by `supercell`.
lattice::Structure load_job_structure(const inputs::AtomisticJob& job);

/// The neb/ defaults overridden by what the job file gives.
neb::RelaxParams relax_params(const inputs::JobRelax& relax);
neb::CellRelaxParams cell_relax_params(const inputs::JobRelax& relax);
neb::HopParams hop_params(const inputs::AtomisticJob& job);

/// The unrelaxed end states of the job's hop, built in `host` (vacancy, interstitial) or read
/// from the band files (`host` unused). Indices are checked against `host`.
neb::HopEndStates build_job_hop(const inputs::AtomisticJob& job, const lattice::Structure& host);

/// The structure of a band end state, read from `file`, reported at `key_path` when unusable.
lattice::Structure load_job_structure_file(const inputs::AtomisticJob& job, const std::filesystem::path& file,
                                           const std::string& key_path);

/// Throws inputs::StudyError with one diagnostic at the position of `key_path` in the job file.
[[noreturn]] void fail_at_key(const inputs::AtomisticJob& job, const std::string& key_path, const std::string& message);

}  // namespace ionhop::app
