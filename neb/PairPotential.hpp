#pragma once
/// A short-range pair potential, Form one of PairForms.hpp, with one of two cutoff treatments:
///  - shifted (default): Σ_{pairs r < r_c} [φ_ab(r) − φ_ab(r_c)], the shift making the energy
///    continuous at the cutoff (forces keep their small step there, as in LAMMPS's
///    `pair_modify shift yes`);
///  - switched (switch_on_A = r_on given): Σ_{pairs r < r_c} φ_ab(r)·S(r), no shift, with the
///    quintic switch S = 6s⁵ − 15s⁴ + 10s³, s = (r_c − r)/(r_c − r_on), S = 1 below r_on: energy,
///    force and force derivative continuous at both radii. This is the cutoff of ASE's
///    MorsePotential (rcut1 = r_on/r0, rcut2 = r_c/r0; a C²,¹ polynomial from JuLIP.jl).
/// Species pairs without parameters do not interact.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "neb/CellListPotential.hpp"
#include "neb/PairForms.hpp"
#include "neb/SpeciesPairTable.hpp"

namespace ionhop::neb {

template <class Form>
class PairPotential final : public CellListPotential {
 public:
  using Params = typename Form::Params;

  /// Throws std::invalid_argument if cutoff_A ≤ 0 or switch_on_A is not in [0, cutoff_A).
  PairPotential(SpeciesPairTable<Params> table, double cutoff_A, std::optional<double> switch_on_A = std::nullopt);

  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override {
    return CellListPotential::compute(s, req);
  }
  std::string name() const override { return Form::name; }
  double cutoff_A() const override { return cutoff_; }
  /// Inner radius of the switched cutoff [Å], if that treatment is used.
  std::optional<double> switch_on_A() const { return switch_on_; }
  const SpeciesPairTable<Params>& table() const { return table_; }

  void accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                  PotentialResult& result) const override;

 private:
  struct Entry {
    Params params;
    double shift_eV = 0.0;  ///< φ(r_c)
  };
  SpeciesPairTable<Params> table_;
  SpeciesPairTable<Entry> entries_;
  double cutoff_ = 0.0;
  std::optional<double> switch_on_;
};

template <class Form>
PairPotential<Form>::PairPotential(SpeciesPairTable<Params> table, double cutoff_A, std::optional<double> switch_on_A)
    : table_(std::move(table)), cutoff_(cutoff_A), switch_on_(switch_on_A) {
  if (!(cutoff_A > 0.0)) throw std::invalid_argument(std::string(Form::name) + ": cutoff must be positive");
  if (switch_on_ && !(*switch_on_ >= 0.0 && *switch_on_ < cutoff_A))
    throw std::invalid_argument(std::string(Form::name) + ": switch_on_A must be in [0, cutoff_A)");
  table_.for_each_pair([&](const std::string& a, const std::string& b, const Params& p) {
    entries_.set(a, b, Entry{p, switch_on_ ? 0.0 : Form::evaluate(p, cutoff_).energy_eV});
  });
}

template <class Form>
void PairPotential<Form>::accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                                     PotentialResult& result) const {
  const std::vector<int> types = entries_.types_of(s);
  const double r_on = switch_on_.value_or(cutoff_);
  const double inverse_width = switch_on_ ? 1.0 / (cutoff_ - r_on) : 0.0;
  accumulate_pairs(pairs, s, cutoff_, req, result, [&](int i, int j, double r2) -> PairTerm {
    const Entry* entry = entries_.find(types[static_cast<std::size_t>(i)], types[static_cast<std::size_t>(j)]);
    if (entry == nullptr) return {};
    const double r = std::sqrt(r2);
    const PairValue v = Form::evaluate(entry->params, r);
    if (r <= r_on) return {v.energy_eV - entry->shift_eV, v.derivative_eV_A / r};
    // Quintic switch S(s) = 6s⁵ − 15s⁴ + 10s³, s = (r_c − r)/(r_c − r_on); dS/dr = −30s²(1 − s)²/(r_c − r_on).
    const double x = (cutoff_ - r) * inverse_width;
    const double x2 = x * x;
    const double sw = x2 * x * (10.0 + x * (-15.0 + 6.0 * x));
    const double dsw = -30.0 * x2 * (1.0 - x) * (1.0 - x) * inverse_width;
    return {v.energy_eV * sw, (v.derivative_eV_A * sw + v.energy_eV * dsw) / r};
  });
}

using LennardJonesPotential = PairPotential<LennardJonesForm>;
using MorsePotential = PairPotential<MorseForm>;
using BuckinghamPotential = PairPotential<BuckinghamForm>;
using RepulsionR12Potential = PairPotential<RepulsionR12Form>;

}  // namespace ionhop::neb
