#include "inputs/EmbeddedAtomisticJob.hpp"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "inputs/RelaxNebReader.hpp"
#include "inputs/StudyError.hpp"

namespace ionhop::inputs::toml_reading {

std::optional<AtomisticJob> read_embedded_atomistic_job(TomlReader& reader, const toml::table& root,
                                                        std::span<const std::string_view> sections,
                                                        AtomisticJobKind kind, const std::filesystem::path& base) {
  toml::table shared;
  for (std::string_view name : sections)
    if (const toml::node* node = root.get(name)) node->visit([&](auto&& value) { shared.insert(name, value); });
  std::ostringstream text;
  text << shared;
  try {
    AtomisticJob job = read_atomistic_job_string(text.str(), reader.file(), kind, base);
    if (job.potential.file.empty()) {
      std::vector<std::pair<neb::PotentialSpec*, std::string>> stack{{&job.potential.spec, "potential"}};
      while (!stack.empty()) {
        auto [spec, path] = stack.back();
        stack.pop_back();
        spec->origin = reader.file() + ":" + std::to_string(reader.locations().find(path).line);
        for (std::size_t k = 0; k < spec->terms.size(); ++k)
          stack.emplace_back(&spec->terms[k], path + ".terms[" + std::to_string(k) + "]");
      }
    }
    return job;
  } catch (const StudyError& e) {
    for (Diagnostic d : e.diagnostics()) {
      if (d.file == reader.file()) {
        const InputLocation at = reader.locations().find(d.key_path);
        d.line = at.line;
        d.column = at.column;
      }
      reader.diagnostics().push_back(std::move(d));
    }
  }
  return std::nullopt;
}

}  // namespace ionhop::inputs::toml_reading
