#pragma once
/// The one exception type of the bridge module: an estimate that cannot be formed from the
/// data given (inconsistent shapes, too few points, non-positive values where a logarithm is
/// needed, missing error bars). The message says what was expected.
#include <source_location>
#include <stdexcept>
#include <string>

namespace ionhop::bridge {

class EstimationError : public std::runtime_error {
 public:
  explicit EstimationError(const std::string& what,
                           std::source_location where = std::source_location::current())
      : std::runtime_error(what), where_(where) {}

  /// The library location that detected the problem (for developers; users read what()).
  [[nodiscard]] const std::source_location& where() const noexcept { return where_; }

 private:
  std::source_location where_;
};

}  // namespace ionhop::bridge
