#pragma once
// Valid study texts used by several tests. Together they use every key of the schema
// (checked in StudySchema_test.cpp).
#include <string>

namespace ionhop::inputs::testing {

/// Every key of a prototype lattice study, with values that differ from the defaults.
inline const std::string kCompleteStudy = R"toml(
[study]
name = "complete"
description = "every key, non-default values"

[lattice]
prototype = "fcc_anion_TO"
a_A = 5.5
supercell = [3, 4, 5]

[[site_types]]
name = "T"
energy_eV = 0.2
disorder_sigma_eV = 0.01

[[species]]
name = "Li"
charge = 1
site_types = ["T", "O"]
concentration = 0.25

[[species]]
name = "Mg"
charge = 2
count = 3

[[dopants]]
name = "Y"
charge = 3
site_types = ["O"]
count = 4

[[dopants]]
name = "X"
concentration = 0.01

[[interactions]]
species = ["Li", "Li"]
shell_energies_eV = [0.05, 0.01]

[[interactions]]
species = ["Li", "Y"]
shell_energies_eV = [-0.1]

[[regions]]
name = "gb"
axis = "b"
from = 0.45
to = 0.55
energy_shift_eV = 0.1
barrier_shift_eV = -0.02

[[hops]]
from = "T"
to = "O"
shell = 2
barrier_eV = 0.3
attempt_frequency_Hz = 5e12

[[hops]]
from = "O"
to = "O"
max_distance_A = 4.0
barrier_eV = 0.5

[run]
temperatures_K = [300, 450.5, 600]
events = 200000
equilibration_events = 20000
sample_interval_s = 1e-9
samples = 150
max_lag_samples = 40
fit_from_lag_fraction = 0.3
replicas = 6
seed = 42

[superbasin]
method = "rate-scaling"
detection = "counting"
barrier_gap_eV = 0.15
transition_count = 12
max_basin_sites = 16
max_basin_states = 100
cache_size = 256
min_rate_ratio = 50
plain_pilot_events = 0

[output]
path = "out/complete.h5"
)toml";

/// Explicit cell and basis, production by simulated time, defaults elsewhere.
inline const std::string kExplicitCellStudy = R"toml(
[study]
name = "explicit"

[lattice]
cell_A = [[3.0, 0.0, 0.0], [0.0, 3.0, 0.0], [0.0, 0.0, 4]]
supercell = [5, 5, 4]

[[lattice.basis]]
type = "A"
fractional = [0, 0, 0]

[[lattice.basis]]
type = "B"
fractional = [0.5, 0.5, 0.5]

[[site_types]]
name = "B"
energy_eV = 0.1

[[species]]
name = "Na"
charge = 1
count = 20

[[hops]]
from = "A"
to = "B"
barrier_eV = 0.2

[run]
temperatures_K = [500]
time_s = 1e-6
)toml";

/// hcp prototype without c_over_a: the reader fills the ideal ratio.
inline const std::string kHcpStudy = R"toml(
[study]
name = "hcp"

[lattice]
prototype = "hcp_anion_TO"
a_A = 4.0

[[species]]
name = "Zn"
charge = 2
site_types = ["O"]
concentration = 0.5

[[hops]]
from = "O"
to = "O"
barrier_eV = 0.8

[run]
temperatures_K = [800, 900]
events = 1000
)toml";

/// The hcp study with an explicit axial ratio.
inline std::string hcp_study_with_axial_ratio() {
  std::string text = kHcpStudy;
  const std::string after = "a_A = 4.0\n";
  text.insert(text.find(after) + after.size(), "c_over_a = 1.58\n");
  return text;
}

/// A small valid study that the error tests break one line at a time.
inline const std::string kBaseStudy = R"toml([study]
name = "base"

[lattice]
prototype = "bcc_anion_T"
a_A = 6.0
supercell = [2, 2, 2]

[[species]]
name = "Li"
charge = 1
concentration = 0.25

[[hops]]
from = "T"
to = "T"
barrier_eV = 0.15

[run]
temperatures_K = [300, 400]
events = 1000
)toml";

}  // namespace ionhop::inputs::testing
