#include "inputs/RelaxNebSchema.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace ionhop::inputs {

namespace {

constexpr std::array<KeySchema, 2> kJobKeys{{
    {"name", "string", "", "required",
     "Name of the job; names the output files. Letters, digits and `_ - . +` only."},
    {"description", "string", "", "\"\"", "Free text, stored in the NEB record."},
}};

constexpr std::array<KeySchema, 2> kStructureKeys{{
    {"file", "string", "", "required",
     "Structure file, relative to the job file: CIF (`*.cif`, fully occupied sites only), "
     "POSCAR/CONTCAR (`POSCAR*`, `CONTCAR*`, `*.vasp`, `*.poscar`) or extended XYZ "
     "(`*.xyz`, `*.extxyz`; the last frame)."},
    {"supercell", "array of 3 integers", "", "[1, 1, 1]",
     "Repetitions of the file's cell along a, b, c; each ≥ 1. Atom indices in `[hop]` refer to "
     "the supercell (cell by cell, a fastest; in each copy the file's order)."},
}};

constexpr std::array<KeySchema, 6> kPotentialKeys{{
    {"file", "string", "", "one of `file`, `type`",
     "Potential parameter file (e.g. `inputs/potentials/pedone.toml`), relative to the job "
     "file. No other key may be given with it."},
    {"type", "string", "", "one of `file`, `type`",
     "Inline potential: a registry name (`lennard_jones`, `morse`, `buckingham`, "
     "`repulsion_r12`, `coulomb_ewald`, `coulomb_dsf`, `sum`, `mlip`), with the keys below and "
     "the type's numeric settings (`cutoff_A`, `real_cutoff_A`, `accuracy`, …) as in a parameter "
     "file."},
    {"charges_e", "table species = float", "e", "—", "Inline Coulomb terms: charge per species."},
    {"pairs", "array of tables", "", "—",
     "Inline pair terms: `{ species = [\"A\", \"B\"], <coefficients> }`, e.g. `epsilon_eV`, "
     "`sigma_A` for `lennard_jones`."},
    {"terms", "array of potential tables `[[potential.terms]]`", "", "—",
     "Inline `sum`: the summed potentials, each with its own `type` and keys."},
    {"model", "string", "", "required for `mlip`",
     "Inline `mlip`: the model file (HDF5, written by `ionhop mlip train` or `learn`), relative to "
     "the job file; it must exist. `mlip` takes no other key (the model file holds its basis and "
     "baseline)."},
}};

constexpr std::array<KeySchema, 6> kRelaxKeys{{
    {"method", "string", "", "\"lbfgs\"", "Optimizer: `\"lbfgs\"` or `\"fire\"`."},
    {"fmax_eV_A", "float", "eV/Å", "0.01",
     "Converged when the largest free-atom force is below this, > 0."},
    {"max_steps", "integer", "", "1000", "Optimizer step limit, ≥ 1."},
    {"max_step_A", "float", "Å", "0.2", "Largest atomic displacement per step, > 0."},
    {"cell", "string", "", "\"none\"",
     "Cell relaxation to zero stress: `\"none\"`, `\"isotropic\"` or `\"orthorhombic\"` (no "
     "shear). In an NEB job it relaxes the host (cell and atoms) before the hop is built."},
    {"stress_tol_eV_A3", "float", "eV/Å³", "1e-4",
     "With a cell relaxation: converged when every relaxed stress component is below this, > 0."},
}};

constexpr std::array<KeySchema, 13> kNebKeys{{
    {"images", "integer", "", "7", "Intermediate images (the band has images + 2), ≥ 1."},
    {"springs", "string", "", "\"constant\"",
     "`\"constant\"` or `\"energy_weighted\"` (Henkelman, Uberuaga & Jónsson 2000)."},
    {"spring_eV_A2", "float", "eV/Å²", "0.1",
     "Spring constant (k_max when energy-weighted), > 0."},
    {"spring_min_eV_A2", "float", "eV/Å²", "0.02",
     "k_min of energy-weighted springs, > 0 and ≤ `spring_eV_A2`; only with energy-weighted springs."},
    {"climb", "boolean", "", "true", "Use a climbing image."},
    {"climb_after_iterations", "integer", "", "0",
     "0: climb from the start; n: switch climbing on after n iterations (or once the plain band "
     "has converged), ≥ 0."},
    {"method", "string", "", "\"lbfgs\"", "Band optimizer: `\"lbfgs\"` or `\"fire\"`."},
    {"fmax_eV_A", "float", "eV/Å", "0.05",
     "Converged when the largest perpendicular force (climbing image: full force) is below this, > 0."},
    {"max_iterations", "integer", "", "1000", "Band optimizer step limit, ≥ 1."},
    {"max_step_A", "float", "Å", "0.2", "Largest atomic displacement per band step, > 0."},
    {"path", "string", "", "\"linear\"",
     "Initial path: `\"linear\"` or `\"idpp\"` (Smidstrup et al. 2014)."},
    {"end_state_fmax_eV_A", "float", "eV/Å", "0.1",
     "An end state with a larger force is not a minimum; ≥ the relaxation's `fmax_eV_A`."},
    {"site_tolerance_A", "float", "Å", "0.5",
     "An atom that moves further while its end state relaxes has left its site (no band is run), > 0."},
}};

constexpr std::array<KeySchema, 8> kHopKeys{{
    {"mechanism", "string", "", "required",
     "`\"vacancy\"`, `\"interstitial\"` or `\"band\"` (both end states from files)."},
    {"moving_atom", "integer", "", "required for `vacancy`",
     "Index (0-based, in the supercell) of the ion that hops, ≥ 0."},
    {"vacancy_site", "integer", "", "required for `vacancy`",
     "Index of the atom removed: its site is the vacancy the moving ion hops into. A different "
     "atom of the same species."},
    {"species", "string", "", "required for `interstitial`",
     "Species of the interstitial ion added to the host (appended as the last atom)."},
    {"from_fractional", "array of 3 floats", "", "required for `interstitial`",
     "Initial position of the interstitial, fractional coordinates of the supercell."},
    {"to_fractional", "array of 3 floats", "", "required for `interstitial`",
     "Final position of the interstitial, fractional coordinates of the supercell."},
    {"initial", "string", "", "required for `band`",
     "Initial-state structure file, relative to the job file (any format of `[structure] file`)."},
    {"final", "string", "", "required for `band`",
     "Final-state structure file: the same atoms in the same order and the same cell."},
}};

constexpr std::array<SectionSchema, 6> kSections{{
    {"job", false, true, "Names the job.", kJobKeys},
    {"structure", false, false,
     "The structure to relax, or the host of the hop. Required, except for an NEB job with "
     "`mechanism = \"band\"`, where it must be absent.",
     kStructureKeys},
    {"potential", false, true,
     "The interatomic potential: a parameter file, or the same table written inline.",
     kPotentialKeys},
    {"relax", false, false,
     "The relaxation (relax job), or the end-state relaxations and the optional host cell "
     "relaxation (NEB job).",
     kRelaxKeys},
    {"neb", false, false, "NEB jobs only: the climbing-image band.", kNebKeys},
    {"hop", false, false, "NEB jobs only (required there): the hop.", kHopKeys},
}};

}  // namespace

std::span<const SectionSchema> relax_neb_schema() { return kSections; }

const SectionSchema& relax_neb_section(std::string_view name) {
  for (const SectionSchema& section : kSections) {
    if (section.name == name) return section;
  }
  throw std::out_of_range("no section '" + std::string(name) + "' in the relax/NEB job schema");
}

bool section_allowed(AtomisticJobKind kind, std::string_view name) {
  if (name == "neb" || name == "hop") return kind == AtomisticJobKind::neb;
  return std::any_of(kSections.begin(), kSections.end(),
                     [&](const SectionSchema& s) { return s.name == name; });
}

std::vector<std::string_view> allowed_section_names(AtomisticJobKind kind) {
  std::vector<std::string_view> names;
  for (const SectionSchema& section : kSections) {
    if (section_allowed(kind, section.name)) names.push_back(section.name);
  }
  return names;
}

std::string format_relax_neb_schema_reference() {
  std::string text;
  for (const SectionSchema& section : kSections) text += format_section_reference(section, "");
  return text;
}

}  // namespace ionhop::inputs
