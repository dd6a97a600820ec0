#include "app/H5File.hpp"

#include "app/H5Handle.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>

namespace ionhop::app {

static_assert(sizeof(hid_t) == sizeof(std::int64_t), "H5File stores hid_t as int64 (HDF5 >= 1.10)");
static_assert(sizeof(hsize_t) >= sizeof(std::size_t));

namespace {

using h5::fail;
using h5::Handle;
using h5::make_dataspace;
using h5::make_link_creation_plist;
using h5::make_vlen_string_type;
using h5::normalize;
using h5::Where;

/// Dataset creation properties: contiguous for small data; for large numeric arrays, chunks of
/// about kChunkElements elements (whole rows where a row fits) with shuffle + gzip.
Handle make_dataset_creation_plist(const Where& where, const std::vector<hsize_t>& dims, bool compressible) {
  Handle dcpl = where.check(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create dataset property list");
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  const bool compress = compressible && !dims.empty() && count >= H5File::kCompressThreshold &&
                        H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;
  if (!compress) return dcpl;
  std::vector<hsize_t> chunk(dims.size());
  const hsize_t target = H5File::kChunkElements;
  if (dims.size() == 1) {
    chunk[0] = std::min(dims[0], target);
  } else {
    const hsize_t cols = std::min(dims[1], target);
    chunk[1] = cols;
    chunk[0] = std::clamp<hsize_t>(target / cols, 1, dims[0]);
  }
  where.check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunking");
  where.check(H5Pset_shuffle(dcpl.get()), "cannot enable shuffle filter");
  where.check(H5Pset_deflate(dcpl.get(), H5File::kGzipLevel), "cannot enable gzip filter");
  return dcpl;
}

/// Writes (or replaces) an attribute on an open object.
void write_attribute(const Where& where, hid_t object, std::string_view name, hid_t file_type, hid_t memory_type,
                     const std::vector<hsize_t>& dims, const void* data) {
  if (name.empty()) where.fail("empty attribute name");
  const std::string attribute_name(name);
  const htri_t exists = H5Aexists(object, attribute_name.c_str());
  where.check(static_cast<herr_t>(exists), "cannot query attribute");
  if (exists > 0) where.check(H5Adelete(object, attribute_name.c_str()), "cannot replace attribute");
  Handle space = make_dataspace(where, dims);
  Handle attribute = where.check(H5Acreate2(object, attribute_name.c_str(), file_type, space.get(), H5P_DEFAULT,
                                            H5P_DEFAULT),
                                 H5Aclose, ("cannot create attribute '" + attribute_name + "'").c_str());
  where.check(H5Awrite(attribute.get(), memory_type, data),
              ("cannot write attribute '" + attribute_name + "'").c_str());
}

void write_string_attribute(const Where& where, hid_t object, std::string_view name, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) where.fail("string attribute contains a NUL character");
  Handle type = make_vlen_string_type(where);
  const std::string copy(text);
  const char* pointer = copy.c_str();
  write_attribute(where, object, name, type.get(), type.get(), {}, &pointer);
}

/// Something readable: an open dataset or attribute, so one reading path serves both.
struct Source {
  Handle handle;
  bool is_attribute = false;

