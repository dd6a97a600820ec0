#pragma once
/// The canonical TOML text of a resolved study (what `ionhop check` prints and what the results
/// file stores next to the original text).
#include <string>

#include "inputs/Study.hpp"

namespace ionhop::inputs {

/// Renders `study` as a TOML study file with every key written out, defaults included, in the
/// schema's section and key order. Floats are written in the shortest form that reads back to
/// the same double, so `read_study_string(format_resolved_study(s), ...)` equals `s` except for
/// `source_path` and `source_text`, for any `s` returned by the reader.
/// `source_path`/`source_text` are not printed; the study description is.
std::string format_resolved_study(const Study& study);

}  // namespace ionhop::inputs
