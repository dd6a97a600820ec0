#pragma once
/// Coulomb energy of point charges in a periodic cell by Ewald summation:
/// real-space erfc sum + reciprocal-space sum + self term + uniform neutralising background
/// (for a cell with net charge Q, −π k Q²/(2Vα²); Hub, de Groot & van der Spoel, JCTC 10, 381
/// (2014)). The splitting α and the reciprocal cutoff follow from a requested accuracy through
/// the Kolafa–Perram error estimates (Mol. Simul. 9, 351 (1992)), in the form LAMMPS's
/// `kspace_style ewald` uses, so an accuracy here means the same as there.
#include <map>
#include <optional>
#include <string>

#include "neb/CellListPotential.hpp"

namespace ionhop::neb {

struct EwaldParams {
  double real_cutoff_A = 10.0;  ///< real-space cutoff r_c [Å]
  /// RMS force error target relative to the force between two unit charges 1 Å apart
  /// (accuracy × 14.4 eV/Å absolute), as LAMMPS's kspace_style ewald <accuracy>.
  double accuracy = 1e-6;
  std::optional<double> alpha_per_A;           ///< fixes the splitting α [1/Å] (else from accuracy)
  std::optional<double> kspace_cutoff_per_A;   ///< fixes the reciprocal cutoff |k|max [1/Å]
};

/// The splitting used for one structure.
struct EwaldSplitting {
  double alpha_per_A = 0.0;
  double real_cutoff_A = 0.0;
  double kspace_cutoff_per_A = 0.0;
};

/// Requires a fully periodic cell. Throws std::invalid_argument for bad parameters.
class CoulombEwald final : public CellListPotential {
 public:
  CoulombEwald(std::map<std::string, double> charges_e, EwaldParams params);

  std::string name() const override { return "coulomb_ewald"; }
  double cutoff_A() const override { return params_.real_cutoff_A; }
  const EwaldParams& params() const { return params_; }
  const std::map<std::string, double>& charges_e() const { return charges_; }

  /// α and |k|max for s (Kolafa–Perram; see EwaldParams).
  EwaldSplitting splitting(const lattice::Structure& s) const;

  void accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                  PotentialResult& result) const override;

 private:
  std::map<std::string, double> charges_;
  EwaldParams params_;
};

}  // namespace ionhop::neb
