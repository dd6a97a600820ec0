#include "app/ResultsWriter.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

#include "app/AtomicFile.hpp"
#include "app/H5File.hpp"
#include "app/SuperbasinTotals.hpp"
#include "app/UtcTime.hpp"
#include "app/Version.hpp"
#include "inputs/StudyReader.hpp"

namespace ionhop::app {
namespace {

std::string temperature_group(std::size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "/temperatures/T_%03zu", i);
  return buf;
}

template <typename Row>
RowMajorArray<double> stack(const std::vector<kmc::ReplicaResult>& reps, Row row) {
  RowMajorArray<double> a;
  a.rows = reps.size();
  for (const auto& r : reps) {
    const std::vector<double>& v = row(r);
    a.cols = v.size();
    a.values.insert(a.values.end(), v.begin(), v.end());
  }
  return a;
}

void write_fit(H5File& f, const std::string& group, const bridge::ArrheniusFit& fit) {
  f.create_group(group);
  f.set_attribute(group, "Ea_eV", fit.Ea_eV);
  f.set_attribute(group, "Ea_stderr_eV", fit.Ea_stderr_eV);
  f.set_attribute(group, "ln_prefactor", fit.ln_prefactor);
  f.set_attribute(group, "ln_prefactor_stderr", fit.ln_prefactor_stderr);
  f.set_attribute(group, "covariance", fit.cov_ln_prefactor_Ea_eV);
  f.set_attribute(group, "chi2_per_dof", fit.chi2_per_dof);
}

std::vector<std::int64_t> as_int64(const std::vector<long long>& v) { return {v.begin(), v.end()}; }

/// `<g>/superbasin`: the options of the study's [superbasin] section, the counters of every
/// replica summed, and the acceleration against a timed plain-KMC pilot.
void write_superbasin(H5File& f, const std::string& g, const inputs::SuperbasinSpec& spec,
                      const kmc::TemperatureResult& t) {
  const std::string sb = g + "/superbasin";
  f.create_group(sb);
  f.set_attribute(sb, "method", std::string_view(inputs::to_string(spec.method)));
  f.set_attribute(sb, "detection", std::string_view(inputs::to_string(spec.detection)));
  f.set_attribute(sb, "barrier_gap_eV", spec.barrier_gap_eV);
  f.set_attribute(sb, "transition_count", std::int64_t{spec.transition_count});
  f.set_attribute(sb, "max_basin_sites", std::int64_t{spec.max_basin_sites});
  f.set_attribute(sb, "max_basin_states", std::int64_t{spec.max_basin_states});
  f.set_attribute(sb, "cache_size", std::int64_t{spec.cache_size});
  f.set_attribute(sb, "min_rate_ratio", spec.min_rate_ratio);
  f.set_attribute(sb, "plain_pilot_events", static_cast<std::int64_t>(spec.plain_pilot_events));

  const SuperbasinTotals totals = superbasin_totals(t);
  const kmc::SuperbasinStats& sum = totals.stats;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  f.set_attribute(sb, "basins_by_barrier", static_cast<std::int64_t>(sum.basins_by_barrier));
  f.set_attribute(sb, "basins_by_counting", static_cast<std::int64_t>(sum.basins_by_counting));
  f.set_attribute(sb, "activations", static_cast<std::int64_t>(sum.activations));
  f.set_attribute(sb, "escapes", static_cast<std::int64_t>(sum.escapes));
  f.set_attribute(sb, "dissolutions", static_cast<std::int64_t>(sum.dissolutions));
  f.set_attribute(sb, "isolation_failures", static_cast<std::int64_t>(sum.isolation_failures));
  f.set_attribute(sb, "too_many_states", static_cast<std::int64_t>(sum.too_many_states));
  f.set_attribute(sb, "cache_hits", static_cast<std::int64_t>(sum.cache_hits));
  f.set_attribute(sb, "cache_misses", static_cast<std::int64_t>(sum.cache_misses));
  f.set_attribute(sb, "internal_jumps_avoided", sum.internal_jumps_avoided);
  f.set_attribute(sb, "time_in_basins_s", sum.time_in_basins_s);
  // Solve diagnostics exist only when a basin was solved (a cache miss is a solve).
  const bool solved = sum.cache_misses > 0;
  f.set_attribute(sb, "max_relative_residual", solved ? sum.max_relative_residual : nan);
  f.set_attribute(sb, "min_reciprocal_condition", solved ? sum.min_reciprocal_condition : nan);
  f.write_dataset(sb + "/basin_sites_histogram",
                  std::span<const std::int64_t>(as_int64(sum.basin_sites_histogram)), "1");
  f.write_dataset(sb + "/basin_states_histogram",
                  std::span<const std::int64_t>(as_int64(sum.basin_states_histogram)), "1");
  if (!sum.class_rate_scale.empty())
    f.write_dataset(sb + "/class_rate_scale", std::span<const double>(sum.class_rate_scale), "1");

  f.set_attribute(sb, "accelerated_time_per_wall_s", totals.accelerated_time_per_wall_s);
  f.set_attribute(sb, "plain_time_per_wall_s", totals.plain_time_per_wall_s);
  f.set_attribute(sb, "acceleration", totals.acceleration);
}

void write_contents(H5File& f, const inputs::Study& study, const StudySetup& setup,
                    const std::vector<kmc::TemperatureResult>& raw, const StudyAnalysis& an,
                    const RunMetadata& meta) {
  const kmc::Model& model = *setup.model;
  f.set_attribute("/", "format", std::string_view("ionhop-results"));
  f.set_attribute("/", "format_version", std::int64_t{1});
  f.set_attribute("/", "ionhop_version", std::string_view(kVersion));
  f.set_attribute("/", "study_name", std::string_view(study.name));
  f.set_attribute_uint64("/", "seed", study.run.seed);
  f.set_attribute("/", "threads", std::int64_t{meta.threads});
  f.set_attribute("/", "wall_time_s", meta.wall_time_s);
  f.set_attribute("/", "created_utc", std::string_view(utc_now_iso8601()));

  f.write_dataset("/study/text", std::string_view(study.source_text), "1");
  f.write_dataset("/study/resolved", std::string_view(meta.resolved_study), "1");

  const auto& net = *model.network;
  const auto& cell = *model.supercell;
  f.create_group("/lattice");
  f.set_attribute("/lattice", "n_sites", std::int64_t{cell.n_sites()});
  f.set_attribute("/lattice", "volume_A3", setup.volume_A3);
  f.set_attribute("/lattice", "dimension", std::int64_t{setup.dimension});
  f.set_attribute("/lattice", "n_hop_classes", static_cast<std::int64_t>(net.classes().size()));
  f.set_attribute("/lattice", "space_group_order", std::int64_t{setup.space_group_order});
  std::vector<std::string> from, to;
  std::vector<double> dist, barrier, nu;
  std::vector<std::int64_t> mult;
  const long long cells = cell.n_sites() / cell.n_basis();
  for (std::size_t c = 0; c < net.classes().size(); ++c) {
    const auto& cls = net.classes()[c];
    from.push_back(cell.crystal().type_names[cls.from_type]);
    to.push_back(cell.crystal().type_names[cls.to_type]);
    dist.push_back(cls.distance_A);
    mult.push_back(static_cast<std::int64_t>(cls.templates_per_cell) * cells);
    const auto b = model.barriers->barrier({static_cast<int>(c), cls.from_type, cls.to_type, cls.distance_A});
    barrier.push_back(b.kra_eV);
    nu.push_back(b.attempt_frequency_Hz);
  }
  f.write_dataset("/lattice/hop_classes/from_type", std::span<const std::string>(from), "1");
  f.write_dataset("/lattice/hop_classes/to_type", std::span<const std::string>(to), "1");
  f.write_dataset("/lattice/hop_classes/distance_A", std::span<const double>(dist), "angstrom");
  f.write_dataset("/lattice/hop_classes/multiplicity", std::span<const std::int64_t>(mult), "1");
  f.write_dataset("/lattice/hop_classes/barrier_eV", std::span<const double>(barrier), "eV");
  f.write_dataset("/lattice/hop_classes/attempt_frequency_Hz", std::span<const double>(nu), "Hz");

  std::vector<std::string> type_names = cell.crystal().type_names;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto& t = raw[i];
    const auto& tr = an.transport[i];
    const std::string g = temperature_group(i);
    f.create_group(g);
    f.set_attribute(g, "temperature_K", t.temperature_K);
    f.set_attribute(g, "sample_interval_s", t.sample_interval_s);
    const std::size_t L = t.replicas.front().msd.charge_e2A2.size();
    std::vector<double> lag;
    for (std::size_t k = 0; k < L; ++k) lag.push_back((k + 1) * t.sample_interval_s);
    f.write_dataset(g + "/msd/lag_s", std::span<const double>(lag), "s");
    for (int s = 0; s < model.n_mobile(); ++s) {
      const std::string& n = model.species[s].name;
      f.write_dataset(g + "/msd/tracer_" + n + "_A2",
                      stack(t.replicas, [s](const kmc::ReplicaResult& r) -> const std::vector<double>& { return r.msd.tracer_A2[s]; }),
                      "angstrom^2");
      f.write_dataset(g + "/msd/collective_" + n + "_A2",
                      stack(t.replicas, [s](const kmc::ReplicaResult& r) -> const std::vector<double>& { return r.msd.collective_A2[s]; }),
                      "angstrom^2");
    }
    f.write_dataset(g + "/msd/charge_e2A2",
                    stack(t.replicas, [](const kmc::ReplicaResult& r) -> const std::vector<double>& { return r.msd.charge_e2A2; }),
                    "e^2 angstrom^2");
    f.set_attribute(g + "/msd", "fit_from_lag_s", lag[tr.fit_lags.first - 1]);
    f.set_attribute(g + "/msd", "fit_to_lag_s", lag[tr.fit_lags.last - 1]);

    RowMajorArray<std::int64_t> per_class;
    per_class.rows = t.replicas.size();
    per_class.cols = net.classes().size();
    std::vector<std::int64_t> clamped, total;
    std::vector<double> sim_time;
    for (const auto& r : t.replicas) {
      per_class.values.insert(per_class.values.end(), r.events_per_class.begin(), r.events_per_class.end());
      clamped.push_back(r.clamped_events);
      total.push_back(r.events);
      sim_time.push_back(r.simulated_time_s);
    }
    f.write_dataset(g + "/events/per_hop_class", per_class, "1");
    f.write_dataset(g + "/events/clamped", std::span<const std::int64_t>(clamped), "1");
    f.write_dataset(g + "/events/total", std::span<const std::int64_t>(total), "1");
    f.write_dataset(g + "/events/simulated_time_s", std::span<const double>(sim_time), "s");
    f.write_dataset(g + "/occupancy/site_type_names", std::span<const std::string>(type_names), "1");
    f.write_dataset(g + "/occupancy/per_site_type",
                    stack(t.replicas, [](const kmc::ReplicaResult& r) -> const std::vector<double>& { return r.occupancy_per_type; }),
                    "1");
    if (study.superbasin.method != inputs::SuperbasinMethodSpec::none)
      write_superbasin(f, g, study.superbasin, t);
  }

