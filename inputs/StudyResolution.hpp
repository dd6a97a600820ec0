#pragma once
/// The checks and defaults of a study that involve more than one section: site-type names
/// used by species and hops, species names used by interactions, unique names, the site types a
/// lattice implies, and the default results path. Runs after every section has been read.
#include <vector>

#include "inputs/SourceLocations.hpp"
#include "inputs/Study.hpp"
#include "inputs/StudyError.hpp"

namespace ionhop::inputs {

/// Completes `study` and appends a diagnostic for every bad cross-reference.
///
/// - `site_types` gains every lattice site type it lacks (energy 0, no disorder), after the
///   declared ones; a declared type that the lattice does not have is an error.
/// - species/dopants without `site_types` get all site types; names must be unique across
///   species and dopants, site-type names must exist.
/// - interactions must name species or dopants, each unordered pair once.
/// - regions need unique names; hop rules must name existing site types, and no two rules may
///   select the same pairs (same two types in either order, same shell or same distance).
/// - `output.path` defaults to "<study name>.h5".
///
/// `lattice_is_valid` is false when the lattice's site types are unknown because the lattice
/// section already has errors (bad prototype, bad basis); the checks against them are then
/// skipped rather than reported as follow-on errors.
/// Empty names come from values that already failed to read and are skipped for the same reason.
void resolve_study_references(Study& study, const SourceLocations& where, bool lattice_is_valid,
                              std::vector<Diagnostic>& diagnostics);

}  // namespace ionhop::inputs
