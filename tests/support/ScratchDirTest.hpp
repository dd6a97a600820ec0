#pragma once
// A fresh scratch directory per test, for tests that run commands on files: created empty (with
// the fixture's subfolders) before each test, named after the process and the test so parallel
// ctest runs never share one, and removed after the test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace ionhop::testing {

class ScratchDirTest : public ::testing::Test {
 protected:
  /// The directory is <temp>/ionhop_<tag>_<pid>_<test name>, with `subfolders` inside.
  explicit ScratchDirTest(std::string tag, std::vector<std::string> subfolders = {})
      : tag_(std::move(tag)), subfolders_(std::move(subfolders)) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ionhop_" + tag_ + "_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const std::string& sub : subfolders_) std::filesystem::create_directories(dir_ / sub);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  /// Writes `text` to `name` (relative to the scratch directory); returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  static std::string read(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  /// Names of the entries of `sub` (the scratch directory itself if empty), sorted.
  std::vector<std::string> file_names(const std::string& sub = "") const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / sub)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::filesystem::path dir_;

 private:
  std::string tag_;
  std::vector<std::string> subfolders_;
};

}  // namespace ionhop::testing
