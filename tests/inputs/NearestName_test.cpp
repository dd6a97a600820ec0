#include "inputs/NearestName.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string_view>

namespace ionhop::inputs {
namespace {

TEST(EditDistance, TextbookValues) {
  // Levenshtein's classic example, and the restricted (OSA) transposition cases.
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);    // one adjacent transposition
  EXPECT_EQ(edit_distance("ca", "abc"), 3u);   // OSA; unrestricted Damerau would give 2
  EXPECT_EQ(edit_distance("temperature_K", "temperatures_K"), 1u);
}

TEST(EditDistance, IsSymmetric) {
  const std::array<std::string_view, 5> words{"a_A", "c_over_a", "cell_A", "supercell", "basis"};
  for (auto a : words) {
    for (auto b : words) EXPECT_EQ(edit_distance(a, b), edit_distance(b, a)) << a << " " << b;
  }
}

TEST(NearestName, SuggestsPlausibleTyposOnly) {
  const std::array<std::string_view, 4> keys{"temperatures_K", "events", "time_s", "seed"};
  EXPECT_EQ(nearest_name("temperature_K", keys), "temperatures_K");
  EXPECT_EQ(nearest_name("Temperatures_k", keys), "temperatures_K");  // case is ignored
  EXPECT_EQ(nearest_name("evnets", keys), "events");                  // transposition
  EXPECT_EQ(nearest_name("sede", keys), "seed");
  EXPECT_FALSE(nearest_name("replicas", keys).has_value());
  const std::array<std::string_view, 2> site_types{"T", "O"};
  EXPECT_EQ(nearest_name("Tx", site_types), "T");
  EXPECT_EQ(nearest_name("t", site_types), "T");
  EXPECT_FALSE(nearest_name("A", site_types).has_value());  // a whole replacement is no typo
  EXPECT_FALSE(nearest_name("events", keys).has_value());  // an exact name is not a typo
}

}  // namespace
}  // namespace ionhop::inputs
