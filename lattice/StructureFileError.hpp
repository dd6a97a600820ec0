#pragma once
/// The exception thrown by the structure readers and writers (POSCAR, extended XYZ, CIF).
#include <stdexcept>
#include <string>

namespace ionhop::lattice {

/// A structure file that cannot be read or written. Carries the file (or source name) and the
/// 1-based line of the problem; line 0 means "no particular line" (e.g. the file cannot be opened).
class StructureFileError : public std::runtime_error {
 public:
  StructureFileError(std::string file, int line, const std::string& message)
      : std::runtime_error(format(file, line, message)), file_(std::move(file)), line_(line) {}

  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& message) {
    return line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
  }
  std::string file_;
  int line_ = 0;
};

}  // namespace ionhop::lattice
