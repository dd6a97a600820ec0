#pragma once
/// "Did you mean ...?" for misspelt keys and names in a study file.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ionhop::inputs {

/// Optimal-string-alignment distance (Damerau 1964; Levenshtein 1966): the least number of
/// single-character insertions, deletions, substitutions and adjacent transpositions turning
/// `a` into `b`, no substring edited twice. Case-sensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` by `edit_distance` of their lower-case forms, if it is close
/// enough to be a plausible typo: distance <= 1 + |name| / 3 and distance < |name| (so
/// "temperature_K" finds "temperatures_K", "Tx" finds "T", while "foo" finds nothing in a list
/// of long keys and "O" does not find "T"). Ties go to the earlier candidate. A candidate equal
/// to `name` is never suggested.
std::optional<std::string> nearest_name(std::string_view name,
                                        std::span<const std::string_view> candidates);

/// Same, for candidates held as strings.
std::optional<std::string> nearest_name(std::string_view name,
                                        std::span<const std::string> candidates);

}  // namespace ionhop::inputs
