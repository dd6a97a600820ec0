#include "neb/LinearAcePotential.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "neb/PotentialError.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {

double MlipEnergyUncertainty::std_eV() const { return std::sqrt(variance_eV2()); }

namespace {

constexpr double kGradeRidge = 1e-6;
constexpr double kGradeFloor = 1e-12;

AceBasis checked_basis(const MlipModel& m) {
  try {
    return AceBasis(m.basis);
  } catch (const std::invalid_argument& e) {
    throw PotentialSpecError(std::string("mlip model: ") + e.what());
  }
}

}  // namespace

LinearAcePotential::LinearAcePotential(MlipModel model, LinearAcePotentialOptions options)
    : model_(std::move(model)), options_(options), basis_(checked_basis(model_)) {
  const auto P = static_cast<Eigen::Index>(basis_.coefficient_count());
  if (model_.coefficients.size() != P) {
    throw PotentialSpecError("mlip model: " + std::to_string(model_.coefficients.size()) + " coefficients, the basis has " +
                             std::to_string(P));
  }
  if (model_.covariance.size() != 0 && (model_.covariance.rows() != P || model_.covariance.cols() != P)) {
    throw PotentialSpecError("mlip model: covariance is not " + std::to_string(P) + " x " + std::to_string(P));
  }
  if (model_.baseline) baseline_ = make_potential(*model_.baseline);
  const auto F = static_cast<Eigen::Index>(basis_.features_per_element());
  if (!model_.descriptor_statistics.empty()) {
    if (model_.descriptor_statistics.size() != basis_.element_count()) {
      throw PotentialSpecError("mlip model: descriptor statistics for " + std::to_string(model_.descriptor_statistics.size()) +
                               " elements, the basis has " + std::to_string(basis_.element_count()));
    }
    for (const MlipDescriptorStatistics& st : model_.descriptor_statistics) {
      if (st.mean.size() != F || st.covariance.rows() != F || st.covariance.cols() != F) {
        throw PotentialSpecError("mlip model: descriptor statistics of the wrong size");
      }
      // A relative ridge keeps the metric scale free (descriptors span many orders of magnitude);
      // the absolute floor makes constant descriptors (e.g. an absent neighbour element) harmless.
      const double mean_diagonal = std::max(st.covariance.diagonal().mean(), 1e-300);
      Eigen::MatrixXd c = st.covariance;
      c.diagonal() = c.diagonal() * (1.0 + kGradeRidge) + Eigen::VectorXd::Constant(F, kGradeFloor * mean_diagonal);
      Eigen::LLT<Eigen::MatrixXd> llt(c);
      if (llt.info() != Eigen::Success) throw PotentialSpecError("mlip model: descriptor covariance is not positive");
      grade_factor_.push_back(llt.matrixL());
    }
  }
}

PotentialCapabilities LinearAcePotential::capabilities() const {
  PotentialCapabilities c;
  c.virial = !baseline_ || baseline_->capabilities().virial;
  c.variance = has_uncertainty() && options_.report_variance;
  c.thread_safe = !baseline_ || baseline_->capabilities().thread_safe;
  return c;
}

PotentialResult LinearAcePotential::compute_ml(const lattice::Structure& s, const ComputeRequest& req) const {
  AceEvaluationRequest r;
  r.forces = req.forces;
  r.virial = req.virial;
  const AceEvaluation ev = basis_.evaluate(s, model_.coefficients, r);
  PotentialResult out;
  out.energy_eV = ev.energy_eV;
  if (req.forces) out.forces = ev.forces;
  if (req.virial) out.virial_eV = ev.virial_eV;
  return out;
}

PotentialResult LinearAcePotential::compute_baseline(const lattice::Structure& s, const ComputeRequest& req) const {
  if (baseline_) return baseline_->compute(s, req);
  PotentialResult out;
  if (req.forces) out.forces = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(s.size()));
  if (req.virial) out.virial_eV = Eigen::Matrix3d::Zero();
  return out;
}

PotentialResult LinearAcePotential::compute(const lattice::Structure& s, const ComputeRequest& req) const {
  AceEvaluationRequest r;
  r.forces = req.forces;
  r.virial = req.virial;
  r.features = has_uncertainty() && options_.report_variance;
  r.atom_descriptors = r.features && graded_noise();
  const AceEvaluation ev = basis_.evaluate(s, model_.coefficients, r);
  PotentialResult out = baseline_ ? baseline_->compute(s, req) : PotentialResult{};
  out.energy_eV += ev.energy_eV;
  if (req.forces) {
    if (out.forces.size() == 0) out.forces = Eigen::Matrix3Xd::Zero(3, static_cast<Eigen::Index>(s.size()));
    out.forces += ev.forces;
  }
  if (req.virial) out.virial_eV = out.virial_eV.value_or(Eigen::Matrix3d::Zero()) + ev.virial_eV;
  if (r.features) {
    const double n = static_cast<double>(s.size());
    const double kappa = model_.calibration.energy;
    const double g2 = r.atom_descriptors ? mean_excess_grade2(s, ev.atom_descriptors) : 0.0;
    out.energy_variance_eV2 =
        kappa * kappa *
        (ev.features.dot(model_.covariance * ev.features) +
         n * n * model_.energy_noise_eV2_per_atom2 * (1.0 + model_.calibration.energy_grade_slope * g2));
  }
  return out;
}

