#pragma once
/// The statistics toolbox of the bridge module in one include: sample mean / standard error,
/// the delete-one jackknife, and least-squares lines with their covariance. Each concept lives
/// in its own header; this one only gathers them.
#include "bridge/Estimate.hpp"
#include "bridge/Jackknife.hpp"
#include "bridge/LinearFit.hpp"
#include "bridge/SampleStatistics.hpp"
