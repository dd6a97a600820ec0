#pragma once
#include <stdexcept>
#include <string>

namespace ionhop::lattice {

/// A lattice that cannot be built as asked (unknown prototype, supercell too small, ...).
class LatticeError : public std::runtime_error {
 public:
  explicit LatticeError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace ionhop::lattice
