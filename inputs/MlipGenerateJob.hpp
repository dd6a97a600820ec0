#pragma once
/// The typed content of a training-data job file, `ionhop mlip generate JOB.toml`: a host
/// structure, a reference potential, and how many configurations of each kind to label. The
/// schema is inputs/MlipGenerateSchema.hpp, documented in docs/mlip-data.md.
///
/// [job], [structure], [potential] and [relax] mean exactly what they mean in a relax/NEB job
/// (inputs/RelaxNebJob.hpp) and are read by that reader. Numbers the file does not give hold
/// the defaults of neb::TrainingSetPlan (restated in the schema).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "inputs/RelaxNebJob.hpp"
#include "inputs/SourceLocations.hpp"

namespace ionhop::inputs {

/// `[strained]`: homogeneously strained host cells.
struct GenerateStrained {
  int frames = 0;
  double max_strain = 0.03;
  double displacement_A = 0.02;  ///< [Å]
  double weight = 1.0;
};

/// `[displaced]`: the host with random atomic displacements.
struct GenerateDisplaced {
  int frames = 0;
  double displacement_A = 0.1;  ///< [Å]
  double weight = 1.0;
};

/// `[vacancy]` / `[interstitial]`: atoms removed from / added to the host.
struct GenerateDefect {
  int frames = 0;
  std::vector<std::string> species;
  double displacement_A = 0.05;  ///< [Å]
  double weight = 1.0;
};

/// `[md]`: Langevin MD snapshots.
struct GenerateMd {
  std::vector<double> temperatures_K;
  int frames_per_temperature = 0;
  int equilibration_steps = 200;
  int steps_between_frames = 20;
  double timestep_fs = 1.0;
  double friction_per_fs = 0.02;
  double weight = 1.0;
};

/// `[neb]`: the images of a CI-NEB vacancy hop in the host.
struct GenerateNeb {
  std::size_t moving_atom = 0;
  std::size_t vacancy_site = 0;
  std::optional<int> images;
  std::optional<double> fmax_eV_A;            ///< [eV/Å]
  std::optional<int> max_iterations;
  std::optional<JobOptimizer> method;
  std::optional<bool> climb;
  std::optional<JobInitialPath> path;
  std::optional<double> spring_eV_A2;         ///< [eV/Å²]
  double weight = 1.0;
};

/// `[output]`: which files `ionhop mlip generate` writes (<name>.xyz, <name>.h5).
struct GenerateOutput {
  bool xyz = true;
  bool h5 = true;
};

struct MlipGenerateJob {
  std::string name;         ///< `[job] name`; names the output files
  std::string description;
  std::string source_path;  ///< the job file as given
  std::string source_text;  ///< its bytes
  JobStructure structure;
  JobPotential potential;
  JobRelax relax;           ///< host cell relaxation (relax.cell) and NEB end-state relaxations
  std::uint64_t seed = 0;
  GenerateStrained strained;
  GenerateDisplaced displaced;
  GenerateDefect vacancy;
  GenerateDefect interstitial;
  GenerateMd md;
  std::optional<GenerateNeb> neb;
  GenerateOutput output;
  /// Where every key was written (key paths as in diagnostics, e.g. "neb.moving_atom").
  SourceLocations locations;
};

}  // namespace ionhop::inputs
