#pragma once
/// Climbing-image nudged elastic band: from two end states to a minimum-energy path and its saddle.
/// Henkelman, Uberuaga & Jónsson, J. Chem. Phys. 113, 9901 (2000) (climbing image);
/// Henkelman & Jónsson, J. Chem. Phys. 113, 9978 (2000) (improved tangent).
#include <limits>
#include <string>
#include <vector>

#include "lattice/Structure.hpp"
#include "neb/NebSpring.hpp"
#include "neb/Potential.hpp"
#include "neb/RelaxOptimizer.hpp"

namespace ionhop::neb {

enum class NebInitialPath { linear, idpp };

/// Why a band run stopped.
enum class NebStatus {
  converged,              ///< max perpendicular force (climbing image: full force) below fmax
  step_limit,             ///< max_iterations reached
  end_states_not_minima,  ///< an end state has a free-atom force above end_state_fmax_eV_A (no band run)
  image_collapse,         ///< neighbouring images stayed closer than min_spacing_ratio × mean spacing (or identical end states)
  uncertainty_too_high,   ///< an image's energy standard deviation exceeds max_energy_std_eV
};
std::string to_string(NebStatus s);

struct NebParams {
  int images = 7;                                  ///< intermediate images (the band has images + 2)
  NebSpringParams springs;                         ///< spring constants [eV/Å²], constant or energy-weighted
  bool climbing = true;                            ///< use a climbing image
  int climb_after_iterations = 0;                  ///< switch climbing on after this many iterations (0: from the start); it also switches on once the plain band has converged
  RelaxMethod method = RelaxMethod::lbfgs;         ///< band optimizer; L-BFGS acts on the whole band (Sheppard et al. 2008) and needs 3–7× fewer force calls than FIRE on the LJ vacancy hop (docs/performance.md)
  double fmax_eV_A = 0.05;                         ///< convergence: max |F⊥| (climbing image: |F|) [eV/Å]
  int max_iterations = 1000;                       ///< optimizer step limit
  double max_step_A = 0.2;                         ///< largest atomic displacement per step [Å]
  NebInitialPath initial_path = NebInitialPath::linear;
  double end_state_fmax_eV_A = 0.1;                ///< end states with a larger force are not minima [eV/Å]
  double min_spacing_ratio = 0.02;                 ///< image collapse: a segment shorter than this × mean segment length…
  int collapse_patience_iterations = 10;           ///< …for this many consecutive iterations (band L-BFGS passes through short transients); end states closer than 1e-6 Å collapse at once
  double max_energy_std_eV = std::numeric_limits<double>::infinity();  ///< stop when √variance exceeds [eV]
};

struct NebResult {
  NebStatus status = NebStatus::step_limit;
  bool converged = false;
  std::vector<lattice::Structure> images;      ///< all images, end points included (final state unwrapped)
  std::vector<double> energies_eV;             ///< energy of each image
  std::vector<double> reaction_coordinate_A;   ///< cumulative path length, 0 at the initial state
  double barrier_forward_eV = 0.0;             ///< E_max − E_initial
  double barrier_backward_eV = 0.0;            ///< E_max − E_final
  std::size_t saddle_index = 0;                ///< highest image (the climbing image)
  lattice::Structure saddle;                   ///< images[saddle_index]
  int iterations = 0;                          ///< optimizer steps
  int force_calls = 0;                         ///< Potential::compute calls, end points included
  double max_force_eV_A = 0.0;                 ///< final convergence measure
  std::vector<double> max_force_history_eV_A;  ///< convergence measure before each step and at the end
  double max_energy_std_eV = 0.0;              ///< largest √variance seen on an image (0 if none reported)
};

/// CI-NEB between two end states (same atoms, cell and fixed flags). The final state is unwrapped
/// to the minimum image of the initial one. End points are never moved. Throws
/// std::invalid_argument on inconsistent inputs or parameters.
NebResult run_neb(const lattice::Structure& initial, const lattice::Structure& final_state,
                  const Potential& potential, const NebParams& params = {});

/// CI-NEB from a given band (end points included, already unwrapped); params.images and
/// params.initial_path are ignored.
NebResult run_neb_from_band(std::vector<lattice::Structure> band, const Potential& potential, const NebParams& params = {});

}  // namespace ionhop::neb
