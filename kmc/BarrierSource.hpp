#pragma once
/// Where the engine's hop barriers come from. The engine knows barriers only through this
/// interface; the app wires a table, a surrogate or an on-the-fly NEB oracle behind it.
#include <string>
#include <vector>

namespace ionhop::kmc {

/// What is known about a hop when its barrier is asked for.
struct HopQuery {
  int hop_class = 0;
  int from_type = 0;
  int to_type = 0;
  double distance_A = 0.0;
};

struct HopBarrier {
  double kra_eV = 0.0;                ///< direction-independent E_KRA [eV]
  double attempt_frequency_Hz = 1e13; ///< ν [1/s]
};

class BarrierSource {
 public:
  virtual ~BarrierSource() = default;
  virtual HopBarrier barrier(const HopQuery& query) const = 0;
  virtual std::string name() const = 0;
};

/// Barriers given per hop class (from the study file's hop rules).
class TableBarrierSource final : public BarrierSource {
 public:
  explicit TableBarrierSource(std::vector<HopBarrier> per_class) : per_class_(std::move(per_class)) {}
  HopBarrier barrier(const HopQuery& q) const override { return per_class_.at(q.hop_class); }
  std::string name() const override { return "table"; }

 private:
  std::vector<HopBarrier> per_class_;
};

}  // namespace ionhop::kmc
