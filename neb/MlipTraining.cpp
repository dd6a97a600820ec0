#include "neb/MlipTraining.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <set>
#include <stdexcept>

#include "neb/AceBasis.hpp"
#include "neb/MlipFrameTargets.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {

namespace {

using Clock = std::chrono::steady_clock;
using Eigen::Index;

enum Kind : std::size_t { kEnergy = 0, kForce = 1, kStress = 2, kKinds = 3 };

/// Normal-equation sums of one kind of label over some frames (rows pre-multiplied by √weight):
/// G = Σ x xᵀ, h = Σ x y, yy = Σ y², weight = Σ weights, rows = row count.
struct LabelSums {
  Eigen::MatrixXd G;
  Eigen::VectorXd h;
  double yy = 0.0;
  double weight = 0.0;
  std::size_t rows = 0;

  explicit LabelSums(Index p = 0) : G(Eigen::MatrixXd::Zero(p, p)), h(Eigen::VectorXd::Zero(p)) {}
  /// Σ of the squared residuals of coefficients c over these rows: yy − 2 cᵀh + cᵀGc.
  double residual_sum(const Eigen::VectorXd& c) const {
    return G.size() == 0 ? 0.0 : std::max(0.0, yy - 2.0 * c.dot(h) + c.dot(G * c));
  }
};

/// G += X Xᵀ (and h += X y), in fixed blocks of rows of G. Eigen computes a product serially
/// inside a parallel region, and the blocks do not depend on the thread count, so every
/// element is summed in the same order whatever the number of threads.
void add_gram(Eigen::MatrixXd& G, Eigen::VectorXd* h, const Eigen::MatrixXd& X, const Eigen::VectorXd* y) {
  constexpr Index kBlock = 64;
  const Index P = G.rows();
  const Index blocks = (P + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(dynamic, 1)
  for (Index b = 0; b < blocks; ++b) {
    const Index r0 = b * kBlock, w = std::min(kBlock, P - r0);
    G.middleRows(r0, w).noalias() += X.middleRows(r0, w) * X.transpose();
    if (h != nullptr) h->segment(r0, w).noalias() += X.middleRows(r0, w) * *y;
  }
}

/// The weighted rows of one frame.
struct FrameRows {
  std::array<Eigen::MatrixXd, kKinds> x;  ///< P × rows, × √w
  std::array<Eigen::VectorXd, kKinds> y;  ///< rows, × √w
  std::array<double, kKinds> weight{};    ///< Σ w over the rows
  Eigen::MatrixXd descriptors;            ///< F × N
  std::vector<int> elements;
};

FrameRows frame_rows(const AceBasis& basis, const Potential* baseline, const lattice::XyzFrame& frame,
                     const MlipFrameTargets& t) {
  const lattice::Structure& s = frame.structure;
  const auto n = static_cast<Index>(s.size());
  const bool stress = t.stress_eV_per_A3.has_value();
  const AceDesign d = basis.design(s, stress, true);
  FrameRows r;
  r.descriptors = d.atom_descriptors;
  r.elements = basis.element_indices(s);
  // The baseline's labels (zero without a baseline).
  double baseline_energy = 0.0;
  Eigen::Matrix3Xd baseline_forces = Eigen::Matrix3Xd::Zero(3, n);
  Eigen::Matrix3d baseline_virial = Eigen::Matrix3d::Zero();
  if (baseline != nullptr) {
    const PotentialResult b = baseline->compute(s, ComputeRequest{.forces = t.forces_eV_per_A.has_value(), .virial = stress});
    baseline_energy = b.energy_eV;
    if (t.forces_eV_per_A) baseline_forces = b.forces;
    if (stress) baseline_virial = b.virial_eV.value_or(Eigen::Matrix3d::Zero());
  }
  const double sw = std::sqrt(t.weight);
  if (t.energy_eV) {
    r.x[kEnergy] = d.columns.col(0) * (sw / static_cast<double>(n));
    r.y[kEnergy] = Eigen::VectorXd::Constant(1, sw * (*t.energy_eV - baseline_energy) / static_cast<double>(n));
    r.weight[kEnergy] = t.weight;
  }
  if (t.forces_eV_per_A) {
    r.x[kForce] = d.columns.middleCols(1, 3 * n) * sw;
    const Eigen::Matrix3Xd f = *t.forces_eV_per_A - baseline_forces;
    r.y[kForce] = Eigen::Map<const Eigen::VectorXd>(f.data(), 3 * n) * sw;
    r.weight[kForce] = t.weight * static_cast<double>(3 * n);
  }
  if (stress) {
    // σ = −W/V; rows xx, yy, zz, yz, xz, xy.
    const double volume = s.volume_A3();
    r.x[kStress] = d.columns.rightCols(6) * (-sw / volume);
    const Eigen::Matrix3d target = *t.stress_eV_per_A3 + baseline_virial / volume;  // σ − σ_baseline
    r.y[kStress].resize(6);
    r.y[kStress] << target(0, 0), target(1, 1), target(2, 2), target(1, 2), target(0, 2), target(0, 1);
    r.y[kStress] *= sw;
    r.weight[kStress] = t.weight * 6.0;
  }
  return r;
}

/// Everything the solve needs from the data, for one basis.
struct NormalEquations {
  std::vector<std::array<LabelSums, kKinds>> folds;
  std::array<LabelSums, kKinds> all;
  std::vector<Eigen::MatrixXd> descriptor_gram;  ///< per element Σ B Bᵀ
  std::vector<Eigen::VectorXd> descriptor_sum;
  std::vector<double> descriptor_count;
  double seconds = 0.0;
};

NormalEquations build_normal_equations(const AceBasis& basis, const Potential* baseline,
                                       const std::vector<lattice::XyzFrame>& frames,
                                       const std::vector<MlipFrameTargets>& targets, int folds, std::size_t batch) {
  const auto start = Clock::now();
  const auto P = static_cast<Index>(basis.coefficient_count());
  const auto F = static_cast<Index>(basis.features_per_element());
  const std::size_t ne = basis.element_count();
  NormalEquations ne_out;
  ne_out.folds.resize(static_cast<std::size_t>(folds));
  const bool any_stress = std::any_of(targets.begin(), targets.end(), [](const MlipFrameTargets& t) { return t.stress_eV_per_A3.has_value(); });
  for (auto& f : ne_out.folds)
    for (std::size_t kind = 0; kind < kKinds; ++kind) f[kind] = LabelSums(kind == kStress && !any_stress ? 0 : P);
  ne_out.descriptor_gram.assign(ne, Eigen::MatrixXd::Zero(F, F));
  ne_out.descriptor_sum.assign(ne, Eigen::VectorXd::Zero(F));
  ne_out.descriptor_count.assign(ne, 0.0);
  for (int fold = 0; fold < folds; ++fold) {
    std::vector<std::size_t> members;
    for (std::size_t f = static_cast<std::size_t>(fold); f < frames.size(); f += static_cast<std::size_t>(folds)) members.push_back(f);
    for (std::size_t lo = 0; lo < members.size(); lo += batch) {
      const std::size_t hi = std::min(members.size(), lo + batch);
      std::vector<FrameRows> rows(hi - lo);
      std::vector<std::exception_ptr> errors(hi - lo);
#pragma omp parallel for schedule(dynamic, 1)
      for (std::size_t k = lo; k < hi; ++k) {
        try {
          rows[k - lo] = frame_rows(basis, baseline, frames[members[k]], targets[members[k]]);
        } catch (...) {
          errors[k - lo] = std::current_exception();
        }
      }
      for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
      // Stack the batch per kind of label and add it to the fold's sums.
      for (std::size_t kind = 0; kind < kKinds; ++kind) {
        Index cols = 0;
        for (const FrameRows& r : rows) cols += r.x[kind].cols();
        if (cols == 0) continue;
        Eigen::MatrixXd X(P, cols);
        Eigen::VectorXd y(cols);
        Index at = 0;
        LabelSums& sums = ne_out.folds[static_cast<std::size_t>(fold)][kind];
        for (const FrameRows& r : rows) {
          const Index c = r.x[kind].cols();
          if (c == 0) continue;
          X.middleCols(at, c) = r.x[kind];
          y.segment(at, c) = r.y[kind];
          at += c;
          sums.weight += r.weight[kind];
          sums.rows += static_cast<std::size_t>(c);
        }
        add_gram(sums.G, &sums.h, X, &y);
        sums.yy += y.squaredNorm();
      }
      for (std::size_t e = 0; e < ne; ++e) {
        Index count = 0;
        for (const FrameRows& r : rows) count += std::count(r.elements.begin(), r.elements.end(), static_cast<int>(e));
        if (count == 0) continue;
        Eigen::MatrixXd B(F, count);
        Index at = 0;
        for (const FrameRows& r : rows)
          for (std::size_t i = 0; i < r.elements.size(); ++i)
            if (r.elements[i] == static_cast<int>(e)) B.col(at++) = r.descriptors.col(static_cast<Index>(i));
        add_gram(ne_out.descriptor_gram[e], nullptr, B, nullptr);
        for (Index i = 0; i < count; ++i) ne_out.descriptor_sum[e] += B.col(i);
        ne_out.descriptor_count[e] += static_cast<double>(count);
      }
    }
  }
  for (std::size_t kind = 0; kind < kKinds; ++kind) {
    ne_out.all[kind] = LabelSums(kind == kStress && !any_stress ? 0 : P);
    for (const auto& f : ne_out.folds) {
      ne_out.all[kind].G += f[kind].G;
      ne_out.all[kind].h += f[kind].h;
      ne_out.all[kind].yy += f[kind].yy;
      ne_out.all[kind].weight += f[kind].weight;
      ne_out.all[kind].rows += f[kind].rows;
    }
  }
  ne_out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return ne_out;
}

struct Solution {
  bool solved = false;
  Eigen::VectorXd c;  ///< unscaled coefficients
};

/// Solves (S⁻¹ G S⁻¹ + λI) c' = S⁻¹ h, c = S⁻¹ c' by Cholesky. With unit-diagonal scaling the
/// condition number is at most (P + λ)/λ, so for λ ≥ 1e-10 and P ≤ 10⁴ it stays below 1e14 and
/// LLT in double precision is stable (it is backward stable for any positive definite matrix;
/// the error in c is largest along the least-determined directions, which predictions on data
/// like the training data hardly see). inverse: also (S⁻¹GS⁻¹ + λI)⁻¹ (scaled basis).
Solution solve(const Eigen::MatrixXd& G, const Eigen::VectorXd& h, const Eigen::VectorXd& scale, double lambda,
               Eigen::MatrixXd* inverse) {
  Eigen::MatrixXd A = scale.asDiagonal().inverse() * G * scale.asDiagonal().inverse();
  A.diagonal().array() += lambda;
  Eigen::LLT<Eigen::MatrixXd> llt(A);
  Solution s;
  if (llt.info() != Eigen::Success) return s;
  const Eigen::VectorXd cs = llt.solve(h.cwiseQuotient(scale));
  if (!cs.allFinite()) return s;
  s.solved = true;
  s.c = cs.cwiseQuotient(scale);
  if (inverse != nullptr) *inverse = llt.solve(Eigen::MatrixXd::Identity(A.rows(), A.cols()));
  return s;
}

/// The combined normal matrix Σ_kinds G/σ² (and h) of `sums`, optionally minus fold `minus`.
void combined(const std::array<LabelSums, kKinds>& sums, const std::array<double, kKinds>& inv_var,
              const std::array<LabelSums, kKinds>* minus, Eigen::MatrixXd& G, Eigen::VectorXd& h) {
  G.setZero(sums[kForce].G.rows(), sums[kForce].G.cols());
  h.setZero(sums[kForce].h.size());
  for (std::size_t k = 0; k < kKinds; ++k) {
    if (sums[k].G.size() == 0) continue;  // no labels of this kind
    if (minus != nullptr) {
      G += inv_var[k] * (sums[k].G - (*minus)[k].G);
      h += inv_var[k] * (sums[k].h - (*minus)[k].h);
    } else {
      G += inv_var[k] * sums[k].G;
      h += inv_var[k] * sums[k].h;
    }
  }
}

/// Cross-validation of every λ for one basis: the model of fold k is solved from the sums of
/// the other folds and scored on fold k's sums (no refit of features needed).
std::vector<MlipCvPoint> cross_validate(const NormalEquations& eq, const Eigen::VectorXd& scale,
                                        const std::array<double, kKinds>& inv_var, const std::vector<double>& lambdas,
                                        int radial_size_3) {
  const std::size_t K = eq.folds.size();
  const std::size_t L = lambdas.size();
  std::vector<std::array<double, kKinds>> sse(K * L);
  std::vector<char> ok(K * L, 0);
  std::vector<std::exception_ptr> errors(K * L);
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t task = 0; task < K * L; ++task) {
    try {
      const std::size_t k = task / L, l = task % L;
      Eigen::MatrixXd G;
      Eigen::VectorXd h;
      combined(eq.all, inv_var, &eq.folds[k], G, h);
      const Solution s = solve(G, h, scale, lambdas[l], nullptr);
      ok[task] = s.solved ? 1 : 0;
      if (s.solved)
        for (std::size_t kind = 0; kind < kKinds; ++kind) sse[task][kind] = eq.folds[k][kind].residual_sum(s.c);
    } catch (...) {
      errors[task] = std::current_exception();
    }
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  std::vector<MlipCvPoint> out(L);
  for (std::size_t l = 0; l < L; ++l) {
    MlipCvPoint& p = out[l];
    p.radial_size_3 = radial_size_3;
    p.lambda = lambdas[l];
    p.solved = true;
    std::array<double, kKinds> total{}, weight{};
    double loss = 0.0, loss_weight = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      p.solved = p.solved && ok[k * L + l] != 0;
      for (std::size_t kind = 0; kind < kKinds; ++kind) {
        total[kind] += sse[k * L + l][kind];
        weight[kind] += eq.folds[k][kind].weight;
        loss += inv_var[kind] * sse[k * L + l][kind];
        loss_weight += eq.folds[k][kind].weight;
      }
    }
    if (!p.solved) {
      p.loss = std::numeric_limits<double>::infinity();
      continue;
    }
    p.loss = loss / loss_weight;
    p.energy_rmse_eV_per_atom = weight[kEnergy] > 0 ? std::sqrt(total[kEnergy] / weight[kEnergy]) : 0.0;
    p.force_rmse_eV_per_A = weight[kForce] > 0 ? std::sqrt(total[kForce] / weight[kForce]) : 0.0;
    p.stress_rmse_eV_per_A3 = weight[kStress] > 0 ? std::sqrt(total[kStress] / weight[kStress]) : 0.0;
  }
  return out;
}

std::vector<std::string> data_elements(const std::vector<lattice::XyzFrame>& frames) {
  std::set<std::string> names;
  for (const auto& f : frames) names.insert(f.structure.species.begin(), f.structure.species.end());
  return {names.begin(), names.end()};
}

}  // namespace

