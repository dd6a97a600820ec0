#pragma once
/// Atomic replacement of an output file (DESIGN §10: a killed run never leaves a corrupt file).
///
/// Write the new content to temp_path() — a file `<target name>.tmp.<pid>` in the target's own
/// directory, so the final rename stays on one file system — then call commit(), which fsyncs the
/// temporary file, renames it over the target (atomic on POSIX) and fsyncs the directory. Until
/// commit() an existing target keeps its old, complete content. An AtomicFile destroyed without
/// commit() (an exception unwinding, an early return) deletes its temporary file.
///
/// Usage with HDF5:
///   AtomicFile out("results.h5");
///   H5File h5 = H5File::create(out.temp_path());
///   ... write ...
///   h5.close();      // must be closed before commit
///   out.commit();
///
/// A process killed by a signal cannot run destructors: it leaves `<name>.tmp.<pid>` behind, but
/// never a partial file under the target's name.
#include <filesystem>

namespace ionhop::app {

class AtomicFile {
 public:
  /// Prepares to replace `target`. Does not create any file; removes a stale temporary file of
  /// the same name (same pid). Throws std::filesystem::filesystem_error if the target's directory
  /// does not exist or `target` names a directory.
  explicit AtomicFile(std::filesystem::path target);

  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&& other) noexcept;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~AtomicFile();

  /// The final file name, as given.
  const std::filesystem::path& target_path() const noexcept { return target_; }
  /// Where to write: `<directory of target>/<target file name>.tmp.<pid>`.
  const std::filesystem::path& temp_path() const noexcept { return temp_; }

  /// Makes the temporary file durable and moves it over the target. Throws
  /// std::filesystem::filesystem_error (the temporary file is then still there and is removed by
  /// the destructor) if the temporary file does not exist or a system call fails; calling it
  /// twice throws std::logic_error.
  void commit();
  /// Deletes the temporary file now; the target is untouched. No-op after commit().
  void discard() noexcept;
  bool committed() const noexcept { return committed_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  bool committed_ = false;
  bool active_ = true;  ///< false once moved from
};

}  // namespace ionhop::app
