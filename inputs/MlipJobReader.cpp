#include "inputs/MlipJobReader.hpp"

#include <algorithm>
#include <climits>
#include <sstream>
#include <utility>
#include <vector>

#include "inputs/EmbeddedAtomisticJob.hpp"
#include "inputs/MlipJobSchema.hpp"
#include "inputs/NearestName.hpp"
#include "inputs/PotentialFileReader.hpp"
#include "inputs/RelaxNebReader.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs {

namespace {

using namespace toml_reading;

constexpr RealRange kHeldOutFraction{0.0, true, 1.0, false};
constexpr IntegerRange kLmax{0, 10};
constexpr IntegerRange kNonNegativeInt{0, INT_MAX};

/// A learn job's sections that the relax/NEB reader reads (as an NEB job).
constexpr std::array<std::string_view, 6> kHopSections{"job", "structure", "potential", "relax", "neb", "hop"};


void read_job(TableReader& s, std::string& name, std::string& description) {
  if (auto n = s.string("name", Need::required)) {
    if (is_file_name_safe(*n)) name = *n;
    else s.error("name", "'" + *n + "' is not a valid job name: use letters, digits and _ - . + only (it names the output files)");
  }
  assign(description, s.string("description", Need::optional, Emptiness::allowed));
}

bool is_data_file(const std::filesystem::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".xyz" || ext == ".extxyz" || ext == ".h5";
}

/// Data-set file names, each with a known extension, resolved.
std::vector<std::filesystem::path> read_files(TableReader& s, std::string_view key, Need need, const std::filesystem::path& base) {
  std::vector<std::filesystem::path> files;
  const auto names = s.strings(key, need, kNonEmpty);
  if (!names) return files;
  for (std::size_t i = 0; i < names->size(); ++i) {
    const std::filesystem::path p((*names)[i]);
    if (!is_data_file(p)) {
      const std::string path = element_path(s.key_path(key), i);
      s.reader().error(s.reader().locations().find(path), path,
                       "'" + (*names)[i] + "' is not a data set: expected extended XYZ (*.xyz, *.extxyz) or HDF5 (*.h5)");
      continue;
    }
    files.push_back(resolve(base, (*names)[i]));
  }
  return files;
}

void read_data(TableReader& s, MlipJobData& d, const std::filesystem::path& base) {
  d.files = read_files(s, "files", Need::required, base);
  assign(d.exclude_config_types, s.strings("exclude_config_types", Need::optional, kNonEmpty));
}

void read_split(TableReader& s, MlipJobSplit& split, const std::filesystem::path& base) {
  split.held_out_fraction = s.real("held_out_fraction", Need::optional, kHeldOutFraction);
  split.held_out_files = read_files(s, "held_out_files", Need::optional, base);
  if (s.has("held_out_fraction") && s.has("held_out_files"))
    s.error("held_out_files", "give either held_out_fraction or held_out_files, not both");
  if (auto seed = s.integer("seed", Need::optional, kNonNegativeLong)) split.seed = static_cast<std::uint64_t>(*seed);
}

void read_basis(TableReader& s, MlipJobBasis& b) {
  assign(b.elements, s.strings("elements", Need::optional, kNonEmpty));
  b.cutoff_A = s.real("cutoff_A", Need::optional, kPositive);
  b.inner_A = s.real("inner_A", Need::optional, kNonNegative);
  if (b.cutoff_A && b.inner_A && !(*b.inner_A < *b.cutoff_A))
    s.error("inner_A", "must be below cutoff_A (" + format_real(*b.cutoff_A) + " A)");
  b.radial_exponent = s.real("radial_exponent", Need::optional, kNonNegative);
  assign_as(b.radial_size_2, s.integer("radial_size_2", Need::optional, kPositiveInt));
  assign_as(b.radial_size_3, s.integer("radial_size_3", Need::optional, kPositiveInt));
  if (auto sizes = s.integers("radial_sizes_3", Need::optional, kNonEmpty, kPositiveInt))
    for (long long v : *sizes) b.radial_sizes_3.push_back(static_cast<int>(v));
  assign_as(b.lmax, s.integer("lmax", Need::optional, kLmax));
  if (const toml::node* node = s.node("body_order")) {
    if (auto order = read_integer(s.reader(), *node, s.key_path("body_order"), kAnyInt)) {
      if (*order >= 2 && *order <= 4) b.body_order = static_cast<int>(*order);
      else s.error("body_order", "expected 2, 3 or 4, got " + std::to_string(*order));
    }
  }
  assign_as(b.radial_size_4, s.integer("radial_size_4", Need::optional, kPositiveInt));
  assign_as(b.lmax_4, s.integer("lmax_4", Need::optional, kLmax));
}

/// Every coulomb_ewald term of `spec` (depth first).
void ewald_terms(const neb::PotentialSpec& spec, std::vector<const neb::PotentialSpec*>& out) {
  if (spec.type == "coulomb_ewald") out.push_back(&spec);
  for (const auto& term : spec.terms) ewald_terms(term, out);
}

void read_baseline(TableReader& s, MlipJobBaseline& b, const std::filesystem::path& base) {
  constexpr std::array<Choice<int>, 2> kTypes{{{"none", 0}, {"coulomb_ewald", 1}}};
  const auto type = s.choice("type", Need::required, kTypes);
  const bool from = s.has("charges_from"), inline_charges = s.has("charges_e");
  if (type && *type == 0) {
    for (std::string_view key : {"charges_from", "charges_e", "real_cutoff_A", "accuracy"})
      s.forbid(key, "does not apply to type = \"none\"");
    return;
  }
  neb::PotentialSpec spec;
  spec.type = "coulomb_ewald";
  spec.origin = s.reader().file() + ":" + std::to_string(s.reader().locations().find(s.path()).line);
  if (from && inline_charges) s.error("charges_e", "give either charges_from or charges_e, not both");
  else if (!from && !inline_charges && type) s.error_here(s.path(), "a coulomb_ewald baseline needs charges_from or charges_e");
  if (from) {
    if (auto file = s.string("charges_from", Need::required)) {
      b.charges_from = resolve(base, *file);
      try {
        const PotentialFile pf = read_potential_file(b.charges_from.string());
        std::vector<const neb::PotentialSpec*> terms;
        ewald_terms(pf.potential, terms);
        if (terms.size() == 1) spec = *terms.front();
        else s.error("charges_from", "'" + *file + "' has " + std::to_string(terms.size()) + " coulomb_ewald terms; expected exactly one");
      } catch (const StudyError& e) {
        for (const Diagnostic& d : e.diagnostics()) s.reader().diagnostics().push_back(d);
      }
    }
  }
  if (inline_charges) {
    const toml::node* node = s.node("charges_e");
    const toml::table* charges = node->as_table();
    if (charges == nullptr) {
      s.error("charges_e", "expected a table of species = charge [e], got " + describe_node(*node));
    } else {
      if (charges->empty()) s.error("charges_e", "needs the charge of at least one species");
      for (auto&& [species, value] : *charges) {
        const std::string path = child_path(s.key_path("charges_e"), species.str());
        if (auto q = read_real(s.reader(), value, path, kAnyReal)) spec.charges_e[std::string(species.str())] = *q;
      }
    }
  }
  if (auto v = s.real("real_cutoff_A", Need::optional, kPositive)) spec.settings["real_cutoff_A"] = *v;
  if (auto v = s.real("accuracy", Need::optional, kOpenUnit)) spec.settings["accuracy"] = *v;
  b.spec = std::move(spec);
}

void read_fit(TableReader& s, MlipJobFit& f) {
  f.energy_sigma_eV_per_atom = s.real("energy_sigma_eV_per_atom", Need::optional, kPositive);
  f.force_sigma_eV_per_A = s.real("force_sigma_eV_per_A", Need::optional, kPositive);
  f.stress_sigma_eV_per_A3 = s.real("stress_sigma_eV_per_A3", Need::optional, kPositive);
  assign(f.lambdas, s.reals("lambdas", Need::optional, kNonEmpty, kPositive));
  assign_as(f.folds, s.integer("folds", Need::optional, kPositiveInt));
  assign_as(f.frames_per_batch, s.integer("frames_per_batch", Need::optional, kPositiveInt));
  if (f.folds && *f.folds == 1 && f.lambdas.size() != 1)
    s.error("folds", "folds = 1 (no cross-validation) needs exactly one value in lambdas");
}

void read_calibration(TableReader& s, MlipJobCalibration& c) {
  c.coverage = s.real("coverage", Need::optional, kOpenUnit);
  c.forces = s.boolean("forces", Need::optional);
}

void read_learn(TableReader& s, MlipJobLearn& l) {
  l.barrier_std_tolerance_eV = s.real("barrier_std_tolerance_eV", Need::optional, kPositive);
  l.image_std_threshold_eV = s.real("image_std_threshold_eV", Need::optional, kPositive);
  l.grade_threshold = s.real("grade_threshold", Need::optional, kPositive);
  assign_as(l.max_refits, s.integer("max_refits", Need::optional, kNonNegativeInt));
  l.min_std_decrease = s.real("min_std_decrease", Need::optional, kUnitFrom);
  assign_as(l.max_labels_per_iteration, s.integer("max_labels_per_iteration", Need::optional, kNonNegativeInt));
  l.label_weight = s.real("label_weight", Need::optional, kNonNegative);
  assign_as(l.calibration_pairs_per_band, s.integer("calibration_pairs_per_band", Need::optional, kNonNegativeInt));
  assign(l.reference_barrier, s.boolean("reference_barrier", Need::optional));
}

/// Reports every top-level name that is not a section of `known`.
void check_sections(TomlReader& reader, const toml::table& root, const std::vector<std::string_view>& known) {
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown section '" + name + "'";
    if (auto s = nearest_name(name, known)) message += "; did you mean '" + *s + "'?";
    else message += "; known: " + quoted_list(known);
    reader.error_at_key(key, node, name, std::move(message));
  }
}

