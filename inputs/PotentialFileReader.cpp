#include "inputs/PotentialFileReader.hpp"

#include <toml++/toml.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include "inputs/StudyError.hpp"

namespace ionhop::inputs {
namespace {

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void error(const toml::node* node, const std::string& path, const std::string& message) {
    Diagnostic d;
    d.file = file_;
    if (node != nullptr) {
      d.line = static_cast<int>(node->source().begin.line);
      d.column = static_cast<int>(node->source().begin.column);
    }
    d.key_path = path;
    d.message = message;
    diagnostics_.push_back(std::move(d));
  }

  std::string origin(const toml::node& node) const { return file_ + ":" + std::to_string(node.source().begin.line); }

  neb::PotentialSpec potential(const toml::table& table, const std::string& path) {
    neb::PotentialSpec spec;
    spec.origin = origin(table);
    for (const auto& [key_view, node] : table) {
      const std::string key(key_view.str());
      const std::string here = path + "." + key;
      if (key == "type") {
        if (const auto* s = node.as_string()) spec.type = s->get();
        else error(&node, here, "expected a string (a potential type)");
      } else if (key == "charges_e") {
        const auto* t = node.as_table();
        if (t == nullptr) {
          error(&node, here, "expected a table of species = charge [e]");
          continue;
        }
        for (const auto& [species, value] : *t) {
          if (auto x = number(value)) spec.charges_e[std::string(species.str())] = *x;
          else error(&value, here + "." + std::string(species.str()), "expected a number (charge in e)");
        }
      } else if (key == "pairs") {
        const auto* array = node.as_array();
        if (array == nullptr) {
          error(&node, here, "expected an array of tables");
          continue;
        }
        for (std::size_t k = 0; k < array->size(); ++k) {
          const std::string item_path = here + "[" + std::to_string(k) + "]";
          const auto* t = (*array)[k].as_table();
          if (t == nullptr) {
            error(&(*array)[k], item_path, "expected a table with species = [\"A\", \"B\"] and coefficients");
            continue;
          }
          spec.pairs.push_back(pair(*t, item_path));
        }
      } else if (key == "terms") {
        const auto* array = node.as_array();
        if (array == nullptr) {
          error(&node, here, "expected an array of potential tables");
          continue;
        }
        for (std::size_t k = 0; k < array->size(); ++k) {
          const std::string item_path = here + "[" + std::to_string(k) + "]";
          if (const auto* t = (*array)[k].as_table()) spec.terms.push_back(potential(*t, item_path));
          else error(&(*array)[k], item_path, "expected a potential table");
        }
      } else if (auto x = number(node)) {
        spec.settings[key] = *x;
      } else {
        error(&node, here, "expected a number (a setting with its unit in the name)");
      }
    }
    if (spec.type.empty()) error(&table, path, "missing 'type'");
    return spec;
  }

  std::vector<Diagnostic>& diagnostics() { return diagnostics_; }

 private:
  static std::optional<double> number(const toml::node& node) {
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    return std::nullopt;
  }

  neb::PairCoefficients pair(const toml::table& t, const std::string& path) {
    neb::PairCoefficients p;
    bool has_species = false;
    for (const auto& [key_view, node] : t) {
      const std::string key(key_view.str());
      if (key == "species") {
        const auto* a = node.as_array();
        if (a != nullptr && a->size() == 2 && (*a)[0].is_string() && (*a)[1].is_string()) {
          p.species_a = (*a)[0].as_string()->get();
          p.species_b = (*a)[1].as_string()->get();
          has_species = true;
        } else {
          error(&node, path + ".species", "expected two species names, e.g. [\"Li\", \"O\"]");
        }
      } else if (auto x = number(node)) {
        p.values[key] = *x;
      } else {
        error(&node, path + "." + key, "expected a number");
      }
    }
    if (!has_species && t.find("species") == t.end()) error(&t, path, "missing 'species'");
    return p;
  }

  std::string file_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

PotentialFile parse_potential_file(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    Diagnostic d;
    d.file = source;
    d.line = static_cast<int>(e.source().begin.line);
    d.column = static_cast<int>(e.source().begin.column);
    d.message = std::string(e.description());
    throw StudyError({d});
  }
  Reader reader(source);
  PotentialFile out;
  for (const auto& [key_view, node] : root) {
    const std::string key(key_view.str());
    if (key == "name" || key == "citation") {
      if (const auto* s = node.as_string()) (key == "name" ? out.name : out.citation) = s->get();
      else reader.error(&node, key, "expected a string");
    } else if (key == "potential") {
      if (const auto* t = node.as_table()) out.potential = reader.potential(*t, "potential");
      else reader.error(&node, key, "expected a table");
    } else {
      reader.error(&node, key, "unknown key (expected name, citation, potential)");
    }
  }
  if (!root.contains("potential")) reader.error(nullptr, "potential", "missing [potential] table");
  if (!reader.diagnostics().empty()) throw StudyError(std::move(reader.diagnostics()));
  return out;
}

PotentialFile read_potential_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Diagnostic d;
    d.file = path;
    d.message = "cannot open file";
    throw StudyError({d});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_potential_file(buffer.str(), path);
}

}  // namespace ionhop::inputs
