#include "neb/NebBand.hpp"

#include <exception>
#include <limits>
#include <stdexcept>

#include "neb/NebProjection.hpp"
#include "neb/NebTangent.hpp"
#include "neb/RelaxFreeAtoms.hpp"

namespace ionhop::neb {

NebBand::NebBand(std::vector<lattice::Structure> band, std::vector<const Potential*> potentials,
                 const NebSpringParams& springs)
    : images_(std::move(band)), potentials_(std::move(potentials)), springs_(springs) {
  const std::size_t n = images_.size();
  if (n < 3) throw std::invalid_argument("NebBand: a band needs two end points and at least one image");
  if (potentials_.size() != n) throw std::invalid_argument("NebBand: one potential per image is required");
  free_ = free_atom_indices(images_.front());
  for (const auto& im : images_) {
    if (im.size() != images_.front().size() || free_atom_indices(im) != free_) {
      throw std::invalid_argument("NebBand: images differ in atom count or fixed flags");
    }
  }
  for (const Potential* p : potentials_) {
    if (p == nullptr) throw std::invalid_argument("NebBand: null potential");
    parallel_ = parallel_ && p->capabilities().thread_safe;
  }
  // Model surfaces (a handful of atoms) cost microseconds per image: a parallel region there
  // costs more than it saves, and on a loaded machine far more.
  constexpr std::size_t kMinAtomsForParallelImages = 8;
  parallel_ = parallel_ && images_.front().size() >= kMinAtomsForParallelImages && n > 3;
  per_image_ = 3 * static_cast<Eigen::Index>(free_.size());
  dimension_ = per_image_ * static_cast<Eigen::Index>(n - 2);
  energies_.assign(n, 0.0);
  variances_.assign(n, std::nullopt);
  forces_.assign(n, Eigen::VectorXd::Zero(per_image_));
  tangents_.assign(n, Eigen::VectorXd::Zero(per_image_));
  for (std::size_t i : {std::size_t{0}, n - 1}) {
    const PotentialResult r = potentials_[i]->compute(images_[i], ComputeRequest{true, false});
    ++force_calls_;
    energies_[i] = r.energy_eV;
    variances_[i] = r.energy_variance_eV2;
    forces_[i] = gather_atoms(r.forces, free_);
    end_fmax_ = std::max(end_fmax_, neb::max_block_norm(forces_[i], 3));
  }
  compute_images();
  compute_neb_force();
}

Eigen::VectorXd NebBand::coordinates() const {
  Eigen::VectorXd x(dimension_);
  for (std::size_t i = 1; i + 1 < images_.size(); ++i) {
    x.segment(per_image_ * static_cast<Eigen::Index>(i - 1), per_image_) = gather_atoms(images_[i].positions, free_);
  }
  return x;
}

void NebBand::compute_images() {
  const int n_inner = static_cast<int>(images_.size()) - 2;
  std::vector<std::exception_ptr> errors(images_.size());
  // Each image writes only its own slots: the same numbers whatever the thread count.
#pragma omp parallel for schedule(static) if (parallel_)
  for (int k = 1; k <= n_inner; ++k) {
    try {
      const PotentialResult r = potentials_[k]->compute(images_[k], ComputeRequest{true, false});
      energies_[k] = r.energy_eV;
      variances_[k] = r.energy_variance_eV2;
      forces_[k] = gather_atoms(r.forces, free_);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  }
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  force_calls_ += n_inner;
}

void NebBand::compute_neb_force() {
  const std::size_t n = images_.size();
  std::vector<Eigen::VectorXd> r(n);
  for (std::size_t i = 0; i < n; ++i) r[i] = gather_atoms(images_[i].positions, free_);
  const std::vector<double> k = segment_spring_constants(energies_, springs_);
  highest_ = 1;
  for (std::size_t i = 2; i + 1 < n; ++i) {
    if (energies_[i] > energies_[highest_]) highest_ = i;
  }
  neb_force_.resize(dimension_);
  residual_ = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    tangents_[i] = improved_tangent(r[i - 1], r[i], r[i + 1], energies_[i - 1], energies_[i], energies_[i + 1]);
    Eigen::VectorXd f;
    if (climbing_ && i == highest_) {
      f = climbing_force(forces_[i], tangents_[i]);
      residual_ = std::max(residual_, neb::max_block_norm(forces_[i], 3));
    } else {
      const Eigen::VectorXd perp = perpendicular_force(forces_[i], tangents_[i]);
      residual_ = std::max(residual_, neb::max_block_norm(perp, 3));
      f = perp + parallel_spring_force(r[i - 1], r[i], r[i + 1], k[i - 1], k[i], tangents_[i]);
    }
    neb_force_.segment(per_image_ * static_cast<Eigen::Index>(i - 1), per_image_) = f;
  }
}

double NebBand::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& force) {
  if (x.size() != dimension_) throw std::invalid_argument("NebBand::evaluate: wrong coordinate count");
  for (std::size_t i = 1; i + 1 < images_.size(); ++i) {
    scatter_atoms(x.segment(per_image_ * static_cast<Eigen::Index>(i - 1), per_image_), free_, images_[i].positions);
  }
  compute_images();
  compute_neb_force();
  force = neb_force_;
  return energies_[highest_];
}

double NebBand::residual(const Eigen::VectorXd& /*force*/) const { return residual_; }

void NebBand::set_climbing(bool on) {
  climbing_ = on;
  compute_neb_force();
}

double NebBand::path_length_A() const {
  double total = 0.0;
  for (std::size_t i = 0; i + 1 < images_.size(); ++i) total += (images_[i + 1].positions - images_[i].positions).norm();
  return total;
}

double NebBand::min_spacing_ratio() const {
  double total = 0.0, shortest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i + 1 < images_.size(); ++i) {
    const double l = (images_[i + 1].positions - images_[i].positions).norm();
    total += l;
    shortest = std::min(shortest, l);
  }
  const double mean = total / static_cast<double>(images_.size() - 1);
  return mean > 0.0 ? shortest / mean : 0.0;
}

}  // namespace ionhop::neb
