#pragma once
/// Where each key of a study file was written, by key path, so checks that run after parsing
/// (cross-references between sections) can still point at the offending line and column.
#include <map>
#include <string>
#include <string_view>

#include "inputs/Study.hpp"

namespace ionhop::inputs {

/// Key path → source position. Key paths are dotted with 0-based indices for array elements,
/// e.g. "lattice", "species[0]", "species[0].site_types[1]"; "" is the whole document.
class SourceLocations {
 public:
  /// Records (or overwrites) the position of `key_path`.
  void add(std::string key_path, InputLocation where);

  /// Whether `key_path` itself was written in the file.
  bool contains(std::string_view key_path) const;

  /// Position of `key_path`, or of its nearest recorded ancestor ("species[0].site_types[1]" →
  /// "species[0].site_types" → "species[0]" → "species" → ""); a default location if none is.
  InputLocation find(std::string_view key_path) const;

 private:
  std::map<std::string, InputLocation, std::less<>> positions_;
};

/// The key path of the parent of `key_path` ("a.b[2]" → "a.b", "a.b" → "a", "a" → "").
std::string parent_key_path(std::string_view key_path);

}  // namespace ionhop::inputs
