#include "neb/CoulombEwald.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <complex>
#include <stdexcept>
#include <vector>

#include "lattice/StructureGeometry.hpp"
#include "neb/CoulombCharges.hpp"
#include "neb/CoulombEwaldErfc.hpp"
#include "neb/PotentialError.hpp"

namespace ionhop::neb {
namespace {

constexpr double kPi = 3.14159265358979323846;
using Complex = std::complex<double>;

/// a·b written out: std::complex's operator* guards against NaN results (C99 Annex G) with a
/// branch that keeps these loops from vectorising; the values here are finite unit phases.
inline Complex mul(const Complex& a, const Complex& b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}

/// Kolafa–Perram RMS force error of the reciprocal sum truncated at kmax along an axis of
/// width L (the form of LAMMPS ewald.cpp, rms()).
double kspace_rms(int kmax, double width, std::size_t n, double q2, double alpha) {
  return 2.0 * q2 * alpha / width * std::sqrt(1.0 / (kPi * kmax * static_cast<double>(n))) *
         std::exp(-kPi * kPi * kmax * kmax / (alpha * alpha * width * width));
}

/// One run of k-vectors (n1, n2, n3_lo..n3_hi) sharing the first two Miller indices, so
/// e^{ik·r} = T1·T2 is formed once per run.
struct KColumn {
  int n1 = 0, n2 = 0, n3_lo = 0, n3_hi = -1;
  std::size_t first = 0;  ///< index of (n1, n2, n3_lo) in the k-vector arrays
};

}  // namespace

CoulombEwald::CoulombEwald(std::map<std::string, double> charges_e, EwaldParams params)
    : charges_(std::move(charges_e)), params_(params) {
  if (!(params_.real_cutoff_A > 0.0)) throw std::invalid_argument("coulomb_ewald: real_cutoff_A must be positive");
  if (!(params_.accuracy > 0.0 && params_.accuracy < 1.0)) throw std::invalid_argument("coulomb_ewald: accuracy must be in (0, 1)");
  if (params_.alpha_per_A && !(*params_.alpha_per_A > 0.0)) throw std::invalid_argument("coulomb_ewald: alpha_per_A must be positive");
  if (params_.kspace_cutoff_per_A && !(*params_.kspace_cutoff_per_A > 0.0))
    throw std::invalid_argument("coulomb_ewald: kspace_cutoff_per_A must be positive");
}

EwaldSplitting CoulombEwald::splitting(const lattice::Structure& s) const {
  const std::vector<double> q = charges_of(s, charges_, name());
  double sum_q2 = 0.0;
  for (double x : q) sum_q2 += x * x;
  const double q2 = kCoulomb_eV_A * sum_q2;
  const double accuracy = params_.accuracy * kCoulomb_eV_A;  // absolute [eV/Å]
  const double rc = params_.real_cutoff_A;
  const double volume = s.volume_A3();
  const std::size_t n = std::max<std::size_t>(s.size(), 1);
  EwaldSplitting out;
  out.real_cutoff_A = rc;
  if (params_.alpha_per_A) {
    out.alpha_per_A = *params_.alpha_per_A;
  } else if (q2 == 0.0) {
    out.alpha_per_A = 3.0 / rc;
  } else {
    // Real-space error 2 q2 / sqrt(N r_c V) · exp(−α² r_c²) = accuracy, solved for α.
    const double g = accuracy * std::sqrt(static_cast<double>(n) * rc * volume) / (2.0 * q2);
    out.alpha_per_A = g >= 1.0 ? (1.35 - 0.15 * std::log(accuracy)) / rc : std::sqrt(-std::log(g)) / rc;
  }
  if (params_.kspace_cutoff_per_A) {
    out.kspace_cutoff_per_A = *params_.kspace_cutoff_per_A;
  } else if (q2 == 0.0) {
    out.kspace_cutoff_per_A = 0.0;
  } else {
    const Eigen::Vector3d widths = lattice::perpendicular_widths_A(s.cell);
    double kc = 0.0;
    for (int d = 0; d < 3; ++d) {
      int kmax = 1;
      while (kspace_rms(kmax, widths[d], n, q2, out.alpha_per_A) > accuracy && kmax < 10000) ++kmax;
      kc = std::max(kc, 2.0 * kPi * kmax / widths[d]);
    }
    out.kspace_cutoff_per_A = kc;
  }
  return out;
}

void CoulombEwald::accumulate(const lattice::Structure& s, const HalfPairList& pairs, const ComputeRequest& req,
                              PotentialResult& result) const {
  if (!(s.pbc[0] && s.pbc[1] && s.pbc[2])) throw PotentialEvaluationError("coulomb_ewald: needs a cell periodic along a, b and c");
  const std::size_t n = s.size();
  const std::vector<double> q = charges_of(s, charges_, name());
  const EwaldSplitting split = splitting(s);
  const double alpha = split.alpha_per_A;
  const double volume = s.volume_A3();
  const double two_alpha_over_sqrt_pi = 2.0 * alpha / std::sqrt(kPi);

  // Real space: k q_i q_j erfc(αr)/r over each pair once; self term −k α/√π Σ q_i².
  const double alpha2 = alpha * alpha;
  accumulate_pairs(pairs, s, params_.real_cutoff_A, req, result, [&](int i, int j, double r2) -> PairTerm {
    const double qq = kCoulomb_eV_A * q[static_cast<std::size_t>(i)] * q[static_cast<std::size_t>(j)];
    if (qq == 0.0) return {};
    const double r = std::sqrt(r2);
    const double inverse_r = 1.0 / r;
    const double gaussian = std::exp(-alpha2 * r2);
    const double erfc_term = erfc_from_gaussian(alpha * r, gaussian) * inverse_r;
    const double dphi = -qq * (erfc_term + two_alpha_over_sqrt_pi * gaussian) * inverse_r;
    return {qq * erfc_term, dphi * inverse_r};
  });
  double sum_q2 = 0.0;
  for (double x : q) sum_q2 += x * x;
  result.energy_eV -= kCoulomb_eV_A * alpha / std::sqrt(kPi) * sum_q2;

  double total_charge = 0.0;
  for (double x : q) total_charge += x;
  // Neutralising background for a charged cell (energy ∝ 1/V, so its virial is E_bg·I).
  const double background = -kCoulomb_eV_A * kPi * total_charge * total_charge / (2.0 * volume * alpha * alpha);
  result.energy_eV += background;
  if (req.virial && result.virial_eV) *result.virial_eV += background * Eigen::Matrix3d::Identity();

  // Reciprocal space over half of k-space (k and −k contribute equally).
  const double kc = split.kspace_cutoff_per_A;
  if (kc <= 0.0 || n == 0) return;
  const Eigen::Matrix3d reciprocal = 2.0 * kPi * s.cell.inverse().transpose();  // columns b1, b2, b3
  int nmax[3];
  for (int d = 0; d < 3; ++d) nmax[d] = static_cast<int>(std::floor(kc * s.cell.col(d).norm() / (2.0 * kPi) + 1e-9));
  const double kc2 = kc * kc * 1.00001;  // boundary shells included as in LAMMPS
  std::vector<KColumn> columns;
  std::vector<Eigen::Vector3d> kvec;
  std::vector<double> coeff;
  for (int n1 = 0; n1 <= nmax[0]; ++n1)
    for (int n2 = (n1 == 0 ? 0 : -nmax[1]); n2 <= nmax[1]; ++n2) {
      KColumn column{n1, n2, 0, -1, kvec.size()};
      for (int n3 = -nmax[2]; n3 <= nmax[2]; ++n3) {
        if (n1 == 0 && n2 == 0 && n3 <= 0) continue;
        const Eigen::Vector3d k = reciprocal * Eigen::Vector3d(n1, n2, n3);
        const double k2 = k.squaredNorm();
        if (k2 > kc2) continue;
        if (column.n3_hi < column.n3_lo) column.n3_lo = n3;
        column.n3_hi = n3;  // the allowed n3 of one (n1, n2) form one interval (a sphere is convex)
        kvec.push_back(k);
        coeff.push_back(std::exp(-k2 / (4.0 * alpha * alpha)) / k2);
      }
      if (column.n3_hi >= column.n3_lo) columns.push_back(column);
    }
  const std::size_t nk = kvec.size();
  if (nk == 0) return;

  // Tables e^{2πi m f_d} for m in [−nmax_d, nmax_d], atoms contiguous for each m.
  const Eigen::Matrix3Xd frac = s.cell.inverse() * s.positions;
  std::vector<Complex> table[3];
  for (int d = 0; d < 3; ++d) {
    const int width = 2 * nmax[d] + 1;
    table[d].resize(static_cast<std::size_t>(width) * n);
    for (std::size_t i = 0; i < n; ++i) {
      table[d][static_cast<std::size_t>(nmax[d]) * n + i] = 1.0;
      for (int m = 1; m <= nmax[d]; ++m) {
        // Evaluated directly rather than by repeated multiplication, so no rounding drift.
        const Complex power = std::polar(1.0, 2.0 * kPi * m * frac(d, static_cast<Eigen::Index>(i)));
        table[d][static_cast<std::size_t>(nmax[d] + m) * n + i] = power;
        table[d][static_cast<std::size_t>(nmax[d] - m) * n + i] = std::conj(power);
      }
    }
  }
  auto row = [&](int d, int m) { return table[d].data() + static_cast<std::size_t>(nmax[d] + m) * n; };

  // Structure factors S(k) = Σ_j q_j e^{ik·r_j}, one k per task (each a serial, ordered sum).
  std::vector<Complex> structure_factor(nk);
#pragma omp parallel if (n * nk >= kMinAtomsPerParallelLoop * 64)
  {
    std::vector<Complex> p12(n);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const KColumn& col = columns[c];
      const Complex* t1 = row(0, col.n1);
      const Complex* t2 = row(1, col.n2);
      for (std::size_t i = 0; i < n; ++i) p12[i] = q[i] * mul(t1[i], t2[i]);
      for (int n3 = col.n3_lo; n3 <= col.n3_hi; ++n3) {
        const Complex* t3 = row(2, n3);
        double re = 0.0, im = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          re += p12[i].real() * t3[i].real() - p12[i].imag() * t3[i].imag();
          im += p12[i].real() * t3[i].imag() + p12[i].imag() * t3[i].real();
        }
        structure_factor[col.first + static_cast<std::size_t>(n3 - col.n3_lo)] = {re, im};
      }
    }
  }

  const double prefactor = 4.0 * kPi * kCoulomb_eV_A / volume;  // half-space sums count twice
  double e_rec = 0.0;
  Eigen::Matrix3d w_rec = Eigen::Matrix3d::Zero();
  for (std::size_t k = 0; k < nk; ++k) {
    const double a = coeff[k] * std::norm(structure_factor[k]);
    e_rec += a;
    if (req.virial) {
      const double k2 = kvec[k].squaredNorm();
      w_rec += a * (Eigen::Matrix3d::Identity() - 2.0 * (1.0 / (4.0 * alpha * alpha) + 1.0 / k2) * kvec[k] * kvec[k].transpose());
    }
  }
  result.energy_eV += prefactor * e_rec;
  if (req.virial && result.virial_eV) *result.virial_eV += prefactor * w_rec;

  if (!req.forces) return;
  // F_i = 2·prefactor·q_i Σ_half g(k) k Im(e^{ik·r_i} S(k)*), per block of atoms (each atom's
  // sum in k order, so independent of threads).
  constexpr std::size_t kBlock = 64;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  std::vector<Complex> weighted(nk);
  for (std::size_t k = 0; k < nk; ++k) weighted[k] = coeff[k] * std::conj(structure_factor[k]);
