#include "neb/AceBasis.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "neb/CellList.hpp"
#include "neb/HalfPairList.hpp"
#include "neb/PotentialError.hpp"

namespace ionhop::neb {

namespace {

int radial_count(const AceBasisSpec& spec) {
  return spec.body_order >= 3 ? std::max(spec.radial_size_2, spec.radial_size_3) : spec.radial_size_2;
}

const AceBasisSpec& validated(const AceBasisSpec& spec) {
  if (spec.elements.empty()) throw std::invalid_argument("ACE basis: no elements");
  if (std::set<std::string>(spec.elements.begin(), spec.elements.end()).size() != spec.elements.size()) {
    throw std::invalid_argument("ACE basis: an element is listed twice");
  }
  if (spec.body_order != 2 && spec.body_order != 3) throw std::invalid_argument("ACE basis: body_order must be 2 or 3");
  if (spec.radial_size_2 < 1 || (spec.body_order == 3 && spec.radial_size_3 < 1)) {
    throw std::invalid_argument("ACE basis: radial sizes must be at least 1");
  }
  return spec;
}

}  // namespace

/// Per-thread scratch for one atom's environment.
struct AceBasis::Workspace {
  std::vector<int> atom, element;
  std::vector<Eigen::Vector3d> r;        ///< r_ij [Å]
  std::vector<double> rad, drad;         ///< per neighbour, radial_count numbers
  std::vector<double> y, dy;             ///< per neighbour, NY and 3·NY numbers (∂x, ∂y, ∂z blocks)
  std::vector<double> D;                 ///< 2·NY: Σ_q dE/dA_{(z q) lm} R_q and … R_q' of one neighbour
  std::vector<double> A, dA;             ///< channels × NY
  std::vector<double> B;                 ///< F
  std::vector<double> T;                 ///< channels × radial_size_3 × (lmax+1) × 3 (design)
};

AceBasis::AceBasis(AceBasisSpec spec)
    : spec_(validated(spec)),
      radial_(radial_count(spec_), spec_.inner_A, spec_.cutoff_A, spec_.radial_exponent),
      harmonics_(spec_.body_order >= 3 ? spec_.lmax : 0) {
  const std::size_t nz = spec_.elements.size();
  two_body_ = nz * static_cast<std::size_t>(spec_.radial_size_2);
  if (spec_.body_order >= 3) {
    channels_ = nz * static_cast<std::size_t>(spec_.radial_size_3);
    for (std::size_t c1 = 0; c1 < channels_; ++c1)
      for (std::size_t c2 = c1; c2 < channels_; ++c2)
        for (int l = 0; l <= spec_.lmax; ++l) triples_.push_back({static_cast<int>(c1), static_cast<int>(c2), l});
  }
  features_ = two_body_ + triples_.size();
}

std::vector<int> AceBasis::element_indices(const lattice::Structure& s) const {
  std::vector<int> out(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto it = std::find(spec_.elements.begin(), spec_.elements.end(), s.species[i]);
    if (it == spec_.elements.end()) {
      std::string list;
      for (const auto& e : spec_.elements) list += (list.empty() ? "" : ", ") + e;
      throw PotentialEvaluationError("the MLIP has no element '" + s.species[i] + "' (atom " + std::to_string(i) +
                                     "); it knows " + list);
    }
    out[i] = static_cast<int>(it - spec_.elements.begin());
  }
  return out;
}

// Gathers each atom's neighbours, evaluates R_n, Y_lm (with derivatives) per neighbour and the
// projections A and descriptors B, then calls visit(i, w).
template <class Visit>
void AceBasis::for_each_atom_environment(const CellList& cells, const std::vector<int>& elements, std::size_t first,
                                         std::size_t last, bool projected, Workspace& w, Visit&& visit) const {
  const int nr = radial_.size();
  const int ny = harmonics_.count();
  const int n2 = spec_.radial_size_2, n3 = spec_.radial_size_3;
  const bool three = spec_.body_order >= 3;
  w.B.assign(features_, 0.0);
  w.A.assign(channels_ * static_cast<std::size_t>(ny), 0.0);
  w.D.assign(2 * static_cast<std::size_t>(ny), 0.0);
  for (std::size_t i = first; i < last; ++i) {
    w.atom.clear();
    w.element.clear();
    w.r.clear();
    cells.for_each_neighbor(i, [&](std::size_t j, const Eigen::Vector3i&, const Eigen::Vector3d& r, double) {
      w.atom.push_back(static_cast<int>(j));
      w.element.push_back(elements[j]);
      w.r.push_back(r);
    });
    const std::size_t k_count = w.atom.size();
    w.rad.resize(k_count * static_cast<std::size_t>(nr));
    w.drad.resize(k_count * static_cast<std::size_t>(nr));
    if (three) {
      w.y.resize(k_count * static_cast<std::size_t>(ny));
      w.dy.resize(3 * k_count * static_cast<std::size_t>(ny));
    }
    std::fill(w.B.begin(), w.B.end(), 0.0);
    std::fill(w.A.begin(), w.A.end(), 0.0);
    for (std::size_t k = 0; k < k_count; ++k) {
      double* rad = w.rad.data() + k * static_cast<std::size_t>(nr);
      radial_.evaluate_with_derivative(w.r[k].norm(), rad, w.drad.data() + k * static_cast<std::size_t>(nr));
      const int z = w.element[k];
      for (int n = 0; n < n2; ++n) w.B[static_cast<std::size_t>(z * n2 + n)] += rad[n];
      if (three) {
        double* y = w.y.data() + k * static_cast<std::size_t>(ny);
        double* g = w.dy.data() + 3 * k * static_cast<std::size_t>(ny);
        if (projected) {
          harmonics_.evaluate_with_gradient(w.r[k], y, g, g + ny, g + 2 * ny);
        } else {
          harmonics_.evaluate_with_unprojected_gradient(w.r[k], y, g, g + ny, g + 2 * ny);
        }
        for (int n = 0; n < n3; ++n) {
          double* a = w.A.data() + static_cast<std::size_t>((z * n3 + n) * ny);
          for (int lm = 0; lm < ny; ++lm) a[lm] += rad[n] * y[lm];
        }
      }
    }
    for (std::size_t t = 0; t < triples_.size(); ++t) {
      const auto& [c1, c2, l] = triples_[t];
      const double* a1 = w.A.data() + c1 * ny + l * l;
      const double* a2 = w.A.data() + c2 * ny + l * l;
      double sum = 0.0;
      for (int m = 0; m <= 2 * l; ++m) sum += a1[m] * a2[m];
      w.B[two_body_ + t] = sum;
    }
    visit(i, w);
  }
}

AceEvaluation AceBasis::evaluate(const lattice::Structure& s, const Eigen::VectorXd& coefficients,
                                 const AceEvaluationRequest& request) const {
  if (static_cast<std::size_t>(coefficients.size()) != coefficient_count()) {
    throw std::invalid_argument("ACE basis: coefficient vector of the wrong size");
  }
  const std::vector<int> elements = element_indices(s);
  const std::size_t n_atoms = s.size();
  const auto n = static_cast<Eigen::Index>(n_atoms);
  const int ny = harmonics_.count();
  const int nr = radial_.size();
  const int n2 = spec_.radial_size_2, n3 = spec_.radial_size_3;
  const auto F = static_cast<Eigen::Index>(features_);

  struct Partial {
    double energy = 0.0;
    Eigen::Matrix3Xd forces;
    Eigen::Matrix3d virial = Eigen::Matrix3d::Zero();
    Eigen::VectorXd features;
  };
  AceEvaluation out;
  if (request.atom_descriptors) out.atom_descriptors.resize(F, n);
  const CellList cells(s, spec_.cutoff_A);

  auto run = [&](std::size_t first, std::size_t last, Partial& p) {
    if (request.forces) p.forces = Eigen::Matrix3Xd::Zero(3, n);
    if (request.features) p.features = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(coefficient_count()));
    Workspace w;
    for_each_atom_environment(cells, elements, first, last, false, w, [&](std::size_t i, Workspace& ws) {
      const int e = elements[i];
      const double* c = coefficients.data() + static_cast<std::ptrdiff_t>(e) * F;
      const Eigen::Map<const Eigen::VectorXd> B(ws.B.data(), F);
      p.energy += Eigen::Map<const Eigen::VectorXd>(c, F).dot(B) + coefficients[static_cast<Eigen::Index>(reference_offset()) + e];
      if (request.features) {
        p.features.segment(static_cast<Eigen::Index>(e) * F, F) += B;
        p.features[static_cast<Eigen::Index>(reference_offset()) + e] += 1.0;
      }
      if (request.atom_descriptors) out.atom_descriptors.col(static_cast<Eigen::Index>(i)) = B;
      if (!request.forces && !request.virial) return;
      // Adjoint of the projections: dE_i/dA.
      ws.dA.assign(ws.A.size(), 0.0);
      for (std::size_t t = 0; t < triples_.size(); ++t) {
        const auto& [c1, c2, l] = triples_[t];
        const double wt = c[two_body_ + t];
        const double* a1 = ws.A.data() + c1 * ny + l * l;
        const double* a2 = ws.A.data() + c2 * ny + l * l;
        double* d1 = ws.dA.data() + c1 * ny + l * l;
        double* d2 = ws.dA.data() + c2 * ny + l * l;
        for (int m = 0; m <= 2 * l; ++m) {
          d1[m] += wt * a2[m];
          d2[m] += wt * a1[m];
        }
      }
      Eigen::Vector3d fi = Eigen::Vector3d::Zero();
      for (std::size_t k = 0; k < ws.atom.size(); ++k) {
        const int z = ws.element[k];
        const double* rad = ws.rad.data() + k * static_cast<std::size_t>(nr);
        const double* drad = ws.drad.data() + k * static_cast<std::size_t>(nr);
        const Eigen::Vector3d& r = ws.r[k];
        const Eigen::Vector3d u = r / r.norm();
        double s_radial = 0.0;
        for (int q = 0; q < n2; ++q) s_radial += c[z * n2 + q] * drad[q];
        Eigen::Vector3d g = Eigen::Vector3d::Zero();
        if (!triples_.empty()) {
          // ∂E_i/∂r_ij = Σ_{q,lm} dA_{(z q) lm} (R_q' û Y_lm + R_q ∇Y_lm): contract over q first.
          const double* y = ws.y.data() + k * static_cast<std::size_t>(ny);
          const double* gx = ws.dy.data() + 3 * k * static_cast<std::size_t>(ny);
          const double* gy = gx + ny;
          const double* gz = gy + ny;
          // D_lm = Σ_q dA R_q, E_lm = Σ_q dA R_q' (vectorisable axpys), then one short dot
          // product each: long dependent sums per q would be latency bound.
          double* D = ws.D.data();
          double* E = ws.D.data() + ny;
          std::fill(D, D + 2 * ny, 0.0);
          for (int q = 0; q < n3; ++q) {
            const double* d = ws.dA.data() + (z * n3 + q) * ny;
            const double rq = rad[q], dq = drad[q];
            for (int lm = 0; lm < ny; ++lm) {
              D[lm] += rq * d[lm];
              E[lm] += dq * d[lm];
            }
          }
          double g0 = 0.0, g1 = 0.0, g2 = 0.0, sy = 0.0;
          for (int lm = 0; lm < ny; ++lm) {
            sy += E[lm] * y[lm];
            g0 += D[lm] * gx[lm];
            g1 += D[lm] * gy[lm];
            g2 += D[lm] * gz[lm];
          }
          s_radial += sy;
          // Unprojected harmonic gradients: project the contracted sum once, (I − ûûᵀ) G / r.
          const Eigen::Vector3d G(g0, g1, g2);
          g = (G - u.dot(G) * u) / r.norm();
        }
        g += s_radial * u;  // g = ∂E_i/∂r_ij
        if (request.forces) {
          p.forces.col(ws.atom[static_cast<std::size_t>(k)]) -= g;
          fi += g;
        }
        if (request.virial) p.virial.noalias() -= r * g.transpose();
      }
      if (request.forces) p.forces.col(static_cast<Eigen::Index>(i)) += fi;
    });
  };

