#include "neb/TrainingSetGenerator.hpp"

#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <set>
#include <stdexcept>

#include "neb/AtomicMasses.hpp"
#include "neb/LangevinMd.hpp"
#include "neb/RandomStream.hpp"
#include "neb/ReferenceLabel.hpp"
#include "neb/StructurePerturbation.hpp"

namespace ionhop::neb {

namespace {

/// Random stream of frame k of a kind: kinds never share a stream.
enum class StreamKind : std::uint64_t { strained = 1, displaced, vacancy, interstitial, md };
RandomStream stream_for(std::uint64_t seed, StreamKind kind, std::size_t k) {
  return RandomStream(seed, (static_cast<std::uint64_t>(kind) << 32) + k);
}

std::string number(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("training set: " + message);
}

void check_weight(double w, const char* kind) {
  require(std::isfinite(w) && w >= 0.0, std::string(kind) + " weight must be finite and ≥ 0");
}

void check_plan(const lattice::Structure& host, const TrainingSetPlan& plan) {
  require(host.size() > 0, "the host structure has no atoms");
  require(host.pbc[0] && host.pbc[1] && host.pbc[2], "the host structure must be periodic along a, b and c");
  const auto& st = plan.strained;
  require(st.frames >= 0 && plan.displaced.frames >= 0 && plan.vacancy.frames >= 0 && plan.interstitial.frames >= 0 &&
              plan.md.frames_per_temperature >= 0,
          "frame counts must be ≥ 0");
  require(st.max_strain >= 0.0 && st.max_strain <= 0.5, "strained max_strain must be in [0, 0.5]");
  require(st.displacement_A >= 0.0 && plan.displaced.displacement_A >= 0.0 && plan.vacancy.displacement_A >= 0.0 &&
              plan.interstitial.displacement_A >= 0.0,
          "displacements must be ≥ 0");
  check_weight(st.weight, "strained");
  check_weight(plan.displaced.weight, "displaced");
  check_weight(plan.vacancy.weight, "vacancy");
  check_weight(plan.interstitial.weight, "interstitial");
  check_weight(plan.md.weight, "md");
  const std::set<std::string> present(host.species.begin(), host.species.end());
  if (plan.vacancy.frames > 0) {
    require(!plan.vacancy.species.empty(), "vacancy frames need at least one species to remove");
    std::map<std::string, std::size_t> wanted, have;
    for (const auto& s : plan.vacancy.species) ++wanted[s];
    for (const auto& s : host.species) ++have[s];
    for (const auto& [name, count] : wanted)
      require(have[name] >= count, "the host has " + std::to_string(have[name]) + " atom(s) of '" + name +
                                       "', too few to remove " + std::to_string(count));
  }
  if (plan.interstitial.frames > 0) require(!plan.interstitial.species.empty(), "interstitial frames need at least one species to add");
  const MdFrames& md = plan.md;
  if (md.frames_per_temperature > 0) {
    require(!md.temperatures_K.empty(), "md frames need at least one temperature");
    for (double t : md.temperatures_K) require(std::isfinite(t) && t > 0.0, "md temperatures must be > 0");
    require(md.equilibration_steps >= 0 && md.steps_between_frames >= 1, "md equilibration_steps ≥ 0 and steps_between_frames ≥ 1");
    require(md.timestep_fs > 0.0 && md.friction_per_fs > 0.0, "md timestep_fs and friction_per_fs must be > 0");
    atom_masses_u(host, md.masses_u);  // throws for a species without a mass
  }
  if (plan.neb) {
    const NebFrames& n = *plan.neb;
    check_weight(n.weight, "neb");
    require(n.moving_atom < host.size() && n.vacancy_site < host.size(), "neb atom indices must be below the atom count " +
                                                                             std::to_string(host.size()));
    require(n.moving_atom != n.vacancy_site, "neb moving_atom and vacancy_site must differ");
    require(host.species[n.moving_atom] == host.species[n.vacancy_site], "neb moving_atom and vacancy_site must be of one species");
  }
}

void set_weight(std::vector<lattice::XyzFrame>& frames, std::size_t from, double weight) {
  for (std::size_t i = from; i < frames.size(); ++i) frames[i].weight = weight;
}

void append(std::vector<lattice::XyzFrame>& out, std::vector<lattice::XyzFrame> more) {
  for (auto& f : more) out.push_back(std::move(f));
}

}  // namespace

std::vector<lattice::XyzFrame> generate_training_set(const lattice::Structure& host, const Potential& reference,
                                                     const TrainingSetPlan& plan, TrainingSetReport* report) {
  check_plan(host, plan);
  TrainingSetReport facts;
  std::vector<lattice::XyzFrame> frames;

  // Configurations are built serially (cheap), labelled in parallel (the cost).
  {
    std::vector<lattice::Structure> strained;
    for (int k = 0; k < plan.strained.frames; ++k) {
      RandomStream rng = stream_for(plan.seed, StreamKind::strained, static_cast<std::size_t>(k));
      lattice::Structure s = apply_strain(host, random_symmetric_strain(rng, plan.strained.max_strain));
      rattle(s, rng, plan.strained.displacement_A);
      strained.push_back(std::move(s));
    }
    const std::size_t from = frames.size();
    append(frames, label_all_with_reference(strained, reference, kConfigStrained));
    set_weight(frames, from, plan.strained.weight);
  }
  {
    std::vector<lattice::Structure> displaced;
    for (int k = 0; k < plan.displaced.frames; ++k) {
      RandomStream rng = stream_for(plan.seed, StreamKind::displaced, static_cast<std::size_t>(k));
      lattice::Structure s = host;
      rattle(s, rng, plan.displaced.displacement_A);
      displaced.push_back(std::move(s));
    }
    const std::size_t from = frames.size();
    append(frames, label_all_with_reference(displaced, reference, kConfigDisplaced));
    set_weight(frames, from, plan.displaced.weight);
  }
  {
    std::vector<lattice::Structure> vacancies;
    for (int k = 0; k < plan.vacancy.frames; ++k) {
      RandomStream rng = stream_for(plan.seed, StreamKind::vacancy, static_cast<std::size_t>(k));
      lattice::Structure s = host;
      remove_random_atoms(s, rng, plan.vacancy.species);
      rattle(s, rng, plan.vacancy.displacement_A);
      vacancies.push_back(std::move(s));
    }
    const std::size_t from = frames.size();
    append(frames, label_all_with_reference(vacancies, reference, kConfigVacancy));
    set_weight(frames, from, plan.vacancy.weight);
  }
  {
    std::vector<lattice::Structure> interstitials;
    double clearance = std::numeric_limits<double>::infinity();
    for (int k = 0; k < plan.interstitial.frames; ++k) {
      RandomStream rng = stream_for(plan.seed, StreamKind::interstitial, static_cast<std::size_t>(k));
      lattice::Structure s = host;
      for (double c : insert_interstitials(s, rng, plan.interstitial.species)) clearance = std::min(clearance, c);
      rattle(s, rng, plan.interstitial.displacement_A);
      interstitials.push_back(std::move(s));
    }
    if (plan.interstitial.frames > 0) facts.min_interstitial_clearance_A = clearance;
    const std::size_t from = frames.size();
    append(frames, label_all_with_reference(interstitials, reference, kConfigInterstitial));
    set_weight(frames, from, plan.interstitial.weight);
  }
  if (plan.md.frames_per_temperature > 0) {
    const MdFrames& md = plan.md;
    const std::vector<double> masses = atom_masses_u(host, md.masses_u);
    const std::size_t n_t = md.temperatures_K.size();
    std::vector<std::vector<lattice::XyzFrame>> by_temperature(n_t);
    std::vector<std::exception_ptr> failures(n_t);
    // One independent trajectory per temperature, each on its own random stream.
#pragma omp parallel for schedule(dynamic) if (reference.capabilities().thread_safe && n_t > 1)
    for (long long t = 0; t < static_cast<long long>(n_t); ++t) {
      const auto k = static_cast<std::size_t>(t);
      try {
        LangevinParams p;
        p.temperature_K = md.temperatures_K[k];
        p.timestep_fs = md.timestep_fs;
        p.friction_per_fs = md.friction_per_fs;
        p.seed = plan.seed;
        p.stream = (static_cast<std::uint64_t>(StreamKind::md) << 32) + k;
        LangevinMd run(host, reference, masses, p);
        run.run(md.equilibration_steps);
        for (int f = 0; f < md.frames_per_temperature; ++f) {
          run.run(md.steps_between_frames);
          lattice::XyzFrame frame = label_with_reference(run.structure(), reference, kConfigMd);
          frame.info["temperature_K"] = number(md.temperatures_K[k]);
          frame.info["time_fs"] = number(run.time_fs());
          frame.weight = md.weight;
          by_temperature[k].push_back(std::move(frame));
        }
      } catch (...) {
        failures[k] = std::current_exception();
      }
    }
    for (const auto& failure : failures)
      if (failure) std::rethrow_exception(failure);
    for (auto& list : by_temperature) append(frames, std::move(list));
  }
  if (plan.neb) {
    const NebFrames& n = *plan.neb;
    const HopResult hop = run_hop(build_vacancy_hop(host, n.moving_atom, n.vacancy_site), reference, n.hop);
    facts.neb_force_calls = hop.force_calls;
    std::vector<lattice::Structure> images;
    std::string status = to_string(hop.status);
    if (hop.status == HopStatus::ok) {
      images = hop.neb.images;
      status = to_string(hop.neb.status);
      facts.neb_barrier_forward_eV = hop.neb.barrier_forward_eV;
    } else {
      images = {hop.initial_relaxed.structure, hop.final_relaxed.structure};
    }
    facts.neb_status = status;
    std::vector<lattice::XyzFrame> labelled = label_all_with_reference(images, reference, kConfigNeb);
    for (std::size_t i = 0; i < labelled.size(); ++i) {
      labelled[i].info["image"] = std::to_string(i);
      labelled[i].info["hop_status"] = status;
      if (hop.status == HopStatus::ok && hop.neb.converged) labelled[i].info["barrier_forward_eV"] = number(hop.neb.barrier_forward_eV);
      labelled[i].weight = n.weight;
    }
    append(frames, std::move(labelled));
  }
  for (const auto& f : frames) ++facts.frames_by_config_type[f.config_type()];
  if (report != nullptr) *report = facts;
  return frames;
}

}  // namespace ionhop::neb
