#pragma once
/// A short-range pair potential: Σ_{pairs r < r_c} [φ_ab(r) − φ_ab(r_c)], the shift making the
/// energy continuous at the cutoff (forces keep their small step there, as in LAMMPS's
/// `pair_modify shift yes`). Form is one of PairForms.hpp. Species pairs without parameters do
/// not interact.
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

  /// Throws std::invalid_argument if cutoff_A ≤ 0.
  PairPotential(SpeciesPairTable<Params> table, double cutoff_A);

  PotentialResult compute(const lattice::Structure& s, const ComputeRequest& req = {}) const override {
    return CellListPotential::compute(s, req);
  }
  std::string name() const override { return Form::name; }
  double cutoff_A() const override { return cutoff_; }
  const SpeciesPairTable<Params>& table() const { return table_; }

  void accumulate(const lattice::Structure& s, const CellList& cells, const ComputeRequest& req,
                  PotentialResult& result) const override;

 private:
  struct Entry {
    Params params;
    double shift_eV = 0.0;  ///< φ(r_c)
  };
  SpeciesPairTable<Params> table_;
  SpeciesPairTable<Entry> entries_;
  double cutoff_ = 0.0;
};

template <class Form>
PairPotential<Form>::PairPotential(SpeciesPairTable<Params> table, double cutoff_A) : table_(std::move(table)), cutoff_(cutoff_A) {
  if (!(cutoff_A > 0.0)) throw std::invalid_argument(std::string(Form::name) + ": cutoff must be positive");
  table_.for_each_pair([&](const std::string& a, const std::string& b, const Params& p) {
    entries_.set(a, b, Entry{p, Form::evaluate(p, cutoff_).energy_eV});
  });
}

template <class Form>
void PairPotential<Form>::accumulate(const lattice::Structure& s, const CellList& cells, const ComputeRequest& req,
                                     PotentialResult& result) const {
  const std::size_t n = s.size();
  const std::vector<int> types = entries_.types_of(s);
  const double cutoff2 = cutoff_ * cutoff_;
  std::vector<double> energy(n, 0.0);
  Eigen::Matrix3Xd forces = Eigen::Matrix3Xd::Zero(3, req.forces ? static_cast<Eigen::Index>(n) : 0);
  std::vector<Eigen::Matrix3d> virial(req.virial ? n : 0, Eigen::Matrix3d::Zero());
  // Full neighbour traversal per atom: each pair is evaluated from both ends, so every atom owns
  // its sums and threads never share an accumulator (deterministic, no atomics).
#pragma omp parallel for schedule(dynamic, 32) if (n >= kMinAtomsPerParallelLoop)
  for (std::size_t i = 0; i < n; ++i) {
    if (types[i] < 0) continue;
    double e = 0.0;
    Eigen::Vector3d f = Eigen::Vector3d::Zero();
    Eigen::Matrix3d w = Eigen::Matrix3d::Zero();
    cells.for_each_neighbor(i, [&](std::size_t j, const Eigen::Vector3i&, const Eigen::Vector3d& rij, double r2) {
      if (r2 >= cutoff2) return;
      const Entry* entry = entries_.find(types[i], types[j]);
      if (entry == nullptr) return;
      const double r = std::sqrt(r2);
      const PairValue v = Form::evaluate(entry->params, r);
      e += 0.5 * (v.energy_eV - entry->shift_eV);
      // rij = r_j − r_i: the force on i is +φ'(r) r̂_ij; the pair virial r_ij ⊗ f_ij = −φ'/r r_ij r_ijᵀ.
      const double g = v.derivative_eV_A / r;
      f += g * rij;
      if (req.virial) w -= (0.5 * g) * (rij * rij.transpose());
    });
    energy[i] = e;
    if (req.forces) forces.col(static_cast<Eigen::Index>(i)) = f;
    if (req.virial) virial[i] = w;
  }
  add_per_atom(energy, forces, virial, req, result);
}

using LennardJonesPotential = PairPotential<LennardJonesForm>;
using MorsePotential = PairPotential<MorseForm>;
using BuckinghamPotential = PairPotential<BuckinghamForm>;
using RepulsionR12Potential = PairPotential<RepulsionR12Form>;

}  // namespace ionhop::neb
