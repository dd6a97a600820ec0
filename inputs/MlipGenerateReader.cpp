#include "inputs/MlipGenerateReader.hpp"

#include <algorithm>
#include <climits>
#include <sstream>
#include <utility>
#include <vector>

#include "inputs/EmbeddedAtomisticJob.hpp"
#include "inputs/MlipGenerateSchema.hpp"
#include "inputs/NearestName.hpp"
#include "inputs/RelaxNebReader.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs {

namespace {

using namespace toml_reading;

constexpr std::array<Choice<JobOptimizer>, 2> kOptimizers{{{"lbfgs", JobOptimizer::lbfgs}, {"fire", JobOptimizer::fire}}};
constexpr std::array<Choice<JobInitialPath>, 2> kPaths{{{"linear", JobInitialPath::linear}, {"idpp", JobInitialPath::idpp}}};

constexpr IntegerRange kNonNegativeInt{0, INT_MAX};
constexpr RealRange kStrainRange{0.0, true, 0.5, true};

/// The sections the relax/NEB reader reads for us.
constexpr std::array<std::string_view, 4> kSharedSections{"job", "structure", "potential", "relax"};

/// Reads [job], [structure], [potential] and [relax] with the relax-job reader.
void read_shared_sections(TomlReader& reader, const toml::table& root, MlipGenerateJob& job,
                          const std::filesystem::path& base) {
  std::optional<AtomisticJob> relax_job =
      read_embedded_atomistic_job(reader, root, kSharedSections, AtomisticJobKind::relax, base);
  if (!relax_job) return;
  job.name = relax_job->name;
  job.description = relax_job->description;
  if (relax_job->structure) job.structure = *relax_job->structure;
  job.potential = std::move(relax_job->potential);
  job.relax = relax_job->relax;
}

void read_strained(TableReader& s, GenerateStrained& g) {
  assign_as(g.frames, s.integer("frames", Need::required, kNonNegativeInt));
  assign(g.max_strain, s.real("max_strain", Need::optional, kStrainRange));
  assign(g.displacement_A, s.real("displacement_A", Need::optional, kNonNegative));
  assign(g.weight, s.real("weight", Need::optional, kNonNegative));
}

void read_displaced(TableReader& s, GenerateDisplaced& g) {
  assign_as(g.frames, s.integer("frames", Need::required, kNonNegativeInt));
  assign(g.displacement_A, s.real("displacement_A", Need::optional, kNonNegative));
  assign(g.weight, s.real("weight", Need::optional, kNonNegative));
}

void read_defect(TableReader& s, GenerateDefect& g) {
  assign_as(g.frames, s.integer("frames", Need::required, kNonNegativeInt));
  assign(g.species, s.strings("species", Need::required, kNonEmpty, Repeats::allowed));
  assign(g.displacement_A, s.real("displacement_A", Need::optional, kNonNegative));
  assign(g.weight, s.real("weight", Need::optional, kNonNegative));
}

void read_md(TableReader& s, GenerateMd& g) {
  assign(g.temperatures_K, s.reals("temperatures_K", Need::required, kNonEmpty, kPositive));
  assign_as(g.frames_per_temperature, s.integer("frames_per_temperature", Need::required, kNonNegativeInt));
  assign_as(g.equilibration_steps, s.integer("equilibration_steps", Need::optional, kNonNegativeInt));
  assign_as(g.steps_between_frames, s.integer("steps_between_frames", Need::optional, kPositiveInt));
  assign(g.timestep_fs, s.real("timestep_fs", Need::optional, kPositive));
  assign(g.friction_per_fs, s.real("friction_per_fs", Need::optional, kPositive));
  assign(g.weight, s.real("weight", Need::optional, kNonNegative));
}

void read_neb(TableReader& s, GenerateNeb& g) {
  const auto moving = s.integer("moving_atom", Need::required, kNonNegativeInt);
  const auto vacancy = s.integer("vacancy_site", Need::required, kNonNegativeInt);
  assign_as(g.moving_atom, moving);
  assign_as(g.vacancy_site, vacancy);
  if (moving && vacancy && *moving == *vacancy) s.error("vacancy_site", "must differ from moving_atom (" + std::to_string(*moving) + ")");
  if (auto v = s.integer("images", Need::optional, kPositiveInt)) g.images = static_cast<int>(*v);
  g.fmax_eV_A = s.real("fmax_eV_A", Need::optional, kPositive);
  if (auto v = s.integer("max_iterations", Need::optional, kPositiveInt)) g.max_iterations = static_cast<int>(*v);
  g.method = s.choice("method", Need::optional, kOptimizers);
  g.climb = s.boolean("climb", Need::optional);
  g.path = s.choice("path", Need::optional, kPaths);
  g.spring_eV_A2 = s.real("spring_eV_A2", Need::optional, kPositive);
  assign(g.weight, s.real("weight", Need::optional, kNonNegative));
}

void read_output(TableReader& s, GenerateOutput& g) {
  const auto formats = s.strings("formats", Need::optional, kNonEmpty);
  if (!formats) return;
  g.xyz = g.h5 = false;
  const std::array<std::string_view, 2> known{"xyz", "h5"};
  for (std::size_t i = 0; i < formats->size(); ++i) {
    const std::string& f = (*formats)[i];
    if (f == "xyz") {
      g.xyz = true;
    } else if (f == "h5") {
      g.h5 = true;
    } else {
      std::string message = "unknown output format '" + f + "'";
      if (auto near = nearest_name(f, known)) message += "; did you mean '" + *near + "'?";
      else message += "; known: \"xyz\", \"h5\"";
      const std::string path = element_path(s.key_path("formats"), i);
      s.reader().error(s.reader().locations().find(path), path, message);
    }
  }
}

void read_document(TomlReader& reader, const toml::table& root, MlipGenerateJob& job, const std::filesystem::path& base) {
  reader.record_tree("", root);
  std::vector<std::string_view> known;
  for (const SectionSchema& section : mlip_generate_schema()) known.push_back(section.name);
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string message = "unknown section '" + name + "'";
    if (name == "hop") message += "; the hop of a generate job is given in [neb] (moving_atom, vacancy_site)";
    else if (auto s = nearest_name(name, known)) message += "; did you mean '" + *s + "'?";
    else message += "; known: " + quoted_list(known);
    reader.error_at_key(key, node, name, std::move(message));
  }