  Handle type(const Where& where) const {
    return where.check(is_attribute ? H5Aget_type(handle.get()) : H5Dget_type(handle.get()), H5Tclose,
                       "cannot get datatype");
  }
  Handle space(const Where& where) const {
    return where.check(is_attribute ? H5Aget_space(handle.get()) : H5Dget_space(handle.get()), H5Sclose,
                       "cannot get dataspace");
  }
  void read(const Where& where, hid_t memory_type, void* buffer) const {
    const herr_t status = is_attribute
                              ? H5Aread(handle.get(), memory_type, buffer)
                              : H5Dread(handle.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    where.check(status, "cannot read data");
  }
};

std::vector<std::size_t> dimensions_of(const Where& where, hid_t space) {
  const int rank = H5Sget_simple_extent_ndims(space);
  if (rank < 0) where.fail("cannot get rank");
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space, dims.data(), nullptr) < 0) where.fail("cannot get dimensions");
  return {dims.begin(), dims.end()};
}

const char* rank_name(std::size_t rank) {
  switch (rank) {
    case 0: return "scalar";
    case 1: return "1D";
    case 2: return "2D";
    default: return "higher-rank";
  }
}

/// Reads all numbers of a source after checking its class and rank. Returns dims and values.
template <typename T>
std::pair<std::vector<std::size_t>, std::vector<T>> read_numbers(const Where& where, const Source& source,
                                                                 H5T_class_t expected_class, hid_t memory_type,
                                                                 std::size_t expected_rank) {
  Handle type = source.type(where);
  const H5T_class_t stored = H5Tget_class(type.get());
  if (stored != expected_class) {
    where.fail(expected_class == H5T_FLOAT ? "stored data is not floating point" : "stored data is not integer");
  }
  Handle space = source.space(where);
  std::vector<std::size_t> dims = dimensions_of(where, space.get());
  if (dims.size() != expected_rank) {
    where.fail(std::string("expected ") + rank_name(expected_rank) + " data, found " + rank_name(dims.size()));
  }
  std::size_t count = 1;
  for (std::size_t d : dims) count *= d;
  std::vector<T> values(count);
  if (count > 0) source.read(where, memory_type, values.data());
  return {std::move(dims), std::move(values)};
}

/// Reads all strings of a source (variable- or fixed-length) after checking class and rank.
std::vector<std::string> read_string_values(const Where& where, const Source& source, std::size_t expected_rank) {
  Handle type = source.type(where);
  if (H5Tget_class(type.get()) != H5T_STRING) where.fail("stored data is not a string");
  Handle space = source.space(where);
  const std::vector<std::size_t> dims = dimensions_of(where, space.get());
  if (dims.size() != expected_rank) {
    where.fail(std::string("expected ") + rank_name(expected_rank) + " data, found " + rank_name(dims.size()));
  }
  std::size_t count = 1;
  for (std::size_t d : dims) count *= d;
  std::vector<std::string> out;
  out.reserve(count);
  if (count == 0) return out;

  const H5T_cset_t cset = H5Tget_cset(type.get());
  Handle memory_type = where.check(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy string type");
  where.check(H5Tset_cset(memory_type.get(), cset), "cannot set character set");
  const htri_t variable = H5Tis_variable_str(type.get());
  if (variable < 0) where.fail("cannot query string type");
  if (variable > 0) {
    where.check(H5Tset_size(memory_type.get(), H5T_VARIABLE), "cannot make string type variable-length");
    std::vector<char*> pointers(count, nullptr);
    source.read(where, memory_type.get(), pointers.data());
    for (char* p : pointers) out.emplace_back(p != nullptr ? p : "");
    // HDF5 allocated the strings; give them back.
    H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, pointers.data());
  } else {
    const std::size_t size = H5Tget_size(type.get());
    if (size == 0) where.fail("cannot get string size");
    where.check(H5Tset_size(memory_type.get(), size), "cannot set string size");
    where.check(H5Tset_strpad(memory_type.get(), H5T_STR_NULLPAD), "cannot set string padding");
    std::vector<char> buffer(count * size, '\0');
    source.read(where, memory_type.get(), buffer.data());
    for (std::size_t i = 0; i < count; ++i) {
      const char* begin = buffer.data() + i * size;
      out.emplace_back(begin, strnlen(begin, size));
    }
  }
  return out;
}

template <typename T>
RowMajorArray<T> to_row_major(const Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>& matrix) {
  RowMajorArray<T> array;
  array.rows = static_cast<std::size_t>(matrix.rows());
  array.cols = static_cast<std::size_t>(matrix.cols());
  array.values.resize(array.rows * array.cols);
  Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
      array.values.data(), matrix.rows(), matrix.cols()) = matrix;
  return array;
}

}  // namespace

// ---- H5Error ---------------------------------------------------------------------------------

H5Error::H5Error(std::filesystem::path file, std::string object_path, std::string what_failed)
    : std::runtime_error("HDF5 error in '" + file.string() + "' at '" + object_path + "': " + what_failed),
      file_(std::move(file)),
      object_path_(std::move(object_path)) {}

// ---- lifetime --------------------------------------------------------------------------------

H5File::H5File(std::int64_t file_id, std::filesystem::path path) : file_id_(file_id), path_(std::move(path)) {}

