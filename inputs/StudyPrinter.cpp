#include "inputs/StudyPrinter.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <string_view>

#include "inputs/StudyReader.hpp"

namespace ionhop::inputs {

namespace {

/// Shortest round-trip form, always with a '.' or an exponent so TOML reads a float.
std::string toml_float(double value) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  std::string text(buffer.data(), result.ptr);
  if (text.find_first_of(".eEn") == std::string::npos) text += ".0";  // 'n': inf, nan
  return text;
}

/// TOML basic string with the escapes the TOML 1.0 grammar requires.
std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          std::array<char, 8> escape{};
          std::snprintf(escape.data(), escape.size(), "\\u%04X", static_cast<unsigned>(c));
          out += escape.data();
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

template <typename Range, typename Format>
std::string toml_array(const Range& values, Format format) {
  std::string out = "[";
  bool first = true;
  for (const auto& value : values) {
    if (!first) out += ", ";
    out += format(value);
    first = false;
  }
  return out + "]";
}

std::string floats(const auto& values) { return toml_array(values, toml_float); }
std::string strings(const auto& values) {
  return toml_array(values, [](const std::string& s) { return toml_string(s); });
}
std::string integers(const auto& values) {
  return toml_array(values, [](auto v) { return std::to_string(v); });
}

class TomlWriter {
 public:
  void header(std::string_view text) {
    if (!out_.empty()) out_ += '\n';
    out_ += std::string(text) + '\n';
  }
  void key(std::string_view name, const std::string& value) {
    out_ += std::string(name) + " = " + value + '\n';
  }
  void comment(std::string_view text) { out_ += "# " + std::string(text) + '\n'; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

template <typename Occupant>
void write_occupant(TomlWriter& w, std::string_view header, const Occupant& occupant) {
  w.header(header);
  w.key("name", toml_string(occupant.name));
  w.key("charge", std::to_string(occupant.charge));
  w.key("site_types", strings(occupant.site_types));
  if (occupant.count) w.key("count", std::to_string(*occupant.count));
  if (occupant.concentration) w.key("concentration", toml_float(*occupant.concentration));
}

void write_lattice(TomlWriter& w, const LatticeSpec& lattice) {
  w.header("[lattice]");
  if (!lattice.prototype.empty()) {
    w.key("prototype", toml_string(lattice.prototype));
    w.key("a_A", toml_float(lattice.a_A));
    if (lattice.c_over_a != 0.0) w.key("c_over_a", toml_float(lattice.c_over_a));
  } else {
    w.key("cell_A", toml_array(lattice.cell_A, [](const auto& row) { return floats(row); }));
  }
  w.key("supercell", integers(lattice.supercell));
  if (lattice.prototype.empty()) {
    for (const BasisSiteSpec& site : lattice.basis) {
      w.header("[[lattice.basis]]");
      w.key("type", toml_string(site.type));
      w.key("fractional", floats(site.fractional));
    }
  }
}

void write_run(TomlWriter& w, const RunSpec& run) {
  w.header("[run]");
  w.key("temperatures_K", floats(run.temperatures_K));
  if (run.events) w.key("events", std::to_string(*run.events));
  if (run.time_s) w.key("time_s", toml_float(*run.time_s));
  w.key("equilibration_events", std::to_string(run.equilibration_events));
  if (run.sample_interval_s) {
    w.key("sample_interval_s", toml_float(*run.sample_interval_s));
  } else {
    w.comment("sample_interval_s: not set, production time / samples");
  }
  w.key("samples", std::to_string(run.samples));
  w.key("max_lag_samples", std::to_string(run.max_lag_samples));
  w.key("fit_from_lag_fraction", toml_float(run.fit_from_lag_fraction));
  w.key("replicas", std::to_string(run.replicas));
  w.key("seed", std::to_string(run.seed));
}

void write_superbasin(TomlWriter& w, const SuperbasinSpec& superbasin) {
  w.header("[superbasin]");
  w.key("method", toml_string(to_string(superbasin.method)));
  w.key("detection", toml_string(to_string(superbasin.detection)));
  w.key("barrier_gap_eV", toml_float(superbasin.barrier_gap_eV));
  w.key("transition_count", std::to_string(superbasin.transition_count));
  w.key("max_basin_sites", std::to_string(superbasin.max_basin_sites));
  w.key("max_basin_states", std::to_string(superbasin.max_basin_states));
  w.key("cache_size", std::to_string(superbasin.cache_size));
  w.key("min_rate_ratio", toml_float(superbasin.min_rate_ratio));
  w.key("plain_pilot_events", std::to_string(superbasin.plain_pilot_events));
}

}  // namespace

std::string format_resolved_study(const Study& study) {
  TomlWriter w;
  w.comment("Resolved study: every key written out, defaults included.");
  w.header("[study]");
  w.key("name", toml_string(study.name));
  w.key("description", toml_string(study.description));

  write_lattice(w, study.lattice);

  for (const SiteTypeSpec& type : study.site_types) {
    w.header("[[site_types]]");
    w.key("name", toml_string(type.name));
    w.key("energy_eV", toml_float(type.energy_eV));
    w.key("disorder_sigma_eV", toml_float(type.disorder_sigma_eV));
  }
  for (const MobileSpeciesSpec& species : study.species) write_occupant(w, "[[species]]", species);
  for (const DopantSpec& dopant : study.dopants) write_occupant(w, "[[dopants]]", dopant);
  for (const PairInteractionSpec& interaction : study.interactions) {
    w.header("[[interactions]]");
    w.key("species", strings(interaction.species));
    w.key("shell_energies_eV", floats(interaction.shell_energies_eV));
  }
  for (const RegionSpec& region : study.regions) {
    constexpr std::array<std::string_view, 3> kAxes{"a", "b", "c"};
    w.header("[[regions]]");
    w.key("name", toml_string(region.name));
    w.key("axis", toml_string(kAxes.at(static_cast<std::size_t>(region.axis))));
    w.key("from", toml_float(region.from_fraction));
    w.key("to", toml_float(region.to_fraction));
    w.key("energy_shift_eV", toml_float(region.energy_shift_eV));
    w.key("barrier_shift_eV", toml_float(region.barrier_shift_eV));
  }
  for (const HopRuleSpec& hop : study.hops) {
    w.header("[[hops]]");
    w.key("from", toml_string(hop.from_type));
    w.key("to", toml_string(hop.to_type));
    if (hop.max_distance_A) {
      w.key("max_distance_A", toml_float(*hop.max_distance_A));
    } else {
      w.key("shell", std::to_string(hop.shell));
    }
    w.key("barrier_eV", toml_float(hop.barrier_eV));
    w.key("attempt_frequency_Hz", toml_float(hop.attempt_frequency_Hz));
  }

  write_run(w, study.run);
  write_superbasin(w, study.superbasin);

  w.header("[output]");
  w.key("path", toml_string(study.output.path));
  return w.take();
}

}  // namespace ionhop::inputs