#pragma omp parallel for schedule(dynamic, 1) if (n * nk >= kMinAtomsPerParallelLoop * 64)
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t lo = b * kBlock, hi = std::min(n, lo + kBlock);
    double p12_re[kBlock], p12_im[kBlock], fx[kBlock] = {}, fy[kBlock] = {}, fz[kBlock] = {};
    const std::size_t m = hi - lo;
    for (const KColumn& col : columns) {
      const Complex* t1 = row(0, col.n1) + lo;
      const Complex* t2 = row(1, col.n2) + lo;
      for (std::size_t a = 0; a < m; ++a) {
        const Complex p = mul(t1[a], t2[a]);
        p12_re[a] = p.real();
        p12_im[a] = p.imag();
      }
      for (int n3 = col.n3_lo; n3 <= col.n3_hi; ++n3) {
        const std::size_t k = col.first + static_cast<std::size_t>(n3 - col.n3_lo);
        const Complex* t3 = row(2, n3) + lo;
        const double w_re = weighted[k].real(), w_im = weighted[k].imag();
        const double kx = kvec[k][0], ky = kvec[k][1], kz = kvec[k][2];
        for (std::size_t a = 0; a < m; ++a) {
          // Im(p12·t3·w)
          const double p_re = p12_re[a] * t3[a].real() - p12_im[a] * t3[a].imag();
          const double p_im = p12_re[a] * t3[a].imag() + p12_im[a] * t3[a].real();
          const double im = p_re * w_im + p_im * w_re;
          fx[a] += im * kx;
          fy[a] += im * ky;
          fz[a] += im * kz;
        }
      }
    }
    for (std::size_t a = 0; a < m; ++a)
      result.forces.col(static_cast<Eigen::Index>(lo + a)) += (2.0 * prefactor * q[lo + a]) * Eigen::Vector3d(fx[a], fy[a], fz[a]);
  }
}

}  // namespace ionhop::neb
