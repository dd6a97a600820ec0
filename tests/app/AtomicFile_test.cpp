#include "app/AtomicFile.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "app/H5File.hpp"
#include "tests/support/ScratchDirTest.hpp"

namespace ionhop::app {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ionhop::testing::ScratchDirTest {
 protected:
  AtomicFileTest() : ScratchDirTest("atomic") {}

  static void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  /// Every file in the test directory (to catch stray temporaries).
  std::size_t file_count() const { return file_names().size(); }
};

TEST_F(AtomicFileTest, TempFileLivesBesideTheTargetAndNamesThePid) {
  const AtomicFile out(dir_ / "results.h5");
  EXPECT_EQ(out.target_path(), dir_ / "results.h5");
  EXPECT_EQ(out.temp_path().parent_path(), dir_);
  EXPECT_EQ(out.temp_path().filename().string(), "results.h5.tmp." + std::to_string(::getpid()));
  EXPECT_FALSE(fs::exists(out.temp_path()));  // nothing is created before the writer writes
}

TEST_F(AtomicFileTest, CommitMovesCompleteContentOntoTheTarget) {
  const fs::path target = dir_ / "out.txt";
  write_text(target, "old results");
  AtomicFile out(target);
  write_text(out.temp_path(), "new results");
  EXPECT_EQ(read(target), "old results");  // untouched until commit
  out.commit();
  EXPECT_TRUE(out.committed());
  EXPECT_EQ(read(target), "new results");
  EXPECT_FALSE(fs::exists(out.temp_path()));
  EXPECT_EQ(file_count(), 1u);
  EXPECT_THROW(out.commit(), std::logic_error);
}

TEST_F(AtomicFileTest, DestroyedWithoutCommitLeavesNoTempAndNoTarget) {
  const fs::path target = dir_ / "never.txt";
  fs::path temp;
  {
    AtomicFile out(target);
    temp = out.temp_path();
    write_text(temp, "half written");
    ASSERT_TRUE(fs::exists(temp));
  }
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_FALSE(fs::exists(target));
  EXPECT_EQ(file_count(), 0u);
}

TEST_F(AtomicFileTest, AnExceptionDuringWritingKeepsTheOldTargetIntact) {
  const fs::path target = dir_ / "results.h5";
  {
    H5File old = H5File::create(target);
    old.write_dataset("/value", 1.0, "1");
  }
  EXPECT_THROW(
      {
        AtomicFile out(target);
        H5File h5 = H5File::create(out.temp_path());
        h5.write_dataset("/value", 2.0, "1");
        throw std::runtime_error("simulated failure in the middle of a run");
      },
      std::runtime_error);
  EXPECT_EQ(file_count(), 1u);  // no temporary left behind
  const H5File h5 = H5File::open_read_only(target);
  EXPECT_EQ(h5.read_double("/value"), 1.0);
}

TEST_F(AtomicFileTest, H5FileWrittenOnTheTempPathIsReadableAfterCommit) {
  const fs::path target = dir_ / "results.h5";
  {
    AtomicFile out(target);
    H5File h5 = H5File::create(out.temp_path());
    h5.set_attribute("/", "format", "ionhop-results");
    h5.write_dataset("/summary/temperature_K", std::vector<double>{300.0, 600.0}, "K");
    h5.close();
    out.commit();
  }
  const H5File h5 = H5File::open_read_only(target);
  EXPECT_EQ(h5.read_string_attribute("/", "format"), "ionhop-results");
  EXPECT_EQ(h5.read_doubles("/summary/temperature_K"), (std::vector<double>{300.0, 600.0}));
  EXPECT_EQ(file_count(), 1u);
}

TEST_F(AtomicFileTest, CommitWithoutContentOrDirectoryFails) {
  AtomicFile out(dir_ / "empty.txt");
  EXPECT_THROW(out.commit(), fs::filesystem_error);
  EXPECT_FALSE(out.committed());
  EXPECT_FALSE(fs::exists(dir_ / "empty.txt"));
  EXPECT_THROW(AtomicFile(dir_ / "missing_dir" / "x.txt"), fs::filesystem_error);
  EXPECT_THROW(AtomicFile{dir_}, fs::filesystem_error);  // a directory is not a file target
}

TEST_F(AtomicFileTest, DiscardAndMoveKeepOneOwnerOfTheTempFile) {
  AtomicFile first(dir_ / "a.txt");
  write_text(first.temp_path(), "x");
  AtomicFile second = std::move(first);
  first.discard();  // NOLINT(bugprone-use-after-move): a moved-from object owns nothing
  EXPECT_TRUE(fs::exists(second.temp_path()));
  second.discard();
  EXPECT_FALSE(fs::exists(second.temp_path()));
  EXPECT_FALSE(fs::exists(dir_ / "a.txt"));
}

}  // namespace
}  // namespace ionhop::app
