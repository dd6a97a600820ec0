#include "app/H5Handle.hpp"

#include "app/H5File.hpp"  // H5Error

namespace ionhop::app::h5 {

std::string error_detail() {
  std::string detail;
  auto collect = [](unsigned /*n*/, const H5E_error2_t* error, void* data) -> herr_t {
    auto* out = static_cast<std::string*>(data);
    // Walking upward visits the innermost error first; keep the first non-empty description.
    if (out->empty() && error->desc != nullptr) *out = error->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect, &detail);
  H5Eclear2(H5E_DEFAULT);
  return detail;
}

[[noreturn]] void fail(const std::filesystem::path& file, std::string_view object_path, std::string what) {
  const std::string detail = error_detail();
  if (!detail.empty()) what += " (HDF5: " + detail + ")";
  throw H5Error(file, std::string(object_path), std::move(what));
}

void silence_error_printing() {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

std::string normalize(const std::filesystem::path& file, std::string_view path) {
  std::string out;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') start = 1;
  std::string_view rest = path.substr(start);
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.empty()) {
    if (path.empty()) throw H5Error(file, std::string(path), "empty object path");
    return "/";
  }
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    if (component.empty() || component == "." || component == "..") {
      throw H5Error(file, std::string(path), "invalid object path (empty, '.' or '..' component)");
    }
    out += '/';
    out += component;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out;
}

Handle make_vlen_string_type(const Where& where) {
  Handle type = where.check(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy string type");
  where.check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot make string type variable-length");
  where.check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot set UTF-8 character set");
  return type;
}

Handle make_dataspace(const Where& where, const std::vector<hsize_t>& dims) {
  if (dims.empty()) return where.check(H5Screate(H5S_SCALAR), H5Sclose, "cannot create scalar dataspace");
  return where.check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                     "cannot create dataspace");
}

Handle make_link_creation_plist(const Where& where) {
  Handle lcpl = where.check(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "cannot create link property list");
  where.check(H5Pset_create_intermediate_group(lcpl.get(), 1), "cannot request intermediate groups");
  where.check(H5Pset_char_encoding(lcpl.get(), H5T_CSET_UTF8), "cannot set UTF-8 link names");
  return lcpl;
}

}  // namespace ionhop::app::h5
