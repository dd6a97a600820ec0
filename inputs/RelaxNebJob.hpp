#pragma once
/// The typed content of an atomistic job file: `ionhop relax RELAX.toml` (relax one structure)
/// and `ionhop neb NEB.toml` (a climbing-image NEB of one hop). The schema is in
/// inputs/RelaxNebSchema.hpp and documented in docs/relax-neb-format.md.
///
/// Optional numbers are std::nullopt when the file does not give them: the defaults live in
/// neb/ (RelaxParams, CellRelaxParams, NebParams, HopParams) and are applied by the command, so
/// they are defined once.
#include <array>
#include <filesystem>
#include <optional>
#include <string>

#include "inputs/SourceLocations.hpp"
#include "neb/PotentialSpec.hpp"

namespace ionhop::inputs {

/// Which command the job file is for; a relax file must not hold [neb] or [hop].
enum class AtomisticJobKind { relax, neb };

enum class JobOptimizer { lbfgs, fire };
enum class JobCellRelax { none, isotropic, orthorhombic };
enum class JobSprings { constant, energy_weighted };
enum class JobInitialPath { linear, idpp };
/// vacancy / interstitial: end states built from the host structure; band: both end states
/// read from files.
enum class JobHopMechanism { vacancy, interstitial, band };

/// `[structure]`: the host (relax: the structure to relax).
struct JobStructure {
  std::filesystem::path file;             ///< resolved against the job file's directory
  std::array<int, 3> supercell{1, 1, 1};  ///< repetitions along a, b, c
};

/// `[potential]`: a parameter file (inputs/potentials/*.toml) or an inline potential table.
struct JobPotential {
  std::filesystem::path file;  ///< resolved path of the parameter file; empty for an inline potential
  std::string name;            ///< the parameter file's `name` ("" inline)
  std::string citation;        ///< the parameter file's `citation` ("" inline)
  neb::PotentialSpec spec;     ///< what neb::make_potential builds; origins are "file:line"
};

/// `[relax]`: the relaxation (relax job), or the end-state relaxations (NEB job).
struct JobRelax {
  std::optional<JobOptimizer> method;
  std::optional<double> fmax_eV_A;         ///< [eV/Å]
  std::optional<int> max_steps;
  std::optional<double> max_step_A;        ///< [Å]
  JobCellRelax cell = JobCellRelax::none;  ///< NEB job: relax the host's cell before building the hop
  std::optional<double> stress_tol_eV_A3;  ///< [eV/Å³]
};

/// `[neb]`: the band.
struct JobNeb {
  std::optional<int> images;
  std::optional<JobSprings> springs;
  std::optional<double> spring_eV_A2;         ///< k (k_max when energy-weighted) [eV/Å²]
  std::optional<double> spring_min_eV_A2;     ///< k_min of energy-weighted springs [eV/Å²]
  std::optional<bool> climb;
  std::optional<int> climb_after_iterations;
  std::optional<JobOptimizer> method;
  std::optional<double> fmax_eV_A;            ///< [eV/Å]
  std::optional<int> max_iterations;
  std::optional<double> max_step_A;           ///< [Å]
  std::optional<JobInitialPath> path;
  std::optional<double> end_state_fmax_eV_A;  ///< [eV/Å]
  std::optional<double> site_tolerance_A;     ///< [Å]
};

/// `[hop]`: which hop the band describes.
struct JobHop {
  JobHopMechanism mechanism = JobHopMechanism::vacancy;
  std::size_t moving_atom = 0;            ///< vacancy: index (0-based, in the supercell) of the hopping ion
  std::size_t vacancy_site = 0;           ///< vacancy: index of the atom removed; its site is the vacancy
  std::string species;                    ///< interstitial: species of the added ion
  std::array<double, 3> from_fractional{};  ///< interstitial: initial position, fractional in the supercell
  std::array<double, 3> to_fractional{};    ///< interstitial: final position, fractional in the supercell
  std::filesystem::path initial_file;     ///< band: initial state (resolved)
  std::filesystem::path final_file;       ///< band: final state (resolved)
};

struct AtomisticJob {
  AtomisticJobKind kind = AtomisticJobKind::relax;
  std::string name;          ///< `[job] name`; names the output files
  std::string description;
  std::string source_path;   ///< the job file as given
  std::string source_text;   ///< its bytes
  std::optional<JobStructure> structure;  ///< absent only for a band job
  JobPotential potential;
  JobRelax relax;
  JobNeb neb;                ///< NEB jobs only
  JobHop hop;                ///< NEB jobs only
  /// Where every key was written (key paths as in diagnostics, e.g. "hop.moving_atom"), so the
  /// command can point at the key when a check needs the structure (an index out of range).
  SourceLocations locations;
};

std::string to_string(JobOptimizer v);
std::string to_string(JobCellRelax v);
std::string to_string(JobSprings v);
std::string to_string(JobInitialPath v);
std::string to_string(JobHopMechanism v);

}  // namespace ionhop::inputs
