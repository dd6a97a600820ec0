#pragma once
/// Tangent to the band at one image: the improved (upwind) tangent of
/// Henkelman & Jónsson, J. Chem. Phys. 113, 9978 (2000), eqs. 8–11.
#include <Eigen/Core>

namespace ionhop::neb {

/// Unit tangent at image i from its neighbours' coordinates and energies [eV]. At an energy
/// extremum along the band the two one-sided tangents are mixed by the energy differences
/// (eq. 10–11), elsewhere the higher-energy neighbour's side is used (eq. 8–9), which keeps
/// kinks from forming. Returns the zero vector if both neighbouring segments have zero length.
Eigen::VectorXd improved_tangent(const Eigen::VectorXd& r_prev, const Eigen::VectorXd& r,
                                 const Eigen::VectorXd& r_next, double e_prev, double e, double e_next);

}  // namespace ionhop::neb