TrainedLinearAce train_linear_ace(const std::vector<lattice::XyzFrame>& frames, const MlipTrainingOptions& options) {
  if (frames.empty()) throw std::invalid_argument("MLIP training: no frames");
  if (options.lambdas.empty()) throw std::invalid_argument("MLIP training: no regularisation candidates");
  for (double l : options.lambdas)
    if (!(l > 0.0) || !std::isfinite(l)) throw std::invalid_argument("MLIP training: every lambda must be > 0");
  if (options.folds < 1 || (options.folds == 1 && (options.lambdas.size() > 1 || options.radial_sizes_3.size() > 1))) {
    throw std::invalid_argument("MLIP training: folds must be >= 2 (or 1 with a single lambda and basis)");
  }
  if (static_cast<std::size_t>(options.folds) > frames.size()) {
    throw std::invalid_argument("MLIP training: more folds than frames");
  }
  for (double s : {options.energy_sigma_eV_per_atom, options.force_sigma_eV_per_A, options.stress_sigma_eV_per_A3})
    if (!(s > 0.0)) throw std::invalid_argument("MLIP training: label sigmas must be > 0");
  if (options.frames_per_batch == 0) throw std::invalid_argument("MLIP training: frames_per_batch must be >= 1");

  std::vector<MlipFrameTargets> targets(frames.size());
  for (std::size_t f = 0; f < frames.size(); ++f) targets[f] = frame_targets(frames[f], f);
  AceBasisSpec spec = options.basis;
  if (spec.elements.empty()) spec.elements = data_elements(frames);
  std::unique_ptr<Potential> baseline;
  if (options.baseline) baseline = make_potential(*options.baseline);
  const std::array<double, kKinds> inv_var{1.0 / (options.energy_sigma_eV_per_atom * options.energy_sigma_eV_per_atom),
                                           1.0 / (options.force_sigma_eV_per_A * options.force_sigma_eV_per_A),
                                           1.0 / (options.stress_sigma_eV_per_A3 * options.stress_sigma_eV_per_A3)};
  std::vector<int> sizes = options.radial_sizes_3;
  if (sizes.empty()) sizes.push_back(spec.radial_size_3);

  TrainedLinearAce out;
  MlipTrainingReport& report = out.report;
  std::unique_ptr<NormalEquations> best_eq;
  Eigen::VectorXd best_scale;
  AceBasisSpec best_spec;
  report.chosen.loss = std::numeric_limits<double>::infinity();
  for (int size : sizes) {
    AceBasisSpec candidate = spec;
    candidate.radial_size_3 = size;
    const AceBasis basis(candidate);
    auto eq = std::make_unique<NormalEquations>(
        build_normal_equations(basis, baseline.get(), frames, targets, options.folds, options.frames_per_batch));
    report.descriptor_seconds += eq->seconds;
    if (eq->all[kEnergy].rows + eq->all[kForce].rows + eq->all[kStress].rows == 0) {
      throw std::invalid_argument("MLIP training: the frames carry no energies, forces or stresses");
    }
    const auto solve_start = Clock::now();
    Eigen::MatrixXd G;
    Eigen::VectorXd h;
    combined(eq->all, inv_var, nullptr, G, h);
    // Unit-diagonal scaling (a column that never appears keeps scale 1).
    Eigen::VectorXd scale = G.diagonal().cwiseSqrt();
    for (Index k = 0; k < scale.size(); ++k)
      if (!(scale[k] > 0.0)) scale[k] = 1.0;
    std::vector<MlipCvPoint> cv;
    if (options.folds >= 2) {
      cv = cross_validate(*eq, scale, inv_var, options.lambdas, size);
    } else {
      cv.push_back(MlipCvPoint{size, options.lambdas[0], true, 0.0, 0.0, 0.0, 0.0});
    }
    report.solve_seconds += std::chrono::duration<double>(Clock::now() - solve_start).count();
    const MlipCvPoint* best_here = nullptr;
    for (const MlipCvPoint& p : cv) {
      report.cross_validation.push_back(p);
      if (p.solved && (best_here == nullptr || p.loss < best_here->loss)) best_here = &p;
    }
    if (best_here != nullptr && best_here->loss < report.chosen.loss) {
      report.chosen = *best_here;
      best_spec = candidate;
      best_scale = scale;
      best_eq = std::move(eq);
    }
  }
  if (!best_eq || !report.chosen.solved) {
    throw std::invalid_argument("MLIP training: no regularisation gave a positive definite normal matrix");
  }

  // Final fit on all data with the chosen λ, and the posterior.
  const auto solve_start = Clock::now();
  const NormalEquations& eq = *best_eq;
  Eigen::MatrixXd G;
  Eigen::VectorXd h;
  combined(eq.all, inv_var, nullptr, G, h);
  Eigen::MatrixXd inverse;
  Solution final_solution;
  const double lambda = report.chosen.lambda;
  // Inside a parallel region Eigen's products run serially: the same bits for any thread count.
#pragma omp parallel
  {
#pragma omp single
    final_solution = solve(G, h, best_scale, lambda, &inverse);
  }
  if (!final_solution.solved) throw std::invalid_argument("MLIP training: the final normal matrix is not positive definite");
  const Eigen::VectorXd& c = final_solution.c;
  const auto P = static_cast<double>(c.size());
  report.effective_parameters = P - lambda * inverse.trace();
  std::array<double, kKinds> sse{};
  double loss = 0.0, weight = 0.0;
  for (std::size_t k = 0; k < kKinds; ++k) {
    sse[k] = eq.all[k].residual_sum(c);
    loss += inv_var[k] * sse[k];
    weight += eq.all[k].weight;
  }
  const double dof = std::max(1.0, weight - report.effective_parameters);
  report.noise_scale2 = loss / dof;
  const double dof_factor = weight / dof;
  auto rms = [&](Kind k) { return eq.all[k].weight > 0 ? std::sqrt(sse[k] / eq.all[k].weight) : 0.0; };
  report.train_energy_rmse_eV_per_atom = rms(kEnergy);
  report.train_force_rmse_eV_per_A = rms(kForce);
  report.train_stress_rmse_eV_per_A3 = rms(kStress);
  report.frames = frames.size();
  report.energy_rows = eq.all[kEnergy].rows;
  report.force_rows = eq.all[kForce].rows;
  report.stress_rows = eq.all[kStress].rows;
  report.coefficient_count = static_cast<std::size_t>(c.size());

  MlipModel& m = out.model;
  m.basis = best_spec;
  m.baseline = options.baseline;
  m.coefficients = c;
  // Bayesian ridge: prior c' ~ N(0, s²/λ I) in the scaled basis, Gaussian noise of variance
  // s² σ_kind²/w per row ⇒ posterior covariance s² S⁻¹ (S⁻¹GS⁻¹ + λI)⁻¹ S⁻¹.
  const Eigen::VectorXd inv_scale = best_scale.cwiseInverse();
  m.covariance = report.noise_scale2 * (inv_scale.asDiagonal() * inverse * inv_scale.asDiagonal());
  m.covariance = 0.5 * (m.covariance + m.covariance.transpose()).eval();
  m.energy_noise_eV2_per_atom2 = eq.all[kEnergy].weight > 0 ? dof_factor * sse[kEnergy] / eq.all[kEnergy].weight : 0.0;
  m.force_noise_eV2_per_A2 = eq.all[kForce].weight > 0 ? dof_factor * sse[kForce] / eq.all[kForce].weight : 0.0;
  for (std::size_t e = 0; e < eq.descriptor_gram.size(); ++e) {
    MlipDescriptorStatistics st;
    st.atom_count = eq.descriptor_count[e];
    const double n = std::max(1.0, st.atom_count);
    st.mean = eq.descriptor_sum[e] / n;
    st.covariance = eq.descriptor_gram[e] / n - st.mean * st.mean.transpose();
    st.covariance = 0.5 * (st.covariance + st.covariance.transpose()).eval();
    m.descriptor_statistics.push_back(std::move(st));
  }
  m.training_set_hash = training_set_hash(frames);
  m.training_frames = frames.size();
  m.regularisation = lambda;
  m.training_options = {{"energy_sigma_eV_per_atom", options.energy_sigma_eV_per_atom},
                        {"force_sigma_eV_per_A", options.force_sigma_eV_per_A},
                        {"stress_sigma_eV_per_A3", options.stress_sigma_eV_per_A3},
                        {"folds", static_cast<double>(options.folds)},
                        {"noise_scale2", report.noise_scale2},
                        {"effective_parameters", report.effective_parameters}};
  report.solve_seconds += std::chrono::duration<double>(Clock::now() - solve_start).count();
  return out;
}

}  // namespace ionhop::neb
