#pragma once
/// Writes a study's results file in the layout of docs/results-format.md, atomically: to a
/// temporary file beside the target, renamed over it only when complete.
#include <filesystem>
#include <string>
#include <vector>

#include "app/StudySetup.hpp"
#include "app/TransportAnalysis.hpp"
#include "inputs/Study.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::app {

struct RunMetadata {
  int threads = 1;
  double wall_time_s = 0.0;
  std::string resolved_study;  ///< canonical TOML of the study
};

void write_results(const std::filesystem::path& path, const inputs::Study& study, const StudySetup& setup,
                   const std::vector<kmc::TemperatureResult>& raw, const StudyAnalysis& analysis,
                   const RunMetadata& meta);

}  // namespace ionhop::app
