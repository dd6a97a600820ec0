#include "inputs/MlipJobSchema.hpp"

#include <array>
#include <stdexcept>

namespace ionhop::inputs {

namespace {

constexpr std::array<KeySchema, 2> kJobKeys{{
    {"name", "string", "", "required",
     "Name of the job; names the output files. Letters, digits and `_ - . +` only."},
    {"description", "string", "", "\"\"", "Free text, stored in the output files."},
}};

constexpr std::array<KeySchema, 2> kDataKeys{{
    {"files", "array of strings", "", "required",
     "Labelled frames: extended XYZ (`*.xyz`, `*.extxyz`) or HDF5 data sets (`*.h5`, as written by "
     "`ionhop mlip generate`), relative to the job file; read in the order given."},
    {"exclude_config_types", "array of strings", "", "[]",
     "Frames whose `config_type` is one of these are left out (e.g. `[\"neb\"]` to start active "
     "learning without the reference's band)."},
}};

constexpr std::array<KeySchema, 3> kSplitKeys{{
    {"held_out_fraction", "float", "", "0.2",
     "Fraction of the `[data]` frames held out for calibration (never trained on), drawn at random "
     "with `seed`; in [0, 1). At least one frame is trained on. Not with `held_out_files`."},
    {"held_out_files", "array of strings", "", "—",
     "Held-out frames from these files instead (relative to the job file); then every `[data]` "
     "frame is trained on."},
    {"seed", "integer", "", "0", "Seed of the random held-out draw, ≥ 0."},
}};

constexpr std::array<KeySchema, 11> kBasisKeys{{
    {"elements", "array of strings", "", "species of the data",
     "Chemical symbols, in coefficient-block order; default: every species of the data, sorted."},
    {"cutoff_A", "float", "Å", "5.5", "Cutoff radius r_c, > inner_A."},
    {"inner_A", "float", "Å", "1.0", "Inner radius r_in of the radial map and cutoff function, ≥ 0."},
    {"radial_exponent", "float", "", "4.0", "q of the exponential distance transform, ≥ 0 (0: linear)."},
    {"radial_size_2", "integer", "", "12", "Radial functions per neighbour element, body order 2; ≥ 1."},
    {"radial_size_3", "integer", "", "5", "Radial functions per neighbour element, body order 3; ≥ 1."},
    {"radial_sizes_3", "array of integers", "", "—",
     "Candidate `radial_size_3` values chosen by cross-validation together with λ (each ≥ 1)."},
    {"lmax", "integer", "", "4", "Largest angular degree of body order 3, in [0, 10]."},
    {"body_order", "integer", "", "3", "2 (pair terms only), 3 or 4 (each includes the lower orders)."},
    {"radial_size_4", "integer", "", "2", "Radial functions per neighbour element, body order 4; ≥ 1."},
    {"lmax_4", "integer", "", "2", "Largest angular degree of body order 4, in [0, 10]."},
}};

constexpr std::array<KeySchema, 5> kBaselineKeys{{
    {"type", "string", "", "required",
     "`\"none\"` (the ML part learns everything within its cutoff) or `\"coulomb_ewald\"` (a "
     "fixed-charge Ewald baseline; the ML part learns the remainder)."},
    {"charges_from", "string", "", "one of `charges_from`, `charges_e`",
     "Potential file (relative to the job file) whose `coulomb_ewald` term is the baseline, with its "
     "charges and settings — e.g. the reference force field's own Coulomb term."},
    {"charges_e", "table species = float", "e", "one of `charges_from`, `charges_e`", "Charge per species."},
    {"real_cutoff_A", "float", "Å", "the term's", "Ewald real-space cutoff, > 0."},
    {"accuracy", "float", "", "the term's", "Ewald relative force accuracy, in (0, 1)."},
}};

constexpr std::array<KeySchema, 6> kFitKeys{{
    {"energy_sigma_eV_per_atom", "float", "eV/atom", "0.001",
     "Nominal noise of energies per atom: rows weighted by frame weight / σ², > 0."},
    {"force_sigma_eV_per_A", "float", "eV/Å", "0.02", "Nominal noise of force components, > 0."},
    {"stress_sigma_eV_per_A3", "float", "eV/Å³", "0.002", "Nominal noise of stress components, > 0."},
    {"lambdas", "array of floats", "", "1e-12 … 1e-3 (17 values)",
     "Candidate ridge regularisations (on the unit-diagonal normal matrix), each > 0, chosen by "
     "k-fold cross-validation."},
    {"folds", "integer", "", "5", "k of k-fold cross-validation, ≥ 2 (1 only with a single λ)."},
    {"frames_per_batch", "integer", "", "16",
     "Frames whose design blocks are built at once (memory ∝ frames × rows × coefficients), ≥ 1."},
}};

constexpr std::array<KeySchema, 2> kCalibrationKeys{{
    {"coverage", "float", "", "0.95",
     "Calibrated z_p σ covers this fraction of the held-out errors (z_p the normal quantile), in (0, 1)."},
    {"forces", "boolean", "", "true",
     "Also calibrate the force σ (one design block per held-out frame)."},
}};

constexpr std::array<KeySchema, 1> kModelKeys{{
    {"file", "string", "", "required", "Model file (`ionhop mlip train` output), relative to the job file."},
}};

constexpr std::array<KeySchema, 1> kLearnModelKeys{{
    {"file", "string", "", "required",
     "Starting model (relative to the job file): the first band runs on it; every refit uses its "
     "basis and baseline (then `[basis]` and `[baseline]` must not be given) on the `[data]` frames."},
}};

constexpr std::array<KeySchema, 1> kTestKeys{{
    {"force_sigma", "boolean", "", "true",
     "Compute the calibrated σ of every force component (one design block per frame) for the "
     "parity data and the 2σ coverage."},
}};

constexpr std::array<KeySchema, 9> kLearnKeys{{
    {"barrier_std_tolerance_eV", "float", "eV", "0.01",
     "Stop when the calibrated σ of the barrier (saddle − initial state, exact for the linear "
     "model) is below this, > 0."},
    {"image_std_threshold_eV", "float", "eV", "0.01",
     "Label a band image when σ(E_image − E_initial) exceeds this, > 0."},
    {"grade_threshold", "float", "", "5.0",
     "… or when its extrapolation grade exceeds this (≈ 1 for training-like atoms), > 0."},
    {"max_refits", "integer", "", "5", "Refit at most this many times, ≥ 0."},
    {"min_std_decrease", "float", "", "0.05",
     "Stop (stalled) when a refit lowered the barrier σ by less than this fraction, in [0, 1): the "
     "remaining σ is the calibrated misfit of the basis, which more labels of the band do not remove."},
    {"max_labels_per_iteration", "integer", "", "0",
     "Label at most this many images per iteration, the most uncertain first; 0: no limit."},
    {"label_weight", "float", "", "1", "Training weight of the labelled images, ≥ 0."},
    {"calibration_pairs_per_band", "integer", "", "10",
     "Label this many perturbed (saddle, initial) pairs of each band as held-out hop-like pairs "
     "(never trained on) and recalibrate the barrier σ on them, ≥ 0; 0: calibrate on frames only."},
    {"reference_barrier", "boolean", "", "false",
     "Also run the hop on the reference potential and print the barrier for comparison."},
}};

constexpr SectionSchema kJob{"job", false, true, "Names the job and its output files.", kJobKeys};
constexpr SectionSchema kData{"data", false, true, "The labelled frames.", kDataKeys};
constexpr SectionSchema kSplit{"split", false, false,
                               "Held-out frames for the calibration of the uncertainties.", kSplitKeys};
constexpr SectionSchema kBasis{"basis", false, false, "The ACE basis (docs/mlip.md, Model).", kBasisKeys};
constexpr SectionSchema kBaseline{"baseline", false, false,
                                  "The fixed baseline under the ML energy; no section: none.", kBaselineKeys};
constexpr SectionSchema kFit{"fit", false, false, "The regularised least-squares fit and its cross-validation.", kFitKeys};
constexpr SectionSchema kCalibration{"calibration", false, false, "Calibration on the held-out frames.", kCalibrationKeys};

constexpr std::array<SectionSchema, 7> kTrainSections{{kJob, kData, kSplit, kBasis, kBaseline, kFit, kCalibration}};

constexpr std::array<SectionSchema, 4> kTestSections{{
    kJob,
    {"model", false, true, "Test job: the model to test.", kModelKeys},
    kData,
    {"test", false, false, "What to compute.", kTestKeys},
}};

constexpr std::array<SectionSchema, 8> kLearnSections{{
    kData,
    {"model", false, false, "Learn job: a starting model instead of a first fit.", kLearnModelKeys},
    kSplit,
    kBasis,
    kBaseline,
    kFit,
    kCalibration,
    {"learn", false, false, "The active-learning loop.", kLearnKeys},
}};

}  // namespace

std::span<const SectionSchema> mlip_job_schema(MlipJobKind kind) {
  switch (kind) {
    case MlipJobKind::train: return kTrainSections;
    case MlipJobKind::test: return kTestSections;
    case MlipJobKind::learn: return kLearnSections;
  }
  return {};
}

const SectionSchema& mlip_job_section(MlipJobKind kind, std::string_view name) {
  for (const SectionSchema& section : mlip_job_schema(kind))
    if (section.name == name) return section;
  throw std::out_of_range("no section '" + std::string(name) + "' in this mlip job schema");
}

std::string format_mlip_job_schema_reference(MlipJobKind kind) {
  auto same = [](const SectionSchema& a, const SectionSchema& b) {
    return a.name == b.name && a.required == b.required && a.meaning == b.meaning && a.keys.data() == b.keys.data();
  };
  std::string text;
  for (const SectionSchema& section : mlip_job_schema(kind)) {
    bool shown_before = false;
    for (MlipJobKind earlier : {MlipJobKind::train, MlipJobKind::test}) {
      if (earlier >= kind) break;
      for (const SectionSchema& other : mlip_job_schema(earlier)) shown_before = shown_before || same(section, other);
    }
    if (!shown_before) text += format_section_reference(section, " (optional)");
  }
  return text;
}

}  // namespace ionhop::inputs
