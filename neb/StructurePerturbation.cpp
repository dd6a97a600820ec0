#include "neb/StructurePerturbation.hpp"

#include <Eigen/Dense>
#include <limits>
#include <stdexcept>

#include "lattice/StructureGeometry.hpp"

namespace ionhop::neb {

Eigen::Matrix3d random_symmetric_strain(RandomStream& rng, double max_strain) {
  if (!(max_strain >= 0.0) || max_strain >= 1.0) throw std::invalid_argument("random_symmetric_strain: max_strain must be in [0, 1)");
  Eigen::Matrix3d e;
  for (int r = 0; r < 3; ++r)
    for (int c = r; c < 3; ++c) e(r, c) = e(c, r) = rng.uniform(-max_strain, max_strain);
  return e;
}

lattice::Structure apply_strain(const lattice::Structure& s, const Eigen::Matrix3d& strain) {
  if (!strain.isApprox(strain.transpose(), 1e-12)) throw std::invalid_argument("apply_strain: the strain must be symmetric");
  const Eigen::Matrix3d deformation = Eigen::Matrix3d::Identity() + strain;
  if (!(deformation.determinant() > 0.0)) throw std::invalid_argument("apply_strain: I + strain must have a positive determinant");
  lattice::Structure out = s;
  out.cell = deformation * s.cell;
  out.positions = deformation * s.positions;
  return out;
}

void rattle(lattice::Structure& s, RandomStream& rng, double sigma_A) {
  if (!(sigma_A >= 0.0)) throw std::invalid_argument("rattle: sigma_A must be ≥ 0");
  for (std::size_t i = 0; i < s.size(); ++i) {
    for (int c = 0; c < 3; ++c) {
      const double d = sigma_A * rng.normal();  // drawn for fixed atoms too: the stream does not depend on the flags
      if (!s.is_fixed(i)) s.positions(c, static_cast<Eigen::Index>(i)) += d;
    }
  }
}

std::vector<std::size_t> remove_random_atoms(lattice::Structure& s, RandomStream& rng, const std::vector<std::string>& species) {
  std::vector<std::size_t> original(s.size());
  for (std::size_t i = 0; i < original.size(); ++i) original[i] = i;
  std::vector<std::size_t> removed;
  for (const std::string& name : species) {
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (s.species[i] == name) candidates.push_back(i);
    if (candidates.empty())
      throw std::invalid_argument("remove_random_atoms: no atom of species '" + name + "' left to remove");
    const std::size_t victim = candidates[rng.below(candidates.size())];
    removed.push_back(original[victim]);
    // Erase column `victim`, keeping the order of the others.
    const auto n = static_cast<Eigen::Index>(s.size());
    const auto v = static_cast<Eigen::Index>(victim);
    Eigen::Matrix3Xd kept(3, n - 1);
    kept.leftCols(v) = s.positions.leftCols(v);
    kept.rightCols(n - 1 - v) = s.positions.rightCols(n - 1 - v);
    s.positions = std::move(kept);
    s.species.erase(s.species.begin() + static_cast<std::ptrdiff_t>(victim));
    if (!s.fixed.empty()) s.fixed.erase(s.fixed.begin() + static_cast<std::ptrdiff_t>(victim));
    original.erase(original.begin() + static_cast<std::ptrdiff_t>(victim));
  }
  return removed;
}

Eigen::Vector3d emptiest_point(const lattice::Structure& s, RandomStream& rng, int candidates, double* clearance_A) {
  if (candidates < 1) throw std::invalid_argument("emptiest_point: candidates must be ≥ 1");
  Eigen::Vector3d best = Eigen::Vector3d::Zero();
  double best_clearance = -1.0;
  for (int k = 0; k < candidates; ++k) {
    Eigen::Vector3d f;
    for (int c = 0; c < 3; ++c) f[c] = rng.uniform();
    const Eigen::Vector3d point = s.cell * f;
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < s.size(); ++i)
      nearest = std::min(nearest, lattice::minimum_image(s, s.positions.col(static_cast<Eigen::Index>(i)), point).distance_A);
    if (nearest > best_clearance) {
      best_clearance = nearest;
      best = point;
    }
  }
  if (clearance_A != nullptr) *clearance_A = best_clearance;
  return best;
}

std::vector<double> insert_interstitials(lattice::Structure& s, RandomStream& rng, const std::vector<std::string>& species,
                                         int candidates) {
  std::vector<double> clearances;
  for (const std::string& name : species) {
    double clearance = 0.0;
    const Eigen::Vector3d point = emptiest_point(s, rng, candidates, &clearance);
    const auto n = static_cast<Eigen::Index>(s.size());
    s.positions.conservativeResize(3, n + 1);
    s.positions.col(n) = point;
    s.species.push_back(name);
    if (!s.fixed.empty()) s.fixed.push_back(0);
    clearances.push_back(clearance);
  }
  return clearances;
}

}  // namespace ionhop::neb
