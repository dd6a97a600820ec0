#pragma once
/// Mean, sample standard deviation and standard error of the mean of independent samples
/// (e.g. one number per KMC replica).
#include <span>

#include "bridge/Estimate.hpp"

namespace ionhop::bridge {

/// Arithmetic mean. Throws EstimationError for an empty sample or a non-finite element.
[[nodiscard]] double mean(std::span<const double> samples);

/// Sample standard deviation with the n − 1 (Bessel) denominator.
/// NaN for a single sample (the spread is not estimable); throws for an empty sample.
[[nodiscard]] double sample_std(std::span<const double> samples);

/// Standard error of the mean, sample_std / √n. NaN for a single sample.
[[nodiscard]] double standard_error_of_mean(std::span<const double> samples);

/// {mean, standard error of the mean} of independent samples.
[[nodiscard]] Estimate mean_with_standard_error(std::span<const double> samples);

}  // namespace ionhop::bridge
