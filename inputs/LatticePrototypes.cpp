#include "inputs/LatticePrototypes.hpp"

#include <array>

namespace ionhop::inputs {

namespace {

constexpr std::array<std::string_view, 1> kSingleA{"A"};
constexpr std::array<std::string_view, 1> kTetrahedral{"T"};
constexpr std::array<std::string_view, 2> kTetrahedralOctahedral{"T", "O"};

constexpr std::array<LatticePrototypeInfo, 11> kPrototypes{{
    {"chain", kSingleA, 1, false, "linear chain, spacing a"},
    {"square", kSingleA, 2, false, "square lattice, spacing a"},
    {"triangular", kSingleA, 2, false, "triangular lattice, spacing a"},
    {"honeycomb", kSingleA, 2, false, "honeycomb lattice (two sites per cell), cell parameter a"},
    {"sc", kSingleA, 3, false, "simple cubic, cube edge a"},
    {"bcc", kSingleA, 3, false, "body-centred cubic, cube edge a"},
    {"fcc", kSingleA, 3, false, "face-centred cubic, cube edge a"},
    {"diamond", kSingleA, 3, false, "diamond lattice, cube edge a"},
    {"bcc_anion_T", kTetrahedral, 3, false,
     "tetrahedral interstices of a bcc anion framework (e.g. Li10GeP2S12, Li7P3S11), cube edge a"},
    {"fcc_anion_TO", kTetrahedralOctahedral, 3, false,
     "tetrahedral and octahedral interstices of an fcc anion framework, cube edge a"},
    {"hcp_anion_TO", kTetrahedralOctahedral, 3, true,
     "tetrahedral and octahedral interstices of an hcp anion framework, in-plane a, height c = a * c_over_a"},
}};

}  // namespace

std::span<const LatticePrototypeInfo> lattice_prototypes() { return kPrototypes; }

const LatticePrototypeInfo* find_lattice_prototype(std::string_view name) {
  for (const LatticePrototypeInfo& prototype : kPrototypes) {
    if (prototype.name == name) return &prototype;
  }
  return nullptr;
}

}  // namespace ionhop::inputs
