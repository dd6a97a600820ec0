#include "app/SummaryTable.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app/SuperbasinTotals.hpp"

namespace ionhop::app {

std::string format_estimate(double value, double error) {
  char buf[64];
  if (std::isnan(error))
    std::snprintf(buf, sizeof buf, "%.3e", value);
  else
    std::snprintf(buf, sizeof buf, "%.3e ± %.1e", value, error);
  return buf;
}

void print_summary(std::ostream& out, const StudySetup& setup, const std::vector<kmc::TemperatureResult>& raw,
                   const StudyAnalysis& an) {
  const kmc::Model& model = *setup.model;
  char line[512];
  out << "\nTransport (± one standard error over replicas; d = " << setup.dimension
      << ", V = " << setup.volume_A3 << " Å^3)\n";
  for (int s = 0; s < model.n_mobile(); ++s) {
    const auto& sp = model.species[s];
    out << "\n  " << sp.name << " (z = " << sp.charge << ", N = " << sp.count << ")\n";
    std::snprintf(line, sizeof line, "  %8s  %-22s  %-22s  %-18s  %-22s  %-22s\n", "T [K]", "D* [cm^2/s]",
                  "D_sigma [cm^2/s]", "Haven ratio", "sigma [S/cm]", "sigma_NE [S/cm]");
    out << line;
    for (std::size_t i = 0; i < an.transport.size(); ++i) {
      const auto& t = an.transport[i].species[s];
      std::snprintf(line, sizeof line, "  %8.1f  %-22s  %-22s  %-18s  %-22s  %-22s\n", an.transport[i].temperature_K,
                    format_estimate(t.D_tracer_cm2_s.value, t.D_tracer_cm2_s.standard_error).c_str(),
                    format_estimate(t.D_sigma_cm2_s.value, t.D_sigma_cm2_s.standard_error).c_str(),
                    format_estimate(t.haven_ratio.value, t.haven_ratio.standard_error).c_str(),
                    format_estimate(t.sigma_S_cm.value, t.sigma_S_cm.standard_error).c_str(),
                    format_estimate(t.sigma_NE_S_cm.value, t.sigma_NE_S_cm.standard_error).c_str());
      out << line;
    }
  }
  out << "\n  Total σ from the charge MSD, and run statistics\n";
  std::snprintf(line, sizeof line, "  %8s  %-22s  %-14s  %-16s  %-13s\n", "T [K]", "sigma_total [S/cm]", "events (all)",
                "time/replica [s]", "clamped (all)");
  out << line;
  for (std::size_t i = 0; i < an.transport.size(); ++i) {
    long long events = 0, clamped = 0;
    double time = 0;
    for (const auto& r : raw[i].replicas) {
      events += r.events;
      clamped += r.clamped_events;
      time += r.simulated_time_s;
    }
    const auto& st = an.transport[i].sigma_total_S_cm;
    std::snprintf(line, sizeof line, "  %8.1f  %-22s  %-14lld  %-16.3e  %-13lld\n", an.transport[i].temperature_K,
                  format_estimate(st.value, st.standard_error).c_str(), events,
                  time / std::max<std::size_t>(1, raw[i].replicas.size()), clamped);
    out << line;
  }
  if (setup.sweep.superbasin.method != kmc::SuperbasinMethod::kNone) {
    // Basin methods report their escapes and activations; rate scaling has neither and
    // reports its smallest scale factor (the slow-down of the fastest scaled hop class).
    const bool scaling = setup.sweep.superbasin.method == kmc::SuperbasinMethod::kRateScaling;
    out << "\n  Superbasin acceleration (summed over replicas; simulated time per wall second of one"
           " thread, accelerated and plain-KMC pilot)\n";
    std::snprintf(line, sizeof line, "  %8s  %-12s  %-12s  %-16s  %-16s  %-12s\n", "T [K]",
                  scaling ? "min scale" : "escapes", scaling ? "" : "activations", "accel. [s/s]",
                  "plain [s/s]", "acceleration");
    out << line;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const SuperbasinTotals sb = superbasin_totals(raw[i]);
      char first[32];
      if (scaling) {
        double smallest = 1.0;
        for (double f : sb.stats.class_rate_scale) smallest = std::min(smallest, f);
        std::snprintf(first, sizeof first, "%.3g", smallest);
      } else {
        std::snprintf(first, sizeof first, "%lld", sb.stats.escapes);
      }
      const std::string second = scaling ? "" : std::to_string(sb.stats.activations);
      std::snprintf(line, sizeof line, "  %8.1f  %-12s  %-12s  %-16.3e  %-16.3e  %-12.3g\n",
                    raw[i].temperature_K, first, second.c_str(),
                    sb.accelerated_time_per_wall_s, sb.plain_time_per_wall_s, sb.acceleration);
      out << line;
    }
  }
  if (an.sigmaT_fit) {
    const auto& f = *an.sigmaT_fit;
    const auto s300 = f.extrapolate(300.0);
    out << "\n  Arrhenius fit of σT:  E_a = " << format_estimate(f.Ea_eV, f.Ea_stderr_eV) << " eV"
        << "   σ(300 K) = " << format_estimate(s300.value, s300.standard_error) << " S/cm"
        << "   χ²/dof = " << f.chi2_per_dof << "\n";
  }
  for (int s = 0; s < model.n_mobile(); ++s)
    if (an.D_fits[s])
      out << "  Arrhenius fit of D*(" << model.species[s].name
          << "): E_a = " << format_estimate(an.D_fits[s]->Ea_eV, an.D_fits[s]->Ea_stderr_eV) << " eV\n";
  for (const auto& w : an.warnings) out << "  note: " << w << "\n";
}

}  // namespace ionhop::app
