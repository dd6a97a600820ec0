#include "inputs/StudySchema.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "StudyExamples.hpp"
#include "StudyTestSupport.hpp"
#include "inputs/LatticePrototypes.hpp"

namespace ionhop::inputs {
namespace {

/// Every key of the schema is accepted by the reader: the test studies (which read without
/// error, so no key in them is unknown) together write every one of them.
TEST(StudySchema, TestStudiesUseEveryKey) {
  const std::string all = testing::kCompleteStudy + testing::kExplicitCellStudy +
                          testing::hcp_study_with_axial_ratio();
  for (const SectionSchema& section : study_schema()) {
    const std::string header = section.header();
    EXPECT_NE(all.find("\n" + header + "\n"), std::string::npos) << header;
    for (const KeySchema& key : section.keys) {
      if (key.name == "basis") continue;  // written as the [[lattice.basis]] header
      std::string line_start = "\n";
      line_start.append(key.name).append(" = ");
      EXPECT_NE(all.find(line_start), std::string::npos)
          << section.name << "." << key.name;
    }
  }
}

/// And the reader rejects what is not in the schema, suggesting from the schema's own list:
/// a typo of every key in every section is caught and corrected.
TEST(StudySchema, TypoOfEveryKeySuggestsThatKey) {
  for (const SectionSchema& section : study_schema()) {
    if (section.name == "lattice.basis") continue;  // needs an explicit lattice; covered below
    for (const KeySchema& key : section.keys) {
      const std::string typo = std::string(key.name) + "x";
      std::string text = testing::kBaseStudy;
      const std::string header = section.header();
      if (text.find(header + "\n") == std::string::npos) text += "\n" + header + "\n";
      text = testing::replaced(text, header + "\n", header + "\n" + typo + " = 0\n");
      bool suggested = false;
      for (const Diagnostic& d : testing::diagnostics_of(text)) {
        suggested = suggested || d.message.find("did you mean '" + std::string(key.name) + "'?") !=
                                     std::string::npos;
      }
      EXPECT_TRUE(suggested) << section.name << "." << typo;
    }
  }
}

TEST(StudySchema, SectionsAndPrototypesAreConsistent) {
  EXPECT_EQ(section_schema("run").name, "run");
  EXPECT_THROW((void)section_schema("nope"), std::out_of_range);
  const auto top = top_level_section_names();
  EXPECT_EQ(std::find(top.begin(), top.end(), "lattice.basis"), top.end());
  EXPECT_EQ(top.size(), study_schema().size() - 1);
  const auto* hcp = find_lattice_prototype("hcp_anion_TO");
  ASSERT_NE(hcp, nullptr);
  EXPECT_TRUE(hcp->uses_c_over_a);
  EXPECT_EQ(hcp->site_types.size(), 2u);
  EXPECT_EQ(find_lattice_prototype("bcc_anion_T")->site_types[0], "T");
  EXPECT_EQ(find_lattice_prototype("diamond")->site_types[0], "A");
  EXPECT_EQ(find_lattice_prototype("hcp"), nullptr);
  EXPECT_EQ(lattice_prototypes().size(), 11u);
}

}  // namespace
}  // namespace ionhop::inputs
