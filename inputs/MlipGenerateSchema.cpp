#include "inputs/MlipGenerateSchema.hpp"

#include <array>
#include <stdexcept>

#include "inputs/RelaxNebSchema.hpp"

namespace ionhop::inputs {

namespace {

constexpr std::array<KeySchema, 1> kGenerateKeys{{
    {"seed", "integer", "", "0",
     "Seed of every random number (strains, displacements, defect sites, MD); ≥ 0. The same "
     "job and seed give the same frames, whatever the thread count."},
}};

constexpr std::array<KeySchema, 4> kStrainedKeys{{
    {"frames", "integer", "", "required", "Number of strained cells, ≥ 0."},
    {"max_strain", "float", "", "0.03",
     "Each of the six components of the symmetric strain ε is uniform in [−max, max]; the cell "
     "and the atoms are deformed by (I + ε). In [0, 0.5]."},
    {"displacement_A", "float", "Å", "0.02",
     "Gaussian random displacement (standard deviation per Cartesian component) added after "
     "straining, ≥ 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 3> kDisplacedKeys{{
    {"frames", "integer", "", "required", "Number of displaced copies of the host, ≥ 0."},
    {"displacement_A", "float", "Å", "0.1",
     "Standard deviation of the Gaussian displacement of every free atom, per Cartesian "
     "component, ≥ 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 4> kVacancyKeys{{
    {"frames", "integer", "", "required", "Number of frames with vacancies, ≥ 0."},
    {"species", "array of strings", "", "required",
     "One atom of each listed species is removed at random (repeat a species to remove several): "
     "`[\"Li\"]` leaves a charged cell (the Ewald term adds a neutralising background), "
     "`[\"Li\", \"Li\", \"O\"]` is a neutral Schottky defect in Li₂O."},
    {"displacement_A", "float", "Å", "0.05", "Gaussian displacement per component after removal, ≥ 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 4> kInterstitialKeys{{
    {"frames", "integer", "", "required", "Number of frames with interstitials, ≥ 0."},
    {"species", "array of strings", "", "required",
     "One atom of each listed species is added, each at the point farthest from all atoms among "
     "512 random points (an interstitial void). One ion leaves the cell charged, as for vacancies."},
    {"displacement_A", "float", "Å", "0.05", "Gaussian displacement per component after insertion, ≥ 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 7> kMdKeys{{
    {"temperatures_K", "array of floats", "K", "required",
     "One Langevin (BAOAB) trajectory of the host per temperature, each > 0, e.g. `[300, 900, 1500]`."},
    {"frames_per_temperature", "integer", "", "required", "Snapshots per temperature, ≥ 0."},
    {"equilibration_steps", "integer", "", "200", "Steps before the first snapshot, ≥ 0."},
    {"steps_between_frames", "integer", "", "20",
     "Steps between snapshots, ≥ 1; with the default friction (1/γ = 50 fs) 20 fs apart."},
    {"timestep_fs", "float", "fs", "1.0", "Time step, > 0."},
    {"friction_per_fs", "float", "1/fs", "0.02", "Langevin friction γ, > 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 10> kNebKeys{{
    {"moving_atom", "integer", "", "required",
     "Index (0-based, in the supercell) of the ion that hops into the vacancy, ≥ 0."},
    {"vacancy_site", "integer", "", "required",
     "Index of the atom removed to make the vacancy; same species as `moving_atom`."},
    {"images", "integer", "", "7", "Intermediate images, ≥ 1; every image of the band is a frame."},
    {"fmax_eV_A", "float", "eV/Å", "0.05", "Band convergence (max perpendicular force), > 0."},
    {"max_iterations", "integer", "", "1000", "Band optimizer step limit, ≥ 1."},
    {"method", "string", "", "\"lbfgs\"", "Band optimizer: `\"lbfgs\"` or `\"fire\"`."},
    {"climb", "boolean", "", "true", "Use a climbing image."},
    {"path", "string", "", "\"linear\"", "Initial path: `\"linear\"` or `\"idpp\"`."},
    {"spring_eV_A2", "float", "eV/Å²", "0.1", "Spring constant, > 0."},
    {"weight", "float", "", "1", "Training weight of these frames, ≥ 0."},
}};

constexpr std::array<KeySchema, 1> kOutputKeys{{
    {"formats", "array of strings", "", "[\"xyz\", \"h5\"]",
     "Files to write (into `--outdir`): `\"xyz\"` → `<name>.xyz` (extended XYZ), `\"h5\"` → "
     "`<name>.h5` (the HDF5 data set); at least one."},
}};

constexpr std::array<SectionSchema, 12> kSections{{
    {"job", false, true, "Names the job: the output files are `<name>.xyz` and `<name>.h5`.", {}},
    {"structure", false, true, "The host structure, as in a relax/NEB job.", {}},
    {"potential", false, true, "The reference potential that labels every frame, as in a relax/NEB job.", {}},
    {"relax", false, false,
     "As in an NEB job: `cell` relaxes the host (cell and atoms) before anything is generated, so "
     "the data are centred on the reference's own equilibrium; the other keys set the NEB "
     "end-state relaxations.",
     {}},
    {"generate", false, false, "The random seed.", kGenerateKeys},
    {"strained", false, false, "Strained cells (config_type `strained`).", kStrainedKeys},
    {"displaced", false, false, "Randomly displaced atoms (config_type `displaced`).", kDisplacedKeys},
    {"vacancy", false, false, "Vacancies (config_type `vacancy`).", kVacancyKeys},
    {"interstitial", false, false, "Interstitials (config_type `interstitial`).", kInterstitialKeys},
    {"md", false, false,
     "Langevin MD snapshots (config_type `md`; info `temperature_K`, `time_fs`).", kMdKeys},
    {"neb", false, false,
     "The images of a climbing-image NEB vacancy hop in the host, end states relaxed with "
     "`[relax]` (config_type `neb`; info `image`, `hop_status`, `barrier_forward_eV`).",
     kNebKeys},
    {"output", false, false, "Which files to write.", kOutputKeys},
}};

}  // namespace

std::span<const SectionSchema> mlip_generate_schema() {
  return kSections;
}

const SectionSchema& mlip_generate_section(std::string_view name) {
  for (const SectionSchema& section : kSections) {
    if (section.name == name) return section;
  }
  throw std::out_of_range("no section '" + std::string(name) + "' in the mlip generate job schema");
}

std::string format_mlip_generate_schema_reference() {
  std::string text;
  for (const SectionSchema& section : kSections) {
    // The relax/NEB sections are documented in docs/relax-neb-format.md; their key tables are
    // repeated here so this reference is complete.
    const bool shared = section.keys.empty();
    SectionSchema shown = section;
    if (shared) shown.keys = relax_neb_section(section.name).keys;
    text += format_section_reference(shown, " (optional)");
  }
  return text;
}

}  // namespace ionhop::inputs
