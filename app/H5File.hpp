#pragma once
/// A small RAII wrapper over the HDF5 C API for ionhop's results files.
///
/// The header deliberately includes no HDF5 header: the rest of the code base never sees HDF5
/// types (DESIGN §3: app/ is the only code that includes HDF5). Object paths are HDF5 paths such
/// as "/temperatures/T_000/msd/lag_s"; a path without a leading '/' is taken from the root.
///
/// Conventions enforced here (docs/results-format.md):
///  - every dataset carries a string attribute "units" ("1" for dimensionless, also for text);
///  - numbers are stored as little-endian IEEE f8 or signed i8, strings as variable-length UTF-8;
///  - 1D/2D numeric arrays of at least kCompressThreshold elements are chunked and compressed
///    (shuffle + gzip), which any HDF5 reader (h5py included) decodes transparently.
///
/// Not thread-safe: Debian's serial HDF5 library is not, so all HDF5 calls of a process must come
/// from one thread at a time.
#include <Eigen/Core>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ionhop::app {

/// Any failure of an HDF5 operation. `what()` reads
/// "HDF5 error in '<file>' at '<object path>': <what failed> (<HDF5's innermost message>)".
class H5Error : public std::runtime_error {
 public:
  H5Error(std::filesystem::path file, std::string object_path, std::string what_failed);

  /// The HDF5 file the operation was on (may be empty if no file was involved).
  const std::filesystem::path& file() const noexcept { return file_; }
  /// The object (group/dataset) path the operation was on, e.g. "/summary/temperature_K".
  const std::string& object_path() const noexcept { return object_path_; }

 private:
  std::filesystem::path file_;
  std::string object_path_;
};

/// A dense 2D array in row-major (C) order, the layout HDF5 and numpy use:
/// element (r, c) is values[r * cols + c].
template <typename T>
struct RowMajorArray {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<T> values;  ///< size rows * cols

  const T& operator()(std::size_t r, std::size_t c) const { return values[r * cols + c]; }
  T& operator()(std::size_t r, std::size_t c) { return values[r * cols + c]; }
  bool operator==(const RowMajorArray&) const = default;
};

/// The kind of object found at a path.
enum class H5ObjectKind { kMissing, kGroup, kDataset, kOther };

/// An open HDF5 file. Move-only; the destructor closes the file (errors there are swallowed —
/// call close() to see them).
class H5File {
 public:
  /// Numeric arrays with at least this many elements are chunked and gzip-compressed.
  static constexpr std::size_t kCompressThreshold = 1024;
  /// Target number of elements per chunk (64 KiB of f8).
  static constexpr std::size_t kChunkElements = 8192;
  /// gzip level used for compressed datasets (1 fastest … 9 smallest).
  static constexpr unsigned kGzipLevel = 4;

  /// Creates a new file, truncating any existing file at `path`.
  static H5File create(const std::filesystem::path& path);
  /// Opens an existing file read-only.
  static H5File open_read_only(const std::filesystem::path& path);
  /// Opens an existing file for reading and writing.
  static H5File open_read_write(const std::filesystem::path& path);

  H5File(H5File&& other) noexcept;
  H5File& operator=(H5File&& other) noexcept;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  ~H5File();

  /// Flushes and closes the file; idempotent. After close() every other call throws H5Error.
  void close();
  /// Flushes buffered data to the operating system (not an fsync; see AtomicFile::commit).
  void flush();
  bool is_open() const noexcept { return file_id_ >= 0; }
  const std::filesystem::path& path() const noexcept { return path_; }

  // ---- structure -------------------------------------------------------------------------

  /// Creates the group at `group_path` and any missing parents; no-op if the group exists.
  /// Throws if a dataset is in the way.
  void create_group(std::string_view group_path);
  /// What is at `object_path` (kMissing if it or any parent does not exist).
  H5ObjectKind kind(std::string_view object_path) const;
  bool exists(std::string_view object_path) const { return kind(object_path) != H5ObjectKind::kMissing; }
  bool is_group(std::string_view object_path) const { return kind(object_path) == H5ObjectKind::kGroup; }
  bool is_dataset(std::string_view object_path) const { return kind(object_path) == H5ObjectKind::kDataset; }
  /// Names of the direct children of a group, sorted by name.
  std::vector<std::string> children(std::string_view group_path) const;
  /// Dataset dimensions: {} for a scalar, {n} for 1D, {rows, cols} for 2D.
  std::vector<std::size_t> shape(std::string_view dataset_path) const;
  /// Unlinks a group or dataset (its file space is not reclaimed).
  void remove(std::string_view object_path);

  // ---- writing datasets ------------------------------------------------------------------
  // All writers create missing parent groups, refuse to overwrite an existing object (remove()
  // it first), and set the attribute "units" to `units`, which must not be empty.

