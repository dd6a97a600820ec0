#include "inputs/RelaxNebReader.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "inputs/NearestName.hpp"
#include "inputs/PotentialFileReader.hpp"
#include "inputs/RelaxNebSchema.hpp"
#include "inputs/StudyError.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs {

namespace {

// The typed getters, ranges and diagnostics shared with the study-file reader.
using namespace toml_reading;

constexpr std::array<Choice<JobOptimizer>, 2> kOptimizers{{{"lbfgs", JobOptimizer::lbfgs},
                                                           {"fire", JobOptimizer::fire}}};
constexpr std::array<Choice<JobCellRelax>, 3> kCellModes{{{"none", JobCellRelax::none},
                                                          {"isotropic", JobCellRelax::isotropic},
                                                          {"orthorhombic", JobCellRelax::orthorhombic}}};
constexpr std::array<Choice<JobSprings>, 2> kSpringModes{{{"constant", JobSprings::constant},
                                                          {"energy_weighted", JobSprings::energy_weighted}}};
constexpr std::array<Choice<JobInitialPath>, 2> kPaths{{{"linear", JobInitialPath::linear},
                                                        {"idpp", JobInitialPath::idpp}}};
constexpr std::array<Choice<JobHopMechanism>, 3> kMechanisms{{{"vacancy", JobHopMechanism::vacancy},
                                                              {"interstitial", JobHopMechanism::interstitial},
                                                              {"band", JobHopMechanism::band}}};

/// Supercell repeats along each cell vector.
constexpr IntegerRange kSupercellRepeats{1, 1000};

/// Indices and counts that may be 0.
constexpr IntegerRange kNonNegativeInt{0, INT_MAX};


void read_job(TableReader& s, AtomisticJob& job) {
  if (auto name = s.string("name", Need::required)) {
    if (is_file_name_safe(*name)) job.name = *name;
    else s.error("name", "'" + *name + "' is not a valid job name: use letters, digits and _ - . + only (it names the output files)");
  }
  assign(job.description, s.string("description", Need::optional, Emptiness::allowed));
}

void read_structure(TableReader& s, JobStructure& structure, const std::filesystem::path& base) {
  if (auto file = s.string("file", Need::required)) structure.file = resolve(base, *file);
  if (auto supercell = s.integer_triple("supercell", Need::optional, kSupercellRepeats)) {
    for (std::size_t i = 0; i < 3; ++i) structure.supercell[i] = static_cast<int>((*supercell)[i]);
  }
}

/// Sets each spec's origin ("file:line") from where its table was written in the job file.
void set_origins(neb::PotentialSpec& spec, const std::string& key_path, const SourceLocations& locations) {
  const InputLocation at = locations.find(key_path);
  spec.origin = at.file + ":" + std::to_string(at.line);
  for (std::size_t k = 0; k < spec.terms.size(); ++k)
    set_origins(spec.terms[k], key_path + ".terms[" + std::to_string(k) + "]", locations);
}

void read_potential(TableReader& s, JobPotential& potential, const std::filesystem::path& base) {
  TomlReader& r = s.reader();
  if (s.has("file")) {
    for (auto&& [key, node] : s.table()) {
      const std::string name(key.str());
      if (name != "file")
        r.error_at_key(key, node, s.key_path(name),
                       "'" + name + "' cannot be combined with 'file': give a potential file or an inline potential, not both");
    }
    auto file = s.string("file", Need::required);
    if (!file) return;
    potential.file = resolve(base, *file);
    try {
      PotentialFile parsed = read_potential_file(potential.file.string());
      potential.name = parsed.name;
      potential.citation = parsed.citation;
      potential.spec = std::move(parsed.potential);
    } catch (const StudyError& e) {
      // Problems inside the parameter file are reported where they are; an unreadable file at
      // the `file` key of the job.
      for (Diagnostic d : e.diagnostics()) {
        if (d.line == 0) {
          const InputLocation at = r.locations().find(s.key_path("file"));
          d = {r.file(), at.line, at.column, s.key_path("file"),
               "cannot read the potential file '" + potential.file.string() + "': " + d.message};
        }
        r.diagnostics().push_back(std::move(d));
      }
    }
    return;
  }
  if (!s.has("type")) {
    if (!r.was_suggested(s.key_path("file")) && !r.was_suggested(s.key_path("type")))
      r.error(s.table(), "potential", "missing required key: give 'file' (a potential parameter file) or an inline potential with 'type'");
    return;
  }
  // The inline table has the parameter-file schema: hand it to the parameter-file reader (one
  // reader, one set of rules) as the document {potential = <table>}, and map its diagnostics
  // back to the job file by key path.
  toml::table wrapper;
  wrapper.insert("potential", s.table());
  std::ostringstream text;
  text << wrapper;
  try {
    PotentialFile parsed = parse_potential_file(text.str(), r.file(), base);
    potential.spec = std::move(parsed.potential);
    set_origins(potential.spec, "potential", r.locations());
  } catch (const StudyError& e) {
    for (Diagnostic d : e.diagnostics()) {
      const InputLocation at = r.locations().find(d.key_path);
      d.line = at.line;
      d.column = at.column;
      r.diagnostics().push_back(std::move(d));
    }
  }
}

void read_relax(TableReader& s, JobRelax& relax) {
  relax.method = s.choice("method", Need::optional, kOptimizers);
  relax.fmax_eV_A = s.real("fmax_eV_A", Need::optional, kPositive);
  assign_as(relax.max_steps, s.integer("max_steps", Need::optional, kPositiveInt));
  relax.max_step_A = s.real("max_step_A", Need::optional, kPositive);
  const auto cell = s.choice("cell", Need::optional, kCellModes);
  assign(relax.cell, cell);
  relax.stress_tol_eV_A3 = s.real("stress_tol_eV_A3", Need::optional, kPositive);
  if (s.has("stress_tol_eV_A3") && (!s.has("cell") || (cell && *cell == JobCellRelax::none)))
    s.error("stress_tol_eV_A3", "'stress_tol_eV_A3' applies only with a cell relaxation (cell = \"isotropic\" or \"orthorhombic\")");
}

void read_neb(TableReader& s, JobNeb& neb) {
  assign_as(neb.images, s.integer("images", Need::optional, kPositiveInt));
  neb.springs = s.choice("springs", Need::optional, kSpringModes);
  neb.spring_eV_A2 = s.real("spring_eV_A2", Need::optional, kPositive);
  neb.spring_min_eV_A2 = s.real("spring_min_eV_A2", Need::optional, kPositive);
  if (s.has("spring_min_eV_A2") && neb.springs != JobSprings::energy_weighted)
    s.error("spring_min_eV_A2", "'spring_min_eV_A2' applies only with springs = \"energy_weighted\"");
  if (neb.spring_min_eV_A2 && neb.spring_eV_A2 && *neb.spring_min_eV_A2 > *neb.spring_eV_A2)
    s.error("spring_min_eV_A2", "must not exceed spring_eV_A2 (" + format_real(*neb.spring_eV_A2) + ")");
  neb.climb = s.boolean("climb", Need::optional);
  assign_as(neb.climb_after_iterations, s.integer("climb_after_iterations", Need::optional, kNonNegativeInt));
  neb.method = s.choice("method", Need::optional, kOptimizers);
  neb.fmax_eV_A = s.real("fmax_eV_A", Need::optional, kPositive);
  assign_as(neb.max_iterations, s.integer("max_iterations", Need::optional, kPositiveInt));
  neb.max_step_A = s.real("max_step_A", Need::optional, kPositive);
  neb.path = s.choice("path", Need::optional, kPaths);
  neb.end_state_fmax_eV_A = s.real("end_state_fmax_eV_A", Need::optional, kPositive);
  neb.site_tolerance_A = s.real("site_tolerance_A", Need::optional, kPositive);
}

void read_hop(TableReader& s, JobHop& hop, const std::filesystem::path& base) {
  const auto mechanism = s.choice("mechanism", Need::required, kMechanisms);
  if (!mechanism) return;
  hop.mechanism = *mechanism;
  const std::string with = "does not apply to mechanism = \"" + choice_name(kMechanisms, *mechanism) + "\"";
  if (*mechanism != JobHopMechanism::vacancy) {
    s.forbid("moving_atom", with);
    s.forbid("vacancy_site", with);
  }
  if (*mechanism != JobHopMechanism::interstitial) {
    s.forbid("species", with);
    s.forbid("from_fractional", with);
    s.forbid("to_fractional", with);
  }
  if (*mechanism != JobHopMechanism::band) {
    s.forbid("initial", with);
    s.forbid("final", with);
  }
  switch (*mechanism) {
    case JobHopMechanism::vacancy: {
      const auto moving = s.integer("moving_atom", Need::required, kNonNegativeInt);
      const auto vacancy = s.integer("vacancy_site", Need::required, kNonNegativeInt);
      if (moving) hop.moving_atom = static_cast<std::size_t>(*moving);
      if (vacancy) hop.vacancy_site = static_cast<std::size_t>(*vacancy);
      if (moving && vacancy && *moving == *vacancy)
        s.error("vacancy_site", "must differ from moving_atom (" + std::to_string(*moving) + ")");
      break;
    }
    case JobHopMechanism::interstitial: {
      assign(hop.species, s.string("species", Need::required));
      const auto from = s.real_triple("from_fractional", Need::required, kAnyReal);
      const auto to = s.real_triple("to_fractional", Need::required, kAnyReal);
      if (from) hop.from_fractional = *from;
      if (to) hop.to_fractional = *to;
      if (from && to && *from == *to) s.error("to_fractional", "must differ from from_fractional");
      break;
    }
    case JobHopMechanism::band: {
      if (auto f = s.string("initial", Need::required)) hop.initial_file = resolve(base, *f);
      if (auto f = s.string("final", Need::required)) hop.final_file = resolve(base, *f);
      break;
    }
  }
}

void read_document(TomlReader& reader, const toml::table& root, AtomisticJob& job,
                   const std::filesystem::path& base) {
  reader.record_tree("", root);
  const std::vector<std::string_view> allowed = allowed_section_names(job.kind);
  for (auto&& [key, node] : root) {
    const std::string name(key.str());
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string message = "unknown section '" + name + "'";
    if (job.kind == AtomisticJobKind::relax && (name == "neb" || name == "hop")) {
      message = "section [" + name + "] belongs to an NEB job file (run it with 'ionhop neb')";
    } else if (auto s = nearest_name(name, allowed)) {
      message += "; did you mean '" + *s + "'?";
    } else {
      message += "; known: " + quoted_list(allowed);
    }
    reader.error_at_key(key, node, name, std::move(message));
  }

  auto with = [&](std::string_view name, bool required, auto read) {
    const SectionSchema& schema = relax_neb_section(name);
    const toml::table* table =
        section_table(reader, root, "", schema, name, required ? Need::required : Need::optional);
    if (table == nullptr) return;
    // [potential] keys are open-ended (each type has its own settings): checked by the reader
    // of the parameter-file schema and the potential registry, not against the key table.
    TableReader section(reader, *table, std::string(name), schema,
                        name == "potential" ? KeyCheck::none : KeyCheck::schema);
    read(section);
  };

  const bool is_neb = job.kind == AtomisticJobKind::neb;
  with("job", true, [&](TableReader& s) { read_job(s, job); });
  if (is_neb) with("hop", true, [&](TableReader& s) { read_hop(s, job.hop, base); });
  const bool band = is_neb && job.hop.mechanism == JobHopMechanism::band && root.contains("hop");
  if (band && root.contains("structure")) {
    reader.error(*root.get("structure"), "structure",
                 "[structure] does not apply to mechanism = \"band\": the end states come from hop.initial and hop.final");
  } else {
    with("structure", !band, [&](TableReader& s) {
      JobStructure structure;
      read_structure(s, structure, base);
      job.structure = structure;
    });
  }
  with("potential", true, [&](TableReader& s) { read_potential(s, job.potential, base); });
  with("relax", false, [&](TableReader& s) { read_relax(s, job.relax); });
  if (is_neb) with("neb", false, [&](TableReader& s) { read_neb(s, job.neb); });
  if (band && job.relax.cell != JobCellRelax::none) {
    const std::string p = "relax.cell";
    reader.error(reader.locations().find(p), p,
                 "a cell relaxation needs a host structure; it does not apply to mechanism = \"band\"");
  }
}

}  // namespace

std::string to_string(JobOptimizer v) { return choice_name(kOptimizers, v); }
std::string to_string(JobCellRelax v) { return choice_name(kCellModes, v); }
std::string to_string(JobSprings v) { return choice_name(kSpringModes, v); }
std::string to_string(JobInitialPath v) { return choice_name(kPaths, v); }
std::string to_string(JobHopMechanism v) { return choice_name(kMechanisms, v); }

AtomisticJob read_atomistic_job_string(std::string_view text, std::string source_name, AtomisticJobKind kind,
                                       const std::filesystem::path& base_directory) {
  AtomisticJob job;
  job.kind = kind;
  job.source_path = source_name;
  job.source_text = std::string(text);
  const toml::table root = parse_document(text, source_name);
  TomlReader reader(source_name);
  read_document(reader, root, job, base_directory);
  // Job-file problems in file order; problems inside a potential file after them.
  throw_if_any(std::move(reader.diagnostics()), source_name);
  job.locations = std::move(reader.locations());
  return job;
}

AtomisticJob read_atomistic_job_file(const std::filesystem::path& path, AtomisticJobKind kind) {
  return read_atomistic_job_string(read_text_file(path, "job file"), path.string(), kind, path.parent_path());
}

}  // namespace ionhop::inputs