/// Runs `read(TableReader&)` on section `name` of `root` if present (reporting it if required and
/// missing); returns whether it was read.
template <typename Read>
bool with_section(TomlReader& reader, const toml::table& root, MlipJobKind kind, std::string_view name, Read read) {
  const SectionSchema& schema = mlip_job_section(kind, name);
  const toml::table* table =
      section_table(reader, root, "", schema, name, schema.required ? Need::required : Need::optional);
  if (table == nullptr) return false;
  TableReader section(reader, *table, std::string(name), schema);
  read(section);
  return true;
}

std::vector<std::string_view> section_names(MlipJobKind kind) {
  std::vector<std::string_view> names;
  for (const SectionSchema& s : mlip_job_schema(kind)) names.push_back(s.name);
  return names;
}

/// The training sections shared by train and learn jobs.
template <typename Job>
void read_training_sections(TomlReader& reader, const toml::table& root, MlipJobKind kind, Job& job,
                            const std::filesystem::path& base) {
  if (kind == MlipJobKind::learn && root.contains("model") && !root.contains("data") && !reader.was_suggested("data")) {
    // A starting model does not make the frames optional (docs/mlip.md, "Learn from a model").
    reader.error(root, "data",
                 "missing required section [data]: a learn job needs the training frames even with a starting [model] "
                 "(every refit is a new fit on the frames plus the labelled images, with lambda chosen by cross-validation "
                 "and the uncertainties recalibrated on held-out frames; the model file keeps the coefficients and their "
                 "covariance, not the frames): give the frames the model was trained on");
  } else {
    with_section(reader, root, kind, "data", [&](TableReader& s) { read_data(s, job.data, base); });
  }
  with_section(reader, root, kind, "split", [&](TableReader& s) { read_split(s, job.split, base); });
  with_section(reader, root, kind, "basis", [&](TableReader& s) { read_basis(s, job.basis); });
  with_section(reader, root, kind, "baseline", [&](TableReader& s) { read_baseline(s, job.baseline, base); });
  with_section(reader, root, kind, "fit", [&](TableReader& s) { read_fit(s, job.fit); });
  with_section(reader, root, kind, "calibration", [&](TableReader& s) { read_calibration(s, job.calibration); });
}