  /// Scalar number. Floating-point values are stored as f8, integers as i8 (unsigned values
  /// above INT64_MAX are rejected: store those with write_dataset_uint64).
  template <typename T>
    requires(std::floating_point<T> || (std::integral<T> && !std::same_as<T, bool>))
  void write_dataset(std::string_view dataset_path, T value, std::string_view units) {
    if constexpr (std::floating_point<T>) {
      write_scalar_f64(dataset_path, static_cast<double>(value), units);
    } else {
      write_scalar_i64(dataset_path, checked_int64(dataset_path, value), units);
    }
  }
  /// Scalar unsigned 64-bit integer, stored as u8 (for values that may exceed INT64_MAX).
  void write_dataset_uint64(std::string_view dataset_path, std::uint64_t value, std::string_view units);
  /// Scalar string (variable-length UTF-8). Embedded NUL characters are rejected.
  void write_dataset(std::string_view dataset_path, std::string_view text, std::string_view units);
  /// 1D arrays, shape [n].
  void write_dataset(std::string_view dataset_path, std::span<const double> values, std::string_view units);
  void write_dataset(std::string_view dataset_path, std::span<const std::int64_t> values,
                     std::string_view units);
  void write_dataset(std::string_view dataset_path, std::span<const std::string> values,
                     std::string_view units);
  /// 2D arrays, shape [rows, cols], from row-major storage (values.size() == rows * cols).
  void write_dataset(std::string_view dataset_path, std::span<const double> row_major, std::size_t rows,
                     std::size_t cols, std::string_view units);
  void write_dataset(std::string_view dataset_path, std::span<const std::int64_t> row_major,
                     std::size_t rows, std::size_t cols, std::string_view units);
  void write_dataset(std::string_view dataset_path, const RowMajorArray<double>& array, std::string_view units);
  void write_dataset(std::string_view dataset_path, const RowMajorArray<std::int64_t>& array,
                     std::string_view units);
  /// 2D arrays from Eigen matrices (any storage order); stored as shape [rows(), cols()].
  void write_dataset(std::string_view dataset_path, const Eigen::MatrixXd& matrix, std::string_view units);
  void write_dataset(std::string_view dataset_path,
                     const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>& matrix,
                     std::string_view units);

  // ---- attributes ------------------------------------------------------------------------
  // On any group or dataset ("/" is the root group). Setting an existing attribute replaces it.

  /// Scalar number attribute: f8 for floating point, i8 for integers (unsigned values above
  /// INT64_MAX are rejected: store those with set_attribute_uint64).
  template <typename T>
    requires(std::floating_point<T> || (std::integral<T> && !std::same_as<T, bool>))
  void set_attribute(std::string_view object_path, std::string_view name, T value) {
    if constexpr (std::floating_point<T>) {
      set_attribute_f64(object_path, name, static_cast<double>(value));
    } else {
      set_attribute_i64(object_path, name, checked_int64(object_path, value));
    }
  }
  /// Unsigned 64-bit integer attribute, stored as u8 (e.g. the RNG seed).
  void set_attribute_uint64(std::string_view object_path, std::string_view name, std::uint64_t value);
  /// String attribute (variable-length UTF-8).
  void set_attribute(std::string_view object_path, std::string_view name, std::string_view text);
  /// 1D f8 array attribute, shape [n].
  void set_attribute(std::string_view object_path, std::string_view name, std::span<const double> values);

  bool has_attribute(std::string_view object_path, std::string_view name) const;
  /// Attribute names of an object, sorted.
  std::vector<std::string> attribute_names(std::string_view object_path) const;

  // ---- reading ---------------------------------------------------------------------------
  // Readers check the stored class (float / integer / string) and rank and throw H5Error on a
  // mismatch, so a layout error is never silently converted. Integer readers accept any stored
  // integer width and signedness but throw if a value does not fit the requested type.

  double read_double(std::string_view dataset_path) const;
  std::int64_t read_int64(std::string_view dataset_path) const;
  std::uint64_t read_uint64(std::string_view dataset_path) const;
  /// Reads a scalar string dataset, variable- or fixed-length (fixed-length padding is removed).
  std::string read_string(std::string_view dataset_path) const;
  std::vector<double> read_doubles(std::string_view dataset_path) const;
  std::vector<std::int64_t> read_int64s(std::string_view dataset_path) const;
  std::vector<std::string> read_strings(std::string_view dataset_path) const;
  RowMajorArray<double> read_double_array(std::string_view dataset_path) const;
  RowMajorArray<std::int64_t> read_int64_array(std::string_view dataset_path) const;
  /// The dataset's "units" attribute.
  std::string units(std::string_view dataset_path) const;

  double read_double_attribute(std::string_view object_path, std::string_view name) const;
  std::int64_t read_int64_attribute(std::string_view object_path, std::string_view name) const;
  std::uint64_t read_uint64_attribute(std::string_view object_path, std::string_view name) const;
  std::string read_string_attribute(std::string_view object_path, std::string_view name) const;
  std::vector<double> read_doubles_attribute(std::string_view object_path, std::string_view name) const;

 private:
  H5File(std::int64_t file_id, std::filesystem::path path);

  template <typename T>
  std::int64_t checked_int64(std::string_view object_path, T value) const {
    if constexpr (std::unsigned_integral<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(std::numeric_limits<std::int64_t>::max())) {
        throw H5Error(path_, std::string(object_path),
                      "unsigned value " + std::to_string(value) +
                          " does not fit in int64 (use the *_uint64 writer for unsigned 64-bit values)");
      }
    }
    return static_cast<std::int64_t>(value);
  }

  void write_scalar_f64(std::string_view dataset_path, double value, std::string_view units);
  void write_scalar_i64(std::string_view dataset_path, std::int64_t value, std::string_view units);
  void set_attribute_f64(std::string_view object_path, std::string_view name, double value);
  void set_attribute_i64(std::string_view object_path, std::string_view name, std::int64_t value);

  std::int64_t require_open(std::string_view object_path) const;

  std::int64_t file_id_ = -1;  ///< HDF5 hid_t (a 64-bit integer since HDF5 1.10); -1 when closed
  std::filesystem::path path_;
};

}  // namespace ionhop::app
