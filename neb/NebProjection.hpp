#pragma once
/// Force projections of the nudged elastic band.
/// Nudging: Jónsson, Mills & Jacobsen, in "Classical and Quantum Dynamics in Condensed Phase
/// Simulations" (1998); climbing image: Henkelman, Uberuaga & Jónsson, J. Chem. Phys. 113, 9901 (2000), eq. 5.
#include <Eigen/Core>

namespace ionhop::neb {

/// F⊥ = F − (F·τ)τ: the true force with its component along the unit tangent removed.
Eigen::VectorXd perpendicular_force(const Eigen::VectorXd& force, const Eigen::VectorXd& tangent);

/// F_climb = F − 2(F·τ)τ: the climbing image moves up along the path and down across it; it
/// feels no spring force.
Eigen::VectorXd climbing_force(const Eigen::VectorXd& force, const Eigen::VectorXd& tangent);

}  // namespace ionhop::neb