  auto column = [&](auto get) {
    std::vector<double> v;
    for (const auto& t : an.transport) v.push_back(get(t));
    return v;
  };
  auto write_estimate = [&](const std::string& name, const std::string& units, auto get) {
    const auto value = column([&](const bridge::TemperatureTransport& t) { return get(t).value; });
    const auto err = column([&](const bridge::TemperatureTransport& t) { return get(t).standard_error; });
    f.write_dataset("/summary/" + name, std::span<const double>(value), units);
    f.write_dataset("/summary/" + name + "_stderr", std::span<const double>(err), units);
  };
  const auto temps = column([](const bridge::TemperatureTransport& t) { return t.temperature_K; });
  f.write_dataset("/summary/temperature_K", std::span<const double>(temps), "K");
  for (int s = 0; s < model.n_mobile(); ++s) {
    const std::string& n = model.species[s].name;
    write_estimate("D_tracer_" + n + "_cm2_s", "cm^2/s", [s](const auto& t) { return t.species[s].D_tracer_cm2_s; });
    write_estimate("D_sigma_" + n + "_cm2_s", "cm^2/s", [s](const auto& t) { return t.species[s].D_sigma_cm2_s; });
    write_estimate("haven_" + n, "1", [s](const auto& t) { return t.species[s].haven_ratio; });
    write_estimate("sigma_" + n + "_S_cm", "S/cm", [s](const auto& t) { return t.species[s].sigma_S_cm; });
    write_estimate("sigma_NE_" + n + "_S_cm", "S/cm", [s](const auto& t) { return t.species[s].sigma_NE_S_cm; });
  }
  write_estimate("sigma_total_S_cm", "S/cm", [](const auto& t) { return t.sigma_total_S_cm; });

  if (an.sigmaT_fit) {
    write_fit(f, "/arrhenius/sigmaT", *an.sigmaT_fit);
    const auto s300 = an.sigmaT_fit->extrapolate(300.0);
    f.set_attribute("/arrhenius/sigmaT", "sigma_300K_S_cm", s300.value);
    f.set_attribute("/arrhenius/sigmaT", "sigma_300K_S_cm_stderr", s300.standard_error);
  }
  for (int s = 0; s < model.n_mobile(); ++s)
    if (an.D_fits[s]) write_fit(f, "/arrhenius/D_tracer_" + model.species[s].name, *an.D_fits[s]);
}

}  // namespace

void write_results(const std::filesystem::path& path, const inputs::Study& study, const StudySetup& setup,
                   const std::vector<kmc::TemperatureResult>& raw, const StudyAnalysis& analysis,
                   const RunMetadata& meta) {
  AtomicFile out(path);
  {
    H5File f = H5File::create(out.temp_path());
    write_contents(f, study, setup, raw, analysis, meta);
    f.close();
  }
  out.commit();
}

}  // namespace ionhop::app