Eigen::VectorXd LinearAcePotential::features(const lattice::Structure& s) const {
  AceEvaluationRequest r;
  r.forces = false;
  r.features = true;
  return basis_.evaluate(s, model_.coefficients, r).features;
}

MlipEnergyUncertainty LinearAcePotential::energy_uncertainty(const lattice::Structure& s) const {
  if (!has_uncertainty()) throw std::logic_error("mlip: the model has no posterior covariance");
  AceEvaluationRequest r;
  r.forces = false;
  r.features = true;
  r.atom_descriptors = graded_noise();
  const AceEvaluation ev = basis_.evaluate(s, model_.coefficients, r);
  const double n = static_cast<double>(s.size());
  const double g2 = r.atom_descriptors ? mean_excess_grade2(s, ev.atom_descriptors) : 0.0;
  MlipEnergyUncertainty u;
  u.parametric_eV2 = ev.features.dot(model_.covariance * ev.features);
  u.noise_eV2 = n * n * model_.energy_noise_eV2_per_atom2 * (1.0 + model_.calibration.energy_grade_slope * g2);
  u.calibration = model_.calibration.energy;
  return u;
}

MlipEnergyUncertainty LinearAcePotential::energy_difference_uncertainty(const lattice::Structure& a,
                                                                         const lattice::Structure& b) const {
  if (!has_uncertainty()) throw std::logic_error("mlip: the model has no posterior covariance");
  const Eigen::VectorXd d = features(a) - features(b);
  MlipEnergyUncertainty u;
  u.parametric_eV2 = d.dot(model_.covariance * d);
  u.noise_eV2 = 2.0 * model_.energy_noise_eV2_per_atom2;
  u.calibration = model_.calibration.difference;
  return u;
}

Eigen::Matrix3Xd LinearAcePotential::force_std(const lattice::Structure& s) const {
  if (!has_uncertainty()) throw std::logic_error("mlip: the model has no posterior covariance");
  const AceDesign design = basis_.design(s, false, false);
  const Eigen::Index n = static_cast<Eigen::Index>(s.size());
  const Eigen::MatrixXd g = design.columns.middleCols(1, 3 * n);  // P × 3N
  const Eigen::MatrixXd sg = model_.covariance * g;
  Eigen::Matrix3Xd out(3, n);
  const double kappa = model_.calibration.force;
  for (Eigen::Index c = 0; c < 3 * n; ++c) {
    out.data()[c] = kappa * std::sqrt(std::max(0.0, g.col(c).dot(sg.col(c))) + model_.force_noise_eV2_per_A2);
  }
  return out;
}

std::vector<double> LinearAcePotential::atom_grades(const lattice::Structure& s, const Eigen::MatrixXd& atom_descriptors) const {
  const std::vector<int> elements = basis_.element_indices(s);
  const double F = static_cast<double>(basis_.features_per_element());
  std::vector<double> grades(s.size());
  // One blocked triangular solve per element over all its atoms (a matrix right-hand side is
  // BLAS-3: several times faster than one solve per atom, which would cost as much as the energy).
  for (std::size_t e = 0; e < grade_factor_.size(); ++e) {
    std::vector<Eigen::Index> atoms;
    for (std::size_t i = 0; i < s.size(); ++i)
      if (static_cast<std::size_t>(elements[i]) == e) atoms.push_back(static_cast<Eigen::Index>(i));
    if (atoms.empty()) continue;
    Eigen::MatrixXd d(atom_descriptors.rows(), static_cast<Eigen::Index>(atoms.size()));
    for (std::size_t k = 0; k < atoms.size(); ++k)
      d.col(static_cast<Eigen::Index>(k)) = atom_descriptors.col(atoms[k]) - model_.descriptor_statistics[e].mean;
    grade_factor_[e].triangularView<Eigen::Lower>().solveInPlace(d);
    for (std::size_t k = 0; k < atoms.size(); ++k)
      grades[static_cast<std::size_t>(atoms[k])] = std::sqrt(d.col(static_cast<Eigen::Index>(k)).squaredNorm() / F);
  }
  return grades;
}

double LinearAcePotential::mean_excess_grade2(const lattice::Structure& s, const Eigen::MatrixXd& atom_descriptors) const {
  if (grade_factor_.empty() || s.size() == 0) return 0.0;
  double sum = 0.0;
  for (const double g : atom_grades(s, atom_descriptors)) sum += std::max(0.0, g * g - 1.0);
  return sum / static_cast<double>(s.size());
}

double LinearAcePotential::mean_excess_grade2(const lattice::Structure& s) const {
  if (grade_factor_.empty()) return 0.0;
  AceEvaluationRequest r;
  r.forces = false;
  r.atom_descriptors = true;
  return mean_excess_grade2(s, basis_.evaluate(s, model_.coefficients, r).atom_descriptors);
}

MlipExtrapolationGrade LinearAcePotential::extrapolation_grade(const lattice::Structure& s) const {
  if (grade_factor_.empty()) throw std::logic_error("mlip: the model has no descriptor statistics");
  AceEvaluationRequest r;
  r.forces = false;
  r.atom_descriptors = true;
  const AceEvaluation ev = basis_.evaluate(s, model_.coefficients, r);
  MlipExtrapolationGrade g;
  g.per_atom = atom_grades(s, ev.atom_descriptors);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (g.per_atom[i] > g.max) {
      g.max = g.per_atom[i];
      g.worst_atom = i;
    }
  }
  return g;
}

}  // namespace ionhop::neb
