#pragma once
/// The terminal summary printed at the end of a run.
#include <ostream>

#include "app/StudySetup.hpp"
#include "app/TransportAnalysis.hpp"
#include "kmc/Sweep.hpp"

namespace ionhop::app {

void print_summary(std::ostream& out, const StudySetup& setup, const std::vector<kmc::TemperatureResult>& raw,
                   const StudyAnalysis& analysis);

/// "1.23(4)e-05"-style value ± error: "1.234e-05 ± 4.1e-07".
std::string format_estimate(double value, double error);

}  // namespace ionhop::app
