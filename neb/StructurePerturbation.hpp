#pragma once
/// Random perturbations of a structure that sample the configurations a training set needs:
/// homogeneous strain, atomic displacements, vacancies and interstitials. Every function draws
/// only from the RandomStream it is given, so (seed, stream) fixes the result.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/RandomStream.hpp"

namespace ionhop::neb {

/// A random symmetric strain ε: each of the six independent components uniform in
/// [−max_strain, max_strain].
Eigen::Matrix3d random_symmetric_strain(RandomStream& rng, double max_strain);

/// The structure deformed homogeneously by (I + ε): cell and positions alike (fractional
/// coordinates unchanged). ε must be symmetric with I + ε invertible.
lattice::Structure apply_strain(const lattice::Structure& s, const Eigen::Matrix3d& strain);

/// Adds to every free atom a Gaussian displacement of standard deviation `sigma_A` [Å] per
/// Cartesian component (fixed atoms stay).
void rattle(lattice::Structure& s, RandomStream& rng, double sigma_A);

/// Removes one atom of each listed species (repeat a species to remove several), chosen
/// uniformly among the remaining atoms of that species. Returns the removed atoms' indices in
/// the original structure. Throws std::invalid_argument when too few atoms of a species exist.
std::vector<std::size_t> remove_random_atoms(lattice::Structure& s, RandomStream& rng, const std::vector<std::string>& species);

/// The point of the periodic cell farthest from every atom among `candidates` uniform random
/// points (an approximation of the centre of the largest empty sphere: an interstitial void).
/// Returns the Cartesian point [Å]; `clearance_A` receives its distance to the nearest atom.
Eigen::Vector3d emptiest_point(const lattice::Structure& s, RandomStream& rng, int candidates, double* clearance_A = nullptr);

/// Appends one free atom of each listed species, each at the emptiest_point of the structure as
/// it is then (so several interstitials do not land on one another). Returns the clearances [Å].
std::vector<double> insert_interstitials(lattice::Structure& s, RandomStream& rng, const std::vector<std::string>& species,
                                         int candidates = 512);

}  // namespace ionhop::neb