namespace {
Handle make_file_access_plist(const Where& where) {
  Handle fapl = where.check(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "cannot create file access property list");
  // Closing the file closes every object still open in it, so close() always releases the file.
  where.check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "cannot set file close degree");
  return fapl;
}
}  // namespace

H5File H5File::create(const std::filesystem::path& path) {
  h5::silence_error_printing();
  const Where where{path, "/"};
  Handle fapl = make_file_access_plist(where);
  const hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (id < 0) where.fail("cannot create file");
  return H5File(id, path);
}

H5File H5File::open_read_only(const std::filesystem::path& path) {
  h5::silence_error_printing();
  const Where where{path, "/"};
  Handle fapl = make_file_access_plist(where);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) where.fail("cannot open file for reading");
  return H5File(id, path);
}

H5File H5File::open_read_write(const std::filesystem::path& path) {
  h5::silence_error_printing();
  const Where where{path, "/"};
  Handle fapl = make_file_access_plist(where);
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (id < 0) where.fail("cannot open file for writing");
  return H5File(id, path);
}

H5File::H5File(H5File&& other) noexcept
    : file_id_(std::exchange(other.file_id_, -1)), path_(std::move(other.path_)) {}

H5File& H5File::operator=(H5File&& other) noexcept {
  if (this != &other) {
    if (file_id_ >= 0) H5Fclose(file_id_);
    file_id_ = std::exchange(other.file_id_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

H5File::~H5File() {
  if (file_id_ >= 0) {
    H5Fclose(file_id_);
    H5Eclear2(H5E_DEFAULT);
  }
}

void H5File::close() {
  if (file_id_ < 0) return;
  const hid_t id = std::exchange(file_id_, -1);
  if (H5Fclose(id) < 0) fail(path_, "/", "cannot close file");
}

void H5File::flush() {
  const hid_t id = require_open("/");
  if (H5Fflush(id, H5F_SCOPE_GLOBAL) < 0) fail(path_, "/", "cannot flush file");
}

std::int64_t H5File::require_open(std::string_view object_path) const {
  if (file_id_ < 0) throw H5Error(path_, std::string(object_path), "file is closed");
  return file_id_;
}

// ---- structure -------------------------------------------------------------------------------

H5ObjectKind H5File::kind(std::string_view object_path) const {
  const hid_t file = require_open(object_path);
  const std::string path = normalize(path_, object_path);
  if (path == "/") return H5ObjectKind::kGroup;
  // H5Lexists fails (rather than returning false) when a parent is missing or is a dataset, so
  // walk the path one component at a time and require every parent to be a group.
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    const htri_t exists = H5Lexists(file, prefix.c_str(), H5P_DEFAULT);
    if (exists < 0) fail(path_, prefix, "cannot query link");
    if (exists == 0) return H5ObjectKind::kMissing;
    const hid_t object = H5Oopen(file, prefix.c_str(), H5P_DEFAULT);
    if (object < 0) {
      H5Eclear2(H5E_DEFAULT);
      // A dangling soft link: the name exists but leads nowhere.
      return slash == std::string::npos ? H5ObjectKind::kOther : H5ObjectKind::kMissing;
    }
    const H5I_type_t type = H5Iget_type(object);
    H5Oclose(object);
    if (slash == std::string::npos) {
      if (type == H5I_GROUP) return H5ObjectKind::kGroup;
      if (type == H5I_DATASET) return H5ObjectKind::kDataset;
      return H5ObjectKind::kOther;
    }
    if (type != H5I_GROUP) return H5ObjectKind::kMissing;  // nothing can live below a dataset
  }
}

void H5File::create_group(std::string_view group_path) {
  const hid_t file = require_open(group_path);
  const std::string path = normalize(path_, group_path);
  const Where where{path_, path};
  switch (kind(path)) {
    case H5ObjectKind::kGroup: return;
    case H5ObjectKind::kMissing: break;
    default: where.fail("cannot create group: another object exists at this path");
  }
  Handle lcpl = make_link_creation_plist(where);
  where.check(H5Gcreate2(file, path.c_str(), lcpl.get(), H5P_DEFAULT, H5P_DEFAULT), H5Gclose,
              "cannot create group");
}

std::vector<std::string> H5File::children(std::string_view group_path) const {
  const hid_t file = require_open(group_path);
  const std::string path = normalize(path_, group_path);
  const Where where{path_, path};
  Handle group = where.check(H5Gopen2(file, path.c_str(), H5P_DEFAULT), H5Gclose, "cannot open group");
  H5G_info_t info;
  where.check(H5Gget_info(group.get(), &info), "cannot get group info");
  std::vector<std::string> names;
  names.reserve(info.nlinks);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    const ssize_t length =
        H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (length < 0) where.fail("cannot get child name");
    std::string name(static_cast<std::size_t>(length) + 1, '\0');
    if (H5Lget_name_by_idx(group.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT) < 0) {
      where.fail("cannot get child name");
    }
    name.resize(static_cast<std::size_t>(length));
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::size_t> H5File::shape(std::string_view dataset_path) const {
  const hid_t file = require_open(dataset_path);
  const std::string path = normalize(path_, dataset_path);
  const Where where{path_, path};
  Handle dataset = where.check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset");
  Handle space = where.check(H5Dget_space(dataset.get()), H5Sclose, "cannot get dataspace");
  return dimensions_of(where, space.get());
}

void H5File::remove(std::string_view object_path) {
  const hid_t file = require_open(object_path);
  const std::string path = normalize(path_, object_path);
  const Where where{path_, path};
  if (path == "/") where.fail("cannot remove the root group");
  where.check(H5Ldelete(file, path.c_str(), H5P_DEFAULT), "cannot remove object");
}

// ---- writing datasets ------------------------------------------------------------------------

namespace {

/// Creates a dataset at `path` (with parents), writes `data` (may be null when empty) and sets
/// its "units" attribute.
void create_dataset(const H5File& self, hid_t file, const std::filesystem::path& file_path, const std::string& path,
                    hid_t file_type, hid_t memory_type, const std::vector<hsize_t>& dims, const void* data,
                    bool compressible, std::string_view units) {
  const Where where{file_path, path};
  if (units.empty()) where.fail("empty units (use \"1\" for dimensionless quantities)");
  if (path == "/") where.fail("cannot create a dataset at the root");
  if (self.exists(path)) where.fail("cannot create dataset: object already exists (remove it first)");
  Handle space = make_dataspace(where, dims);
  Handle lcpl = make_link_creation_plist(where);
  Handle dcpl = make_dataset_creation_plist(where, dims, compressible);
  Handle dataset = where.check(H5Dcreate2(file, path.c_str(), file_type, space.get(), lcpl.get(), dcpl.get(),
                                          H5P_DEFAULT),
                               H5Dclose, "cannot create dataset");
  hsize_t count = 1;
  for (hsize_t d : dims) count *= d;
  if (count > 0) {
    where.check(H5Dwrite(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write dataset");
  }
  write_string_attribute(where, dataset.get(), "units", units);
}

void check_2d_size(const Where& where, std::size_t size, std::size_t rows, std::size_t cols) {
  if (size != rows * cols) {
    where.fail("2D data has " + std::to_string(size) + " values, expected rows*cols = " + std::to_string(rows) +
               "*" + std::to_string(cols));
  }
}

}  // namespace

void H5File::write_scalar_f64(std::string_view dataset_path, double value, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  create_dataset(*this, file, path_, normalize(path_, dataset_path), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {}, &value,
                 false, units);
}

void H5File::write_scalar_i64(std::string_view dataset_path, std::int64_t value, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  create_dataset(*this, file, path_, normalize(path_, dataset_path), H5T_STD_I64LE, H5T_NATIVE_INT64, {}, &value,
                 false, units);
}

void H5File::write_dataset_uint64(std::string_view dataset_path, std::uint64_t value, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  create_dataset(*this, file, path_, normalize(path_, dataset_path), H5T_STD_U64LE, H5T_NATIVE_UINT64, {}, &value,
                 false, units);
}

void H5File::write_dataset(std::string_view dataset_path, std::string_view text, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  const std::string path = normalize(path_, dataset_path);
  const Where where{path_, path};
  if (text.find('\0') != std::string_view::npos) where.fail("string contains a NUL character");
  Handle type = make_vlen_string_type(where);
  const std::string copy(text);
  const char* pointer = copy.c_str();
  create_dataset(*this, file, path_, path, type.get(), type.get(), {}, &pointer, false, units);
}

void H5File::write_dataset(std::string_view dataset_path, std::span<const double> values, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  create_dataset(*this, file, path_, normalize(path_, dataset_path), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                 {values.size()}, values.data(), true, units);
}

void H5File::write_dataset(std::string_view dataset_path, std::span<const std::int64_t> values,
                           std::string_view units) {
  const hid_t file = require_open(dataset_path);
  create_dataset(*this, file, path_, normalize(path_, dataset_path), H5T_STD_I64LE, H5T_NATIVE_INT64,
                 {values.size()}, values.data(), true, units);
}

void H5File::write_dataset(std::string_view dataset_path, std::span<const std::string> values,
                           std::string_view units) {
  const hid_t file = require_open(dataset_path);
  const std::string path = normalize(path_, dataset_path);
  const Where where{path_, path};
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const std::string& value : values) {
    if (value.find('\0') != std::string::npos) where.fail("string contains a NUL character");
    pointers.push_back(value.c_str());
  }
  Handle type = make_vlen_string_type(where);
  create_dataset(*this, file, path_, path, type.get(), type.get(), {values.size()}, pointers.data(), false, units);
}

void H5File::write_dataset(std::string_view dataset_path, std::span<const double> row_major, std::size_t rows,
                           std::size_t cols, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  const std::string path = normalize(path_, dataset_path);
  check_2d_size(Where{path_, path}, row_major.size(), rows, cols);
  create_dataset(*this, file, path_, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {rows, cols}, row_major.data(), true,
                 units);
}

void H5File::write_dataset(std::string_view dataset_path, std::span<const std::int64_t> row_major,
                           std::size_t rows, std::size_t cols, std::string_view units) {
  const hid_t file = require_open(dataset_path);
  const std::string path = normalize(path_, dataset_path);
  check_2d_size(Where{path_, path}, row_major.size(), rows, cols);
  create_dataset(*this, file, path_, path, H5T_STD_I64LE, H5T_NATIVE_INT64, {rows, cols}, row_major.data(), true,
                 units);
}

void H5File::write_dataset(std::string_view dataset_path, const RowMajorArray<double>& array,
                           std::string_view units) {
  write_dataset(dataset_path, std::span<const double>(array.values), array.rows, array.cols, units);
}

void H5File::write_dataset(std::string_view dataset_path, const RowMajorArray<std::int64_t>& array,
                           std::string_view units) {
  write_dataset(dataset_path, std::span<const std::int64_t>(array.values), array.rows, array.cols, units);
}

void H5File::write_dataset(std::string_view dataset_path, const Eigen::MatrixXd& matrix, std::string_view units) {
  write_dataset(dataset_path, to_row_major(matrix), units);
}

void H5File::write_dataset(std::string_view dataset_path,
                           const Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>& matrix,
                           std::string_view units) {
  write_dataset(dataset_path, to_row_major(matrix), units);
}

// ---- attributes ------------------------------------------------------------------------------

namespace {
Handle open_object(const Where& where, hid_t file, const std::string& path) {
  return where.check(H5Oopen(file, path.c_str(), H5P_DEFAULT), H5Oclose, "cannot open object");
}

/// Writes (or replaces) attribute `name` of the object at `object_path`.
void set_attribute_on(hid_t file, const std::filesystem::path& file_path, std::string_view object_path,
                      std::string_view name, hid_t file_type, hid_t memory_type, const std::vector<hsize_t>& dims,
                      const void* data) {
  const std::string path = normalize(file_path, object_path);
  const Where where{file_path, path};
  Handle object = open_object(where, file, path);
  write_attribute(where, object.get(), name, file_type, memory_type, dims, data);
}
}  // namespace

void H5File::set_attribute_f64(std::string_view object_path, std::string_view name, double value) {
  set_attribute_on(require_open(object_path), path_, object_path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, {},
                   &value);
}

void H5File::set_attribute_i64(std::string_view object_path, std::string_view name, std::int64_t value) {
  set_attribute_on(require_open(object_path), path_, object_path, name, H5T_STD_I64LE, H5T_NATIVE_INT64, {},
                   &value);
}

void H5File::set_attribute_uint64(std::string_view object_path, std::string_view name, std::uint64_t value) {
  set_attribute_on(require_open(object_path), path_, object_path, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, {},
                   &value);
}

void H5File::set_attribute(std::string_view object_path, std::string_view name, std::span<const double> values) {
  set_attribute_on(require_open(object_path), path_, object_path, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                   {values.size()}, values.data());
}

void H5File::set_attribute(std::string_view object_path, std::string_view name, std::string_view text) {
  const hid_t file = require_open(object_path);
  const std::string path = normalize(path_, object_path);
  const Where where{path_, path};
  Handle object = open_object(where, file, path);
  write_string_attribute(where, object.get(), name, text);
}

bool H5File::has_attribute(std::string_view object_path, std::string_view name) const {
  const hid_t file = require_open(object_path);
  const std::string path = normalize(path_, object_path);
  const Where where{path_, path};
  Handle object = open_object(where, file, path);
  const htri_t exists = H5Aexists(object.get(), std::string(name).c_str());
  if (exists < 0) where.fail("cannot query attribute '" + std::string(name) + "'");
  return exists > 0;
}

std::vector<std::string> H5File::attribute_names(std::string_view object_path) const {
  const hid_t file = require_open(object_path);
  const std::string path = normalize(path_, object_path);
  const Where where{path_, path};
  Handle object = open_object(where, file, path);
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->emplace_back(name);
    return 0;
  };
  hsize_t index = 0;
  where.check(H5Aiterate2(object.get(), H5_INDEX_NAME, H5_ITER_INC, &index, collect, &names),
              "cannot list attributes");
  std::sort(names.begin(), names.end());
  return names;
}

// ---- reading ---------------------------------------------------------------------------------

namespace {

/// Opens the dataset at `path`, or, if `attribute` is given, that attribute of the object there.
Source open_source(const Where& where, hid_t file, const std::string& path,
                   std::optional<std::string_view> attribute) {
  if (!attribute) {
    return Source{where.check(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "cannot open dataset"), false};
  }
  Handle object = open_object(where, file, path);
  const std::string name(*attribute);
  const htri_t exists = H5Aexists(object.get(), name.c_str());
  if (exists < 0) where.fail("cannot query attribute '" + name + "'");
  if (exists == 0) where.fail("no attribute '" + name + "'");
  return Source{where.check(H5Aopen(object.get(), name.c_str(), H5P_DEFAULT), H5Aclose,
                            ("cannot open attribute '" + name + "'").c_str()),
                true};
}

/// Reads integers stored with any width and signedness; a value outside the range of T is an
/// error rather than HDF5's silent saturation.
template <typename T>
std::vector<T> read_integers(const Where& where, const Source& source, std::size_t rank,
                             std::vector<std::size_t>& dims) {
  Handle type = source.type(where);
  const bool stored_unsigned = H5Tget_class(type.get()) == H5T_INTEGER && H5Tget_sign(type.get()) == H5T_SGN_NONE;
  if constexpr (std::is_same_v<T, std::int64_t>) {
    if (stored_unsigned) {
      auto [d, raw] = read_numbers<std::uint64_t>(where, source, H5T_INTEGER, H5T_NATIVE_UINT64, rank);
      dims = std::move(d);
      std::vector<T> out;
      out.reserve(raw.size());
      for (std::uint64_t v : raw) {
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          where.fail("stored unsigned value " + std::to_string(v) + " does not fit in int64");
        }
        out.push_back(static_cast<T>(v));
      }
      return out;
    }
    auto [d, values] = read_numbers<std::int64_t>(where, source, H5T_INTEGER, H5T_NATIVE_INT64, rank);
    dims = std::move(d);
    return values;
  } else {
    static_assert(std::is_same_v<T, std::uint64_t>);
    if (!stored_unsigned) {
      auto [d, raw] = read_numbers<std::int64_t>(where, source, H5T_INTEGER, H5T_NATIVE_INT64, rank);
      dims = std::move(d);
      std::vector<T> out;
      out.reserve(raw.size());
      for (std::int64_t v : raw) {
        if (v < 0) where.fail("stored negative value " + std::to_string(v) + " does not fit in uint64");
        out.push_back(static_cast<T>(v));
      }
      return out;
    }
    auto [d, values] = read_numbers<std::uint64_t>(where, source, H5T_INTEGER, H5T_NATIVE_UINT64, rank);
    dims = std::move(d);
    return values;
  }
}

/// Every value of a dataset (no attribute given) or attribute of rank `rank`, flattened in
/// row-major order; `dims` receives the dimensions.
template <typename T>
std::vector<T> read_all(hid_t file, const std::filesystem::path& file_path, std::string_view object_path,
                        std::optional<std::string_view> attribute, std::size_t rank,
                        std::vector<std::size_t>& dims) {
  const std::string path = normalize(file_path, object_path);
  const Where where{file_path, path};
  const Source source = open_source(where, file, path, attribute);
  if constexpr (std::is_same_v<T, double>) {
    auto [d, values] = read_numbers<double>(where, source, H5T_FLOAT, H5T_NATIVE_DOUBLE, rank);
    dims = std::move(d);
    return values;
  } else if constexpr (std::is_same_v<T, std::string>) {
    return read_string_values(where, source, rank);  // checks the rank itself
  } else {
    return read_integers<T>(where, source, rank, dims);
  }
}

template <typename T>
std::vector<T> read_all(hid_t file, const std::filesystem::path& file_path, std::string_view object_path,
                        std::optional<std::string_view> attribute, std::size_t rank) {
  std::vector<std::size_t> dims;
  return read_all<T>(file, file_path, object_path, attribute, rank, dims);
}

template <typename T>
RowMajorArray<T> read_2d(hid_t file, const std::filesystem::path& file_path, std::string_view dataset_path) {
  std::vector<std::size_t> dims;
  RowMajorArray<T> array;
  array.values = read_all<T>(file, file_path, dataset_path, std::nullopt, 2, dims);
  array.rows = dims[0];
  array.cols = dims[1];
  return array;
}

}  // namespace

double H5File::read_double(std::string_view dataset_path) const {
  return read_all<double>(require_open(dataset_path), path_, dataset_path, std::nullopt, 0).front();
}

std::int64_t H5File::read_int64(std::string_view dataset_path) const {
  return read_all<std::int64_t>(require_open(dataset_path), path_, dataset_path, std::nullopt, 0).front();
}

std::uint64_t H5File::read_uint64(std::string_view dataset_path) const {
  return read_all<std::uint64_t>(require_open(dataset_path), path_, dataset_path, std::nullopt, 0).front();
}

std::string H5File::read_string(std::string_view dataset_path) const {
  return read_all<std::string>(require_open(dataset_path), path_, dataset_path, std::nullopt, 0).front();
}

std::vector<double> H5File::read_doubles(std::string_view dataset_path) const {
  return read_all<double>(require_open(dataset_path), path_, dataset_path, std::nullopt, 1);
}

std::vector<std::int64_t> H5File::read_int64s(std::string_view dataset_path) const {
  return read_all<std::int64_t>(require_open(dataset_path), path_, dataset_path, std::nullopt, 1);
}

std::vector<std::string> H5File::read_strings(std::string_view dataset_path) const {
  return read_all<std::string>(require_open(dataset_path), path_, dataset_path, std::nullopt, 1);
}

RowMajorArray<double> H5File::read_double_array(std::string_view dataset_path) const {
  return read_2d<double>(require_open(dataset_path), path_, dataset_path);
}

RowMajorArray<std::int64_t> H5File::read_int64_array(std::string_view dataset_path) const {
  return read_2d<std::int64_t>(require_open(dataset_path), path_, dataset_path);
}

std::string H5File::units(std::string_view dataset_path) const {
  return read_string_attribute(dataset_path, "units");
}

double H5File::read_double_attribute(std::string_view object_path, std::string_view name) const {
  return read_all<double>(require_open(object_path), path_, object_path, name, 0).front();
}

std::int64_t H5File::read_int64_attribute(std::string_view object_path, std::string_view name) const {
  return read_all<std::int64_t>(require_open(object_path), path_, object_path, name, 0).front();
}

std::uint64_t H5File::read_uint64_attribute(std::string_view object_path, std::string_view name) const {
  return read_all<std::uint64_t>(require_open(object_path), path_, object_path, name, 0).front();
}

std::string H5File::read_string_attribute(std::string_view object_path, std::string_view name) const {
  return read_all<std::string>(require_open(object_path), path_, object_path, name, 0).front();
}

std::vector<double> H5File::read_doubles_attribute(std::string_view object_path, std::string_view name) const {
  return read_all<double>(require_open(object_path), path_, object_path, name, 1);
}

}  // namespace ionhop::app
