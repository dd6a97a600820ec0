#pragma once
/// Turns a parsed study into the science modules' inputs: the KMC model (lattice, hop network
/// with its symmetry classes, species, energetics, barriers) and the sweep settings.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bridge/MsdSlope.hpp"
#include "inputs/Study.hpp"
#include "kmc/Model.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::app {

/// A study that parses but cannot be set up (no hop found, supercell too small, ions that do
/// not fit, a network that does not percolate). It is bad input: exit code 2.
class StudySetupError : public std::runtime_error {
 public:
  explicit StudySetupError(const std::string& what) : std::runtime_error(what) {}
};

struct StudySetup {
  std::shared_ptr<const kmc::Model> model;
  kmc::SweepSettings sweep;
  bridge::FitWindow fit;
  int dimension = 0;            ///< of the hop network
  double volume_A3 = 0.0;       ///< of the supercell
  int space_group_order = 0;
};

StudySetup set_up_study(const inputs::Study& study);

}  // namespace ionhop::app
