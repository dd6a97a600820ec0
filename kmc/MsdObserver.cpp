#include "kmc/MsdObserver.hpp"

namespace ionhop::kmc {

MsdObserver::MsdObserver(const Engine& engine, int max_lag)
    : max_lag_(max_lag), n_ions_(engine.n_ions()), n_mobile_(engine.model().n_mobile()) {
  for (int i = 0; i < n_ions_; ++i) ion_species_.push_back(engine.ion_species(i));
  for (int s = 0; s < n_mobile_; ++s) species_charge_.push_back(engine.model().species[s].charge);
  species_count_.assign(n_mobile_, 0);
  for (int s : ion_species_) species_count_[s]++;
  const std::size_t slots = max_lag_ + 1;
  ring_pos_.assign(slots * n_ions_ * 3, 0.0);
  ring_collective_.assign(slots * n_mobile_ * 3, 0.0);
  ring_charge_.assign(slots * 3, 0.0);
  acc_tracer_.assign(static_cast<std::size_t>(n_mobile_) * max_lag_, 0.0);
  acc_collective_.assign(static_cast<std::size_t>(n_mobile_) * max_lag_, 0.0);
  acc_charge_.assign(max_lag_, 0.0);
  origins_.assign(max_lag_, 0);
}

void MsdObserver::sample(const Engine& engine, double) {
  const std::size_t slots = max_lag_ + 1;
  const std::size_t slot = samples_ % slots;
  double* pos = &ring_pos_[slot * n_ions_ * 3];
  double* col = &ring_collective_[slot * n_mobile_ * 3];
  double* chg = &ring_charge_[slot * 3];
  for (int k = 0; k < n_mobile_ * 3; ++k) col[k] = 0.0;
  chg[0] = chg[1] = chg[2] = 0.0;
  for (int i = 0; i < n_ions_; ++i) {
    const Eigen::Vector3d d = engine.displacement_A(i);
    const int s = ion_species_[i];
    for (int x = 0; x < 3; ++x) {
      pos[3 * i + x] = d[x];
      col[3 * s + x] += d[x];
      chg[x] += species_charge_[s] * d[x];
    }
  }
  const long long lags = std::min<long long>(max_lag_, samples_);
  for (long long k = 1; k <= lags; ++k) {
    const std::size_t old = (samples_ - k) % slots;
    const double* p0 = &ring_pos_[old * n_ions_ * 3];
    const double* c0 = &ring_collective_[old * n_mobile_ * 3];
    const double* q0 = &ring_charge_[old * 3];
    for (int i = 0; i < n_ions_; ++i) {
      double r2 = 0.0;
      for (int x = 0; x < 3; ++x) {
        const double dx = pos[3 * i + x] - p0[3 * i + x];
        r2 += dx * dx;
      }
      acc_tracer_[ion_species_[i] * max_lag_ + (k - 1)] += r2;
    }
    for (int s = 0; s < n_mobile_; ++s) {
      double r2 = 0.0;
      for (int x = 0; x < 3; ++x) {
        const double dx = col[3 * s + x] - c0[3 * s + x];
        r2 += dx * dx;
      }
      acc_collective_[s * max_lag_ + (k - 1)] += r2;
    }
    double q2 = 0.0;
    for (int x = 0; x < 3; ++x) {
      const double dx = chg[x] - q0[x];
      q2 += dx * dx;
    }
    acc_charge_[k - 1] += q2;
    origins_[k - 1] += 1;
  }
  ++samples_;
}

MsdCurves MsdObserver::curves() const {
  MsdCurves c;
  c.tracer_A2.assign(n_mobile_, std::vector<double>(max_lag_, 0.0));
  c.collective_A2.assign(n_mobile_, std::vector<double>(max_lag_, 0.0));
  c.charge_e2A2.assign(max_lag_, 0.0);
  c.origins = origins_;
  for (int k = 0; k < max_lag_; ++k) {
    if (origins_[k] == 0) continue;
    const double n = static_cast<double>(origins_[k]);
    for (int s = 0; s < n_mobile_; ++s) {
      if (species_count_[s] > 0) c.tracer_A2[s][k] = acc_tracer_[s * max_lag_ + k] / (n * species_count_[s]);
      c.collective_A2[s][k] = acc_collective_[s * max_lag_ + k] / n;
    }
    c.charge_e2A2[k] = acc_charge_[k] / n;
  }
  return c;
}

OccupancyObserver::OccupancyObserver(const Engine& engine) {
  const auto& cell = *engine.model().supercell;
  sites_of_type_.assign(cell.crystal().type_names.size(), 0);
  for (lattice::SiteIndex s = 0; s < cell.n_sites(); ++s) sites_of_type_[cell.type_of(s)]++;
  acc_.assign(sites_of_type_.size(), 0.0);
}

void OccupancyObserver::sample(const Engine& engine, double) {
  const auto& cell = *engine.model().supercell;
  std::vector<long long> n(sites_of_type_.size(), 0);
  for (int i = 0; i < engine.n_ions(); ++i) n[cell.type_of(engine.ion_site(i))]++;
  for (std::size_t t = 0; t < n.size(); ++t)
    if (sites_of_type_[t] > 0) acc_[t] += static_cast<double>(n[t]) / sites_of_type_[t];
  ++samples_;
}

std::vector<double> OccupancyObserver::mean_fraction() const {
  std::vector<double> f(acc_.size(), 0.0);
  if (samples_ == 0) return f;
  for (std::size_t t = 0; t < f.size(); ++t) f[t] = acc_[t] / samples_;
  return f;
}

}  // namespace ionhop::kmc
