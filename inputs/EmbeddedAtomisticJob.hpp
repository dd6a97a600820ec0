#pragma once
/// The relax/NEB sections inside another job file (an `mlip generate` or `mlip learn` job), read
/// by the relax/NEB job reader itself so both files mean the same thing by the same keys.
/// Private to inputs/*.cpp (it uses the private TomlReader.hpp).
#include <toml++/toml.h>

#include <filesystem>
#include <optional>
#include <span>
#include <string_view>

#include "inputs/RelaxNebJob.hpp"
#include "inputs/TomlReader.hpp"

namespace ionhop::inputs::toml_reading {

/// Reads the tables `sections` of `root` as a relax/NEB job of `kind`, from a re-serialised copy:
/// the origins of an inline potential and its terms ("file:line") point into this file's real
/// lines, and diagnostics in this file are moved to the positions `reader` recorded (those in a
/// potential file are kept as they are) and added to `reader`. Nothing when there were errors.
std::optional<AtomisticJob> read_embedded_atomistic_job(TomlReader& reader, const toml::table& root,
                                                        std::span<const std::string_view> sections,
                                                        AtomisticJobKind kind, const std::filesystem::path& base);

}  // namespace ionhop::inputs::toml_reading
