#pragma once
/// The one exception type of the study reader: every problem found in a study file, each with
/// its position in the file, so the command line can print them all at once.
#include <stdexcept>
#include <string>
#include <vector>

namespace ionhop::inputs {

/// One problem in a study file. `line`/`column` are 1-based positions in the TOML text;
/// 0 means "no position" (e.g. the file could not be opened).
struct Diagnostic {
  std::string file;       ///< study file name as given (or the source name of a string)
  int line = 0;
  int column = 0;
  std::string key_path;   ///< e.g. "run.temperatures_K[2]", "species[0].charge"; may be empty
  std::string message;    ///< what is wrong and what was expected

  bool operator==(const Diagnostic&) const = default;
};

/// Formats one diagnostic GCC style: `file:line:column: error: <key path>: <message>`.
/// Without a position the `line:column:` part is left out, without a key path its `: ` part.
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Thrown by the study reader when the file is unusable. Holds every diagnostic found (the
/// reader does not stop at the first); `what()` lists them, one per line, in file order.
class StudyError : public std::runtime_error {
 public:
  explicit StudyError(std::vector<Diagnostic> diagnostics);

  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace ionhop::inputs