/// The learn job's NEB sections, read by the relax/NEB reader.
void read_hop_sections(TomlReader& reader, const toml::table& root, MlipLearnJob& job, const std::filesystem::path& base) {
  if (auto hop_job = read_embedded_atomistic_job(reader, root, kHopSections, AtomisticJobKind::neb, base))
    job.hop_job = std::move(*hop_job);
}

template <typename Job, typename ReadDocument>
Job read_job_string(std::string_view text, std::string source_name, ReadDocument read_document) {
  Job job;
  const toml::table root = parse_document(text, source_name);
  TomlReader reader(source_name);
  reader.record_tree("", root);
  read_document(reader, root, job);
  throw_if_any(std::move(reader.diagnostics()), source_name);
  job.locations = std::move(reader.locations());
  return job;
}

}  // namespace

MlipTrainJob read_mlip_train_job_string(std::string_view text, std::string source_name, const std::filesystem::path& base) {
  MlipTrainJob job = read_job_string<MlipTrainJob>(text, source_name, [&](TomlReader& reader, const toml::table& root, MlipTrainJob& j) {
    constexpr MlipJobKind kind = MlipJobKind::train;
    check_sections(reader, root, section_names(kind));
    with_section(reader, root, kind, "job", [&](TableReader& s) { read_job(s, j.name, j.description); });
    read_training_sections(reader, root, kind, j, base);
  });
  job.source_path = source_name;
  job.source_text = std::string(text);
  return job;
}

