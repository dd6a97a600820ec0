#pragma once
/// The state of a nudged elastic band and its NEB force, as an objective for FIRE / L-BFGS.
#include <Eigen/Core>
#include <optional>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/NebSpring.hpp"
#include "neb/Potential.hpp"
#include "neb/RelaxObjective.hpp"

namespace ionhop::neb {

/// A band of images R_0 … R_{n−1} with fixed end points. The optimisation coordinates are the
/// free-atom coordinates of the intermediate images, concatenated (3·N_free·(n−2) values). The
/// NEB force on image i is F⊥_i + F^spring_∥,i (improved tangent), or F_i − 2(F_i·τ_i)τ_i on the
/// climbing image (the highest intermediate image). Images are evaluated in parallel with OpenMP
/// when every potential is thread safe, there are at least two intermediate images and at least
/// 8 atoms (smaller model systems run serially); all sums over images are done serially afterwards, so the
/// result does not depend on the thread count.
class NebBand final : public RelaxObjective {
 public:
  /// `band`: all images, end points included (≥ 3), already unwrapped (see unwrap_to) and with the
  /// same fixed flags; `potentials`: one per image (the end points' are called once, here).
  NebBand(std::vector<lattice::Structure> band, std::vector<const Potential*> potentials,
          const NebSpringParams& springs);

  Eigen::Index dimension() const override { return dimension_; }
  /// Evaluates every intermediate image at x; returns the highest image energy [eV].
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& force) override;
  /// Max over intermediate images and atoms of |F⊥| (|F| for the climbing image) [eV/Å] at the
  /// last evaluation; the spring force is not part of it. The argument is not used.
  double residual(const Eigen::VectorXd& force) const override;

  /// Current coordinates (the x that reproduces the current images).
  Eigen::VectorXd coordinates() const;
  /// Turns the climbing image on or off; the NEB force is recomputed without new force calls.
  void set_climbing(bool on);
  bool climbing() const { return climbing_; }
  /// NEB force of the current images (what evaluate() last returned, after set_climbing).
  const Eigen::VectorXd& neb_force() const { return neb_force_; }

  const std::vector<lattice::Structure>& images() const { return images_; }
  const std::vector<double>& energies_eV() const { return energies_; }
  /// Energy variance reported per image [eV²] (empty optional if the potential gives none).
  const std::vector<std::optional<double>>& variances_eV2() const { return variances_; }
  /// Unit tangent at intermediate image i (1 ≤ i ≤ n−2), free coordinates.
  const Eigen::VectorXd& tangent(std::size_t i) const { return tangents_[i]; }
  /// Largest free-atom force on either end state [eV/Å].
  double end_state_fmax_eV_A() const { return end_fmax_; }
  /// Index of the highest intermediate image (the climbing one when climbing is on).
  std::size_t highest_image() const { return highest_; }
  /// Shortest segment |R_{i+1} − R_i| divided by the mean segment length.
  double min_spacing_ratio() const;
  /// Total length Σ|R_{i+1} − R_i| of the band [Å].
  double path_length_A() const;
  /// Potential::compute calls so far (two for the end points, then one per image evaluation).
  int force_calls() const { return force_calls_; }

 private:
  void compute_images();
  void compute_neb_force();

  std::vector<lattice::Structure> images_;
  std::vector<const Potential*> potentials_;
  NebSpringParams springs_;
  std::vector<Eigen::Index> free_;
  Eigen::Index per_image_ = 0;
  Eigen::Index dimension_ = 0;
  bool parallel_ = true;
  bool climbing_ = false;
  std::vector<double> energies_;
  std::vector<std::optional<double>> variances_;
  std::vector<Eigen::VectorXd> forces_;    // true forces, free coordinates
  std::vector<Eigen::VectorXd> tangents_;
  Eigen::VectorXd neb_force_;
  double residual_ = 0.0;
  double end_fmax_ = 0.0;
  std::size_t highest_ = 1;
  int force_calls_ = 0;
};

}  // namespace ionhop::neb
