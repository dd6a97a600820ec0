#pragma once
/// Relaxation of atomic positions and cell shape under zero stress (isotropic or orthorhombic).
#include <Eigen/Core>

#include "lattice/Structure.hpp"
#include "neb/Potential.hpp"
#include "neb/Relax.hpp"

namespace ionhop::neb {

/// Which cell degrees of freedom relax. The cell is deformed by F = diag(1 + e_x, 1 + e_y, 1 + e_z)
/// applied to the starting cell (Cartesian axes): isotropic ties e_x = e_y = e_z; orthorhombic
/// relaxes the three independently (shear is not relaxed).
enum class CellRelaxMode { isotropic, orthorhombic };

struct CellRelaxParams {
  RelaxParams relax;                       ///< optimizer, fmax_eV_A for the atoms, step limit, max step
  CellRelaxMode mode = CellRelaxMode::isotropic;
  double stress_tol_eV_A3 = 1e-4;          ///< converged when |σ_kk| (isotropic: |tr σ|/3) is below [eV/Å³] (1e-4 eV/Å³ ≈ 16 MPa)
};

struct CellRelaxResult {
  lattice::Structure structure;     ///< relaxed cell and positions
  double energy_eV = 0.0;
  Eigen::Matrix3d stress_eV_A3 = Eigen::Matrix3d::Zero();  ///< σ = −W/V of `structure` (positive = tensile)
  double fmax_eV_A = 0.0;           ///< largest free-atom force
  double max_stress_eV_A3 = 0.0;    ///< largest relaxed stress component (isotropic: |tr σ|/3)
  int steps = 0;
  int force_calls = 0;
  bool converged = false;
  RelaxStatus status = RelaxStatus::step_limit;
};

/// Relaxes free atoms and the cell to zero stress. Fixed atoms follow the cell affinely (their
/// fractional coordinates stay). The strain coordinates are scaled so that a generalized force
/// equal to fmax_eV_A corresponds to a stress of stress_tol_eV_A3: one optimizer and one
/// convergence test serve both (the stress test holds to a factor (V/V₀)/(1 + e_k), i.e. to the
/// strain reached). Throws std::invalid_argument if the potential has no virial.
CellRelaxResult relax_cell(const lattice::Structure& s, const Potential& potential, const CellRelaxParams& params = {});

}  // namespace ionhop::neb
