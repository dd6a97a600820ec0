#pragma once
/// Parameters per unordered species pair, resolved against a structure's species to a dense
/// type-index table so the pair loop does no string work.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lattice/Structure.hpp"

namespace ionhop::neb {

template <class Params>
class SpeciesPairTable {
 public:
  /// Sets the parameters of the pair (a, b) (and (b, a)). Returns false if already set.
  bool set(const std::string& a, const std::string& b, const Params& p) {
    const int ia = index_or_add(a), ib = index_or_add(b);
    auto& slot = table_[static_cast<std::size_t>(ia * size() + ib)];
    if (slot) return false;
    slot = p;
    table_[static_cast<std::size_t>(ib * size() + ia)] = p;
    return true;
  }
  int size() const { return static_cast<int>(species_.size()); }
  const std::vector<std::string>& species() const { return species_; }
  /// Type index of each atom of s (−1: the species has no pairs in this table).
  std::vector<int> types_of(const lattice::Structure& s) const {
    std::vector<int> types(s.size(), -1);
    for (std::size_t i = 0; i < s.size(); ++i)
      for (int k = 0; k < size(); ++k)
        if (species_[static_cast<std::size_t>(k)] == s.species[i]) types[i] = k;
    return types;
  }
  /// Parameters of types (a, b), or nullptr when the pair does not interact.
  const Params* find(int a, int b) const {
    if (a < 0 || b < 0) return nullptr;
    const auto& slot = table_[static_cast<std::size_t>(a * size() + b)];
    return slot ? &*slot : nullptr;
  }
  /// Every set pair once (a ≤ b), with its parameters.
  template <class F>
  void for_each_pair(F&& f) const {
    for (int a = 0; a < size(); ++a)
      for (int b = a; b < size(); ++b)
        if (const Params* p = find(a, b)) f(species_[static_cast<std::size_t>(a)], species_[static_cast<std::size_t>(b)], *p);
  }

 private:
  int index_or_add(const std::string& name) {
    for (int k = 0; k < size(); ++k)
      if (species_[static_cast<std::size_t>(k)] == name) return k;
    const int old = size();
    species_.push_back(name);
    std::vector<std::optional<Params>> grown(static_cast<std::size_t>((old + 1) * (old + 1)));
    for (int a = 0; a < old; ++a)
      for (int b = 0; b < old; ++b)
        grown[static_cast<std::size_t>(a * (old + 1) + b)] = std::move(table_[static_cast<std::size_t>(a * old + b)]);
    table_ = std::move(grown);
    return old;
  }
  std::vector<std::string> species_;
  std::vector<std::optional<Params>> table_;
};

}  // namespace ionhop::neb
