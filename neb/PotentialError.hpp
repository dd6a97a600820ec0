#pragma once
/// Exceptions of the potential layer.
#include <stdexcept>
#include <string>

namespace ionhop::neb {

/// A PotentialSpec that cannot be turned into a potential: unknown type, unknown or missing
/// key, invalid value. The message names the spec's origin and the offending key.
class PotentialSpecError : public std::invalid_argument {
 public:
  explicit PotentialSpecError(const std::string& what) : std::invalid_argument(what) {}
};

/// A structure the potential cannot evaluate (e.g. a species without a charge).
class PotentialEvaluationError : public std::runtime_error {
 public:
  explicit PotentialEvaluationError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace ionhop::neb
