// The potential-file reader (inputs/) and the potential registry (neb/) name the same types and
// keys: inputs/ cannot link neb/, so its key tables repeat what the registry's factories read.
// Every type the registry builds must be a type the reader knows, and a file that gives every
// key the reader allows for a type must build in the registry (no key the registry rejects).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "inputs/PotentialFileReader.hpp"
#include "inputs/StudyError.hpp"
#include "neb/PotentialRegistry.hpp"

namespace ionhop::neb {
namespace {

/// A [potential] table of each registered type with every key the reader takes, optional ones
/// included, and values the registry accepts.
const std::vector<std::pair<std::string, std::string>>& every_key_of_each_type() {
  static const std::vector<std::pair<std::string, std::string>> tables{
      {"lennard_jones",
       "cutoff_A = 6.0\nswitch_on_A = 5.0\npairs = [{ species = [\"Ar\", \"Ar\"], epsilon_eV = 0.0104, sigma_A = 3.4 }]\n"},
      {"morse",
       "cutoff_A = 5.5\nswitch_on_A = 5.0\n"
       "pairs = [{ species = [\"Li\", \"O\"], D_eV = 0.001114, alpha_per_A = 3.429506, r0_A = 2.68136 }]\n"},
      {"buckingham",
       "cutoff_A = 6.0\nswitch_on_A = 5.0\npairs = [{ species = [\"Li\", \"O\"], A_eV = 426.48, rho_A = 0.3, C_eV_A6 = 0.0 }]\n"},
      {"repulsion_r12", "cutoff_A = 5.5\nswitch_on_A = 5.0\npairs = [{ species = [\"O\", \"O\"], B_eV_A12 = 22.0 }]\n"},
      {"coulomb_ewald",
       "real_cutoff_A = 10.0\naccuracy = 1e-6\nalpha_per_A = 0.3\nkspace_cutoff_per_A = 2.0\n"
       "charges_e = { Li = 0.6, O = -1.2 }\n"},
      {"coulomb_dsf", "cutoff_A = 10.0\nalpha_per_A = 0.2\ncharges_e = { Li = 0.6, O = -1.2 }\n"},
      {"sum", "[[potential.terms]]\ntype = \"coulomb_dsf\"\ncharges_e = { Li = 1.0, O = -2.0 }\n"},
  };
  return tables;
}

TEST(PotentialFileRegistry, TheReaderKnowsEveryRegisteredType) {
  std::vector<std::string> covered;
  for (const auto& [type, keys] : every_key_of_each_type()) covered.push_back(type);
  std::sort(covered.begin(), covered.end());
  EXPECT_EQ(covered, builtin_potentials().names());
}

TEST(PotentialFileRegistry, EveryKeyTheReaderTakesBuildsInTheRegistry) {
  for (const auto& [type, keys] : every_key_of_each_type()) {
    SCOPED_TRACE(type);
    const std::string text = "[potential]\ntype = \"" + type + "\"\n" + keys;
    try {
      const inputs::PotentialFile file = inputs::parse_potential_file(text, "pot.toml");
      EXPECT_EQ(file.potential.type, type);
      EXPECT_NO_THROW((void)make_potential(file.potential));
    } catch (const inputs::StudyError& e) {
      ADD_FAILURE() << e.what();
    }
  }
}

}  // namespace
}  // namespace ionhop::neb
