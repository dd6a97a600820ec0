#include "lattice/StructureIO.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "lattice/StructureCif.hpp"
#include "lattice/StructureExtxyz.hpp"
#include "lattice/StructureFileError.hpp"
#include "lattice/StructurePoscar.hpp"

namespace ionhop::lattice {
namespace {

enum class Format { cif, extxyz, poscar };

Format format_of(const std::string& path) {
  const std::filesystem::path p(path);
  std::string ext = p.extension().string();
  std::string stem = p.filename().string();
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  };
  ext = lower(ext);
  stem = lower(stem);
  if (ext == ".cif") return Format::cif;
  if (ext == ".xyz" || ext == ".extxyz") return Format::extxyz;
  if (ext == ".vasp" || ext == ".poscar" || stem.rfind("poscar", 0) == 0 || stem.rfind("contcar", 0) == 0) return Format::poscar;
  throw StructureFileError(path, 0, "unknown structure format (expected .cif, .xyz, .extxyz, .vasp, POSCAR* or CONTCAR*)");
}

}  // namespace

Structure read_structure(const std::string& path) {
  switch (format_of(path)) {
    case Format::cif: {
      CifStructure cif = read_cif(path);
      if (!cif.partial_sites.empty())
        throw StructureFileError(path, 0, std::to_string(cif.partial_sites.size()) +
                                              " partially occupied sites (first: '" + cif.partial_sites.front().label +
                                              "'); choose an ordering first");
      return std::move(cif.structure);
    }
    case Format::extxyz: {
      auto frames = read_extxyz(path);
      if (frames.empty()) throw StructureFileError(path, 0, "no frames");
      return std::move(frames.back().structure);
    }
    case Format::poscar:
      return read_poscar(path);
  }
  throw StructureFileError(path, 0, "unreachable");
}

void write_structure(const std::string& path, const Structure& s) {
  switch (format_of(path)) {
    case Format::cif:
      throw StructureFileError(path, 0, "writing CIF is not supported; use POSCAR or extended XYZ");
    case Format::extxyz:
      write_extxyz(path, {XyzFrame{s, std::nullopt, std::nullopt, {}}});
      return;
    case Format::poscar:
      write_poscar(path, s);
      return;
  }
}

}  // namespace ionhop::lattice