MlipTestJob read_mlip_test_job_string(std::string_view text, std::string source_name, const std::filesystem::path& base) {
  MlipTestJob job = read_job_string<MlipTestJob>(text, source_name, [&](TomlReader& reader, const toml::table& root, MlipTestJob& j) {
    constexpr MlipJobKind kind = MlipJobKind::test;
    check_sections(reader, root, section_names(kind));
    with_section(reader, root, kind, "job", [&](TableReader& s) { read_job(s, j.name, j.description); });
    with_section(reader, root, kind, "model", [&](TableReader& s) {
      if (auto f = s.string("file", Need::required)) j.model = resolve(base, *f);
    });
    with_section(reader, root, kind, "data", [&](TableReader& s) { read_data(s, j.data, base); });
    with_section(reader, root, kind, "test", [&](TableReader& s) { assign(j.force_uncertainty, s.boolean("force_sigma", Need::optional)); });
  });
  job.source_path = source_name;
  job.source_text = std::string(text);
  return job;
}

MlipLearnJob read_mlip_learn_job_string(std::string_view text, std::string source_name, const std::filesystem::path& base) {
  MlipLearnJob job = read_job_string<MlipLearnJob>(text, source_name, [&](TomlReader& reader, const toml::table& root, MlipLearnJob& j) {
    constexpr MlipJobKind kind = MlipJobKind::learn;
    std::vector<std::string_view> known(kHopSections.begin(), kHopSections.end());
    for (std::string_view name : section_names(kind)) known.push_back(name);
    check_sections(reader, root, known);
    read_hop_sections(reader, root, j, base);
    read_training_sections(reader, root, kind, j, base);
    const bool has_model = with_section(reader, root, kind, "model", [&](TableReader& s) {
      if (auto f = s.string("file", Need::required)) j.model = resolve(base, *f);
    });
    if (has_model)
      for (std::string_view name : {"basis", "baseline"})
        if (const toml::node* node = root.get(name))
          reader.error(*node, std::string(name),
                       "[" + std::string(name) + "] does not apply with a starting [model]: the refits use the model's own");
    with_section(reader, root, kind, "learn", [&](TableReader& s) { read_learn(s, j.learn); });
  });
  job.hop_job.source_path = source_name;
  job.hop_job.source_text = std::string(text);
  job.hop_job.locations = job.locations;
  return job;
}

MlipTrainJob read_mlip_train_job_file(const std::filesystem::path& path) {
  return read_mlip_train_job_string(read_text_file(path, "job file"), path.string(), path.parent_path());
}
MlipTestJob read_mlip_test_job_file(const std::filesystem::path& path) {
  return read_mlip_test_job_string(read_text_file(path, "job file"), path.string(), path.parent_path());
}
MlipLearnJob read_mlip_learn_job_file(const std::filesystem::path& path) {
  return read_mlip_learn_job_string(read_text_file(path, "job file"), path.string(), path.parent_path());
}

}  // namespace ionhop::inputs