  read_shared_sections(reader, root, job, base);

  auto with = [&](std::string_view name, auto read) {
    const SectionSchema& schema = mlip_generate_section(name);
    const toml::table* table = section_table(reader, root, "", schema, name, Need::optional);
    if (table == nullptr) return false;
    TableReader section(reader, *table, std::string(name), schema);
    read(section);
    return true;
  };
  with("generate", [&](TableReader& s) { assign_as(job.seed, s.integer("seed", Need::optional, kNonNegativeLong)); });
  with("strained", [&](TableReader& s) { read_strained(s, job.strained); });
  with("displaced", [&](TableReader& s) { read_displaced(s, job.displaced); });
  with("vacancy", [&](TableReader& s) { read_defect(s, job.vacancy); });
  with("interstitial", [&](TableReader& s) { read_defect(s, job.interstitial); });
  with("md", [&](TableReader& s) { read_md(s, job.md); });
  with("neb", [&](TableReader& s) {
    GenerateNeb neb;
    read_neb(s, neb);
    job.neb = neb;
  });
  with("output", [&](TableReader& s) { read_output(s, job.output); });

  const long long frames = static_cast<long long>(job.strained.frames) + job.displaced.frames + job.vacancy.frames +
                           job.interstitial.frames +
                           static_cast<long long>(job.md.frames_per_temperature) * static_cast<long long>(job.md.temperatures_K.size());
  const bool sections_ok = reader.diagnostics().empty();
  if (sections_ok && frames == 0 && !job.neb)
    reader.error(root, "", "the job generates no frames: give a positive 'frames' in [strained], [displaced], [vacancy] or "
                           "[interstitial], 'frames_per_temperature' in [md], or a [neb] hop");
}

}  // namespace

MlipGenerateJob read_mlip_generate_job_string(std::string_view text, std::string source_name,
                                              const std::filesystem::path& base_directory) {
  MlipGenerateJob job;
  job.source_path = source_name;
  job.source_text = std::string(text);
  const toml::table root = parse_document(text, source_name);
  TomlReader reader(source_name);
  read_document(reader, root, job, base_directory);
  throw_if_any(std::move(reader.diagnostics()), source_name);
  job.locations = std::move(reader.locations());
  return job;
}

MlipGenerateJob read_mlip_generate_job_file(const std::filesystem::path& path) {
  return read_mlip_generate_job_string(read_text_file(path, "job file"), path.string(), path.parent_path());
}

}  // namespace ionhop::inputs
