#pragma once
/// Plumbing for H5File over the HDF5 C API: an owning identifier, the error context of one
/// operation, and object-path normalisation. Internal to app/ (it includes <hdf5.h>); nothing
/// outside app/H5File.cpp should need it.
#include <hdf5.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ionhop::app::h5 {

/// The innermost message of HDF5's error stack (the most specific one, e.g. "object 'x' doesn't
/// exist"), or "" if the stack is empty. Clears the stack.
std::string error_detail();

/// Throws H5Error for a failed HDF5 call, appending HDF5's own explanation (error_detail()).
[[noreturn]] void fail(const std::filesystem::path& file, std::string_view object_path, std::string what);

/// Stops HDF5 from printing its error stack to stderr: the library reports through exceptions.
void silence_error_printing();

/// Owns one HDF5 identifier and releases it with the matching H5?close function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, -1)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, -1);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const noexcept { return id_; }

 private:
  void reset() noexcept {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = -1;
  }
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

/// Error context of one operation: which file and which object, for the exception message.
/// Holds references: it must not outlive the path objects it was built from.
struct Where {
  const std::filesystem::path& file;
  std::string_view object;

  [[noreturn]] void fail(std::string what) const { h5::fail(file, object, std::move(what)); }
  /// Wraps a freshly returned identifier; throws if HDF5 returned an error (negative id).
  Handle check(hid_t id, Handle::Closer closer, const char* what) const {
    if (id < 0) fail(what);
    return Handle(id, closer);
  }
  void check(herr_t status, const char* what) const {
    if (status < 0) fail(what);
  }
};

/// Canonical absolute form "/a/b/c" of an object path; "/" for the root. Leading and trailing
/// slashes are optional; empty components, "." and ".." are rejected with H5Error.
std::string normalize(const std::filesystem::path& file, std::string_view path);

/// The variable-length UTF-8 string type used for every string H5File writes.
Handle make_vlen_string_type(const Where& where);
/// A scalar dataspace for empty `dims`, else a simple one of those dimensions.
Handle make_dataspace(const Where& where, const std::vector<hsize_t>& dims);
/// Link creation properties that create missing parent groups and UTF-8 link names.
Handle make_link_creation_plist(const Where& where);

}  // namespace ionhop::app::h5