  const std::size_t chunks = (n_atoms + kAtomsPerChunk - 1) / kAtomsPerChunk;
  std::vector<Partial> parts(chunks <= 2 ? 1 : chunks);
  if (chunks <= 2) {
    run(0, n_atoms, parts[0]);
  } else {
#pragma omp parallel for schedule(dynamic, 1)
    for (std::size_t c = 0; c < chunks; ++c) run(c * kAtomsPerChunk, std::min(n_atoms, (c + 1) * kAtomsPerChunk), parts[c]);
  }
  if (request.forces) out.forces = Eigen::Matrix3Xd::Zero(3, n);
  if (request.features) out.features = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(coefficient_count()));
  for (const Partial& p : parts) {
    out.energy_eV += p.energy;
    if (request.forces) out.forces += p.forces;
    if (request.virial) out.virial_eV += p.virial;
    if (request.features) out.features += p.features;
  }
  if (request.virial) out.virial_eV = 0.5 * (out.virial_eV + out.virial_eV.transpose()).eval();
  return out;
}

AceDesign AceBasis::design(const lattice::Structure& s, bool virial, bool atom_descriptors) const {
  const std::vector<int> elements = element_indices(s);
  const std::size_t n_atoms = s.size();
  const int ny = harmonics_.count();
  const int nr = radial_.size();
  const int n2 = spec_.radial_size_2, n3 = spec_.radial_size_3;
  const int lcount = spec_.lmax + 1;
  const auto F = static_cast<Eigen::Index>(features_);
  const auto P = static_cast<Eigen::Index>(coefficient_count());
  AceDesign out;
  out.has_virial = virial;
  const Eigen::Index cols = 1 + 3 * static_cast<Eigen::Index>(n_atoms) + (virial ? 6 : 0);
  out.columns = Eigen::MatrixXd::Zero(P, cols);
  if (atom_descriptors) out.atom_descriptors.resize(F, static_cast<Eigen::Index>(n_atoms));
  std::vector<double> gi(3 * features_);
  Workspace w;
  const CellList cells(s, spec_.cutoff_A);
  for_each_atom_environment(cells, elements, 0, n_atoms, true, w, [&](std::size_t i, Workspace& ws) {
    const int e = elements[i];
    const Eigen::Index block = static_cast<Eigen::Index>(e) * F;
    const Eigen::Map<const Eigen::VectorXd> B(ws.B.data(), F);
    out.columns.col(0).segment(block, F) += B;
    out.columns(static_cast<Eigen::Index>(reference_offset()) + e, 0) += 1.0;
    if (atom_descriptors) out.atom_descriptors.col(static_cast<Eigen::Index>(i)) = B;
    std::fill(gi.begin(), gi.end(), 0.0);
    double* wv[6] = {nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
    if (virial)
      for (int v = 0; v < 6; ++v) wv[v] = out.columns.col(cols - 6 + v).data() + block;
    // Per neighbour: Σ_m A_{c,lm} Y_lm and Σ_m A_{c,lm} ∇Y_lm per channel and degree give T.
    const std::size_t cl = channels_ * static_cast<std::size_t>(lcount);
    ws.T.resize(3 * cl * static_cast<std::size_t>(n3));
    for (std::size_t k = 0; k < ws.atom.size(); ++k) {
      const int z = ws.element[k];
      const int j = ws.atom[k];
      const double* rad = ws.rad.data() + k * static_cast<std::size_t>(nr);
      const double* drad = ws.drad.data() + k * static_cast<std::size_t>(nr);
      const Eigen::Vector3d& r = ws.r[k];
      const Eigen::Vector3d u = r / r.norm();
      double* fj = out.columns.col(1 + 3 * j).data() + block;  // −∂φ/∂r_j: x, y, z columns
      double* fjy = out.columns.col(2 + 3 * j).data() + block;
      double* fjz = out.columns.col(3 + 3 * j).data() + block;
      auto put = [&](std::size_t f, double gx, double gy, double gz) {
        fj[f] -= gx, fjy[f] -= gy, fjz[f] -= gz;
        gi[3 * f] += gx, gi[3 * f + 1] += gy, gi[3 * f + 2] += gz;
        if (virial) {
          wv[0][f] -= r[0] * gx, wv[1][f] -= r[1] * gy, wv[2][f] -= r[2] * gz;
          wv[3][f] -= r[1] * gz, wv[4][f] -= r[0] * gz, wv[5][f] -= r[0] * gy;
        }
      };
      for (int q = 0; q < n2; ++q) put(static_cast<std::size_t>(z * n2 + q), drad[q] * u[0], drad[q] * u[1], drad[q] * u[2]);
      if (triples_.empty()) continue;
      const double* y = ws.y.data() + k * static_cast<std::size_t>(ny);
      const double* gx = ws.dy.data() + 3 * k * static_cast<std::size_t>(ny);
      const double* gy = gx + ny;
      const double* gz = gy + ny;
      for (std::size_t c = 0; c < channels_; ++c) {
        const double* a = ws.A.data() + c * static_cast<std::size_t>(ny);
        for (int l = 0; l < lcount; ++l) {
          double sy = 0.0, sx0 = 0.0, sx1 = 0.0, sx2 = 0.0;
          for (int lm = l * l; lm < (l + 1) * (l + 1); ++lm) {
            sy += a[lm] * y[lm];
            sx0 += a[lm] * gx[lm], sx1 += a[lm] * gy[lm], sx2 += a[lm] * gz[lm];
          }
          // T[c][q][l] = Σ_m A_{c,lm} ∇(R_q Y_lm)(r_ij) for this neighbour's element.
          for (int q = 0; q < n3; ++q) {
            double* t = ws.T.data() + 3 * ((c * static_cast<std::size_t>(n3) + static_cast<std::size_t>(q)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
            t[0] = drad[q] * u[0] * sy + rad[q] * sx0;
            t[1] = drad[q] * u[1] * sy + rad[q] * sx1;
            t[2] = drad[q] * u[2] * sy + rad[q] * sx2;
          }
        }
      }
      for (std::size_t t = 0; t < triples_.size(); ++t) {
        const auto& [c1, c2, l] = triples_[t];
        const bool first = c1 / n3 == z, second = c2 / n3 == z;
        if (!first && !second) continue;
        double g[3] = {0.0, 0.0, 0.0};
        if (first) {  // ∂A_{c1}/∂r_j paired with A_{c2}
          const double* tv = ws.T.data() + 3 * ((static_cast<std::size_t>(c2) * static_cast<std::size_t>(n3) + static_cast<std::size_t>(c1 % n3)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
          g[0] += tv[0], g[1] += tv[1], g[2] += tv[2];
        }
        if (second) {
          const double* tv = ws.T.data() + 3 * ((static_cast<std::size_t>(c1) * static_cast<std::size_t>(n3) + static_cast<std::size_t>(c2 % n3)) * static_cast<std::size_t>(lcount) + static_cast<std::size_t>(l));
          g[0] += tv[0], g[1] += tv[1], g[2] += tv[2];
        }
        put(two_body_ + t, g[0], g[1], g[2]);
      }
    }
    double* fix = out.columns.col(1 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    double* fiy = out.columns.col(2 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    double* fiz = out.columns.col(3 + 3 * static_cast<Eigen::Index>(i)).data() + block;
    for (std::size_t f = 0; f < features_; ++f) fix[f] += gi[3 * f], fiy[f] += gi[3 * f + 1], fiz[f] += gi[3 * f + 2];
  });
  // The per-feature virial of a rotation-invariant descriptor is symmetric; the three
  // off-diagonal columns hold Σ r_y g_z, Σ r_x g_z, Σ r_x g_y.
  return out;
}

}  // namespace ionhop::neb
