#include "app/H5File.hpp"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "tests/support/ScratchDirTest.hpp"

namespace ionhop::app {
namespace {

namespace fs = std::filesystem;

/// A fresh directory per test, removed afterwards.
class H5FileTest : public ionhop::testing::ScratchDirTest {
 protected:
  H5FileTest() : ScratchDirTest("h5") {}
  fs::path file(const std::string& name) const { return dir_ / name; }
};

TEST_F(H5FileTest, ScalarsRoundTripExactlyWithUnits) {
  const double tiny = 4.9406564584124654e-324;  // smallest subnormal: must survive bit for bit
  {
    H5File h5 = H5File::create(file("s.h5"));
    h5.write_dataset("/a/energy", -1.2345678901234567e-5, "eV");
    h5.write_dataset("/a/tiny", tiny, "1");
    h5.write_dataset("/a/nan", std::numeric_limits<double>::quiet_NaN(), "1");
    h5.write_dataset("/a/float", 0.5f, "K");
    h5.write_dataset("/b/min", std::numeric_limits<std::int64_t>::min(), "1");
    h5.write_dataset("/b/max", std::numeric_limits<std::int64_t>::max(), "1");
    h5.write_dataset("/b/count", std::size_t{42}, "1");
    h5.write_dataset("/b/int", -7, "1");
    h5.write_dataset("/c/text", std::string_view("σ = 1.2e-3 S/cm, D* in Å²/s\nsecond line"), "1");
    h5.write_dataset("/c/empty", std::string_view(""), "1");
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("s.h5"));
  EXPECT_EQ(h5.read_double("/a/energy"), -1.2345678901234567e-5);
  EXPECT_EQ(h5.read_double("/a/tiny"), tiny);
  EXPECT_TRUE(std::isnan(h5.read_double("/a/nan")));
  EXPECT_EQ(h5.read_double("/a/float"), 0.5);
  EXPECT_EQ(h5.read_int64("/b/min"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(h5.read_int64("/b/max"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(h5.read_int64("/b/count"), 42);
  EXPECT_EQ(h5.read_int64("b/int"), -7);  // relative paths start at the root
  EXPECT_EQ(h5.read_string("/c/text"), "σ = 1.2e-3 S/cm, D* in Å²/s\nsecond line");
  EXPECT_EQ(h5.read_string("/c/empty"), "");
  EXPECT_EQ(h5.units("/a/energy"), "eV");
  EXPECT_EQ(h5.units("/a/float"), "K");
  EXPECT_EQ(h5.units("/c/text"), "1");
  EXPECT_EQ(h5.shape("/a/energy"), std::vector<std::size_t>{});
}

TEST_F(H5FileTest, OneDimensionalArraysRoundTrip) {
  const std::vector<double> lags = {0.0, 1e-12, 2.5e-9, 1.0, -3.0, 1e300};
  const std::vector<std::int64_t> counts = {0, -1, 1, std::numeric_limits<std::int64_t>::max()};
  const std::vector<std::string> names = {"Li", "Na+", "", "Ω-site", "a long name with spaces"};
  {
    H5File h5 = H5File::create(file("a.h5"));
    h5.write_dataset("/msd/lag_s", lags, "s");
    h5.write_dataset("/events/total", counts, "1");
    h5.write_dataset("/occupancy/site_type_names", names, "1");
    h5.write_dataset("/empty/doubles", std::vector<double>{}, "s");
    h5.write_dataset("/empty/strings", std::vector<std::string>{}, "1");
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("a.h5"));
  EXPECT_EQ(h5.read_doubles("/msd/lag_s"), lags);
  EXPECT_EQ(h5.read_int64s("/events/total"), counts);
  EXPECT_EQ(h5.read_strings("/occupancy/site_type_names"), names);
  EXPECT_EQ(h5.read_doubles("/empty/doubles"), std::vector<double>{});
  EXPECT_EQ(h5.read_strings("/empty/strings"), std::vector<std::string>{});
  EXPECT_EQ(h5.shape("/msd/lag_s"), std::vector<std::size_t>{lags.size()});
  EXPECT_EQ(h5.shape("/empty/doubles"), std::vector<std::size_t>{0});
  EXPECT_EQ(h5.units("/msd/lag_s"), "s");
}

TEST_F(H5FileTest, TwoDimensionalArraysKeepRowMajorOrder) {
  RowMajorArray<double> msd{2, 3, {1, 2, 3, 4, 5, 6}};
  RowMajorArray<std::int64_t> events{3, 2, {10, 11, 20, 21, 30, 31}};
  Eigen::MatrixXd eigen(2, 3);  // column-major in memory; stored as [2, 3] with (r, c) preserved
  eigen << 1.5, 2.5, 3.5, 4.5, 5.5, 6.5;
  Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic> eigen_int(1, 2);
  eigen_int << -5, 5;
  {
    H5File h5 = H5File::create(file("m.h5"));
    h5.write_dataset("/t/msd", msd, "angstrom^2");
    h5.write_dataset("/t/events", events, "1");
    h5.write_dataset("/t/span", std::span<const double>(msd.values), 3, 2, "angstrom^2");
    h5.write_dataset("/t/eigen", eigen, "angstrom^2");
    h5.write_dataset("/t/eigen_int", eigen_int, "1");
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("m.h5"));
  EXPECT_EQ(h5.read_double_array("/t/msd"), msd);
  EXPECT_EQ(h5.read_int64_array("/t/events"), events);
  EXPECT_EQ(h5.shape("/t/events"), (std::vector<std::size_t>{3, 2}));
  const RowMajorArray<double> reshaped = h5.read_double_array("/t/span");
  EXPECT_EQ(reshaped.rows, 3u);
  EXPECT_EQ(reshaped.cols, 2u);
  EXPECT_EQ(reshaped(1, 0), 3.0);
  const RowMajorArray<double> from_eigen = h5.read_double_array("/t/eigen");
  ASSERT_EQ(from_eigen.rows, 2u);
  ASSERT_EQ(from_eigen.cols, 3u);
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 3; ++c) EXPECT_EQ(from_eigen(r, c), eigen(r, c)) << r << "," << c;
  }
  EXPECT_EQ(h5.read_int64_array("/t/eigen_int"), (RowMajorArray<std::int64_t>{1, 2, {-5, 5}}));
}

TEST_F(H5FileTest, LargeArraysAreCompressedAndExact) {
  // 200 x 1000 values with a small set of distinct values compress far below their raw 1.6 MB;
  // a contiguous (uncompressed) layout could not be smaller than the raw data.
  const std::size_t rows = 200, cols = 1000;
  RowMajorArray<double> big{rows, cols, std::vector<double>(rows * cols)};
  for (std::size_t i = 0; i < big.values.size(); ++i) big.values[i] = static_cast<double>(i % 7) * 0.25;
  std::vector<std::int64_t> ramp(50000);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::int64_t>(i / 100);
  {
    H5File h5 = H5File::create(file("big.h5"));
    h5.write_dataset("/big", big, "angstrom^2");
    h5.write_dataset("/ramp", ramp, "1");
    h5.close();
  }
  const std::uintmax_t raw_bytes = (big.values.size() + ramp.size()) * 8;
  EXPECT_LT(fs::file_size(file("big.h5")), raw_bytes / 10);
  const H5File h5 = H5File::open_read_only(file("big.h5"));
  EXPECT_EQ(h5.read_double_array("/big"), big);
  EXPECT_EQ(h5.read_int64s("/ramp"), ramp);
}

TEST_F(H5FileTest, AttributesOfEveryTypeRoundTripAndCanBeReplaced) {
  const std::vector<double> cov = {1.0, -0.5, -0.5, 2.0};
  {
    H5File h5 = H5File::create(file("attr.h5"));
    h5.set_attribute("/", "format", "ionhop-results");
    h5.set_attribute("/", "format_version", 1);
    h5.set_attribute("/", "seed", std::uint64_t{12345678901234ull});
    h5.set_attribute("/", "wall_time_s", 12.5);
    h5.create_group("/temperatures/T_000");
    h5.set_attribute("/temperatures/T_000", "temperature_K", 300.0);
    h5.write_dataset("/summary/temperature_K", std::vector<double>{300.0}, "K");
    h5.set_attribute("/summary/temperature_K", "note", std::string("ünïcode"));
    h5.set_attribute("/summary/temperature_K", "covariance", std::span<const double>(cov));
    h5.set_attribute("/", "wall_time_s", 99.0);  // replaced, not duplicated
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("attr.h5"));
  EXPECT_EQ(h5.read_string_attribute("/", "format"), "ionhop-results");
  EXPECT_EQ(h5.read_int64_attribute("/", "format_version"), 1);
  EXPECT_EQ(h5.read_int64_attribute("/", "seed"), 12345678901234);
  EXPECT_EQ(h5.read_double_attribute("/", "wall_time_s"), 99.0);
  EXPECT_EQ(h5.read_double_attribute("/temperatures/T_000", "temperature_K"), 300.0);
  EXPECT_EQ(h5.read_string_attribute("/summary/temperature_K", "note"), "ünïcode");
  EXPECT_EQ(h5.read_doubles_attribute("/summary/temperature_K", "covariance"), cov);
  EXPECT_TRUE(h5.has_attribute("/", "seed"));
  EXPECT_FALSE(h5.has_attribute("/", "missing"));
  EXPECT_EQ(h5.attribute_names("/"),
            (std::vector<std::string>{"format", "format_version", "seed", "wall_time_s"}));
  EXPECT_EQ(h5.attribute_names("/summary/temperature_K"),
            (std::vector<std::string>{"covariance", "note", "units"}));
}

TEST_F(H5FileTest, UnsignedSixtyFourBitValuesRoundTripAndRangeIsChecked) {
  constexpr std::uint64_t kBigSeed = std::numeric_limits<std::uint64_t>::max() - 5;
  {
    H5File h5 = H5File::create(file("u.h5"));
    h5.set_attribute_uint64("/", "seed", kBigSeed);
    h5.set_attribute_uint64("/", "small_seed", 7);
    h5.write_dataset_uint64("/big", kBigSeed, "1");
    h5.write_dataset("/negative", std::int64_t{-3}, "1");
    h5.write_dataset("/positive", std::int64_t{3}, "1");
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("u.h5"));
  EXPECT_EQ(h5.read_uint64_attribute("/", "seed"), kBigSeed);
  EXPECT_EQ(h5.read_uint64("/big"), kBigSeed);
  EXPECT_EQ(h5.read_int64_attribute("/", "small_seed"), 7);  // fits: converted exactly
  EXPECT_EQ(h5.read_uint64("/positive"), 3u);
  EXPECT_THROW((void)h5.read_int64_attribute("/", "seed"), H5Error);  // > INT64_MAX, never saturated
  EXPECT_THROW((void)h5.read_int64("/big"), H5Error);
  EXPECT_THROW((void)h5.read_uint64("/negative"), H5Error);
}

TEST_F(H5FileTest, NestedGroupsAreCreatedWithTheirParents) {
  H5File h5 = H5File::create(file("g.h5"));
  EXPECT_EQ(h5.kind("/temperatures"), H5ObjectKind::kMissing);
  h5.create_group("/temperatures/T_000/msd");
  EXPECT_TRUE(h5.is_group("/temperatures"));
  EXPECT_TRUE(h5.is_group("/temperatures/T_000"));
  EXPECT_TRUE(h5.is_group("temperatures/T_000/msd/"));  // leading/trailing slashes optional
  h5.create_group("/temperatures/T_000/msd");            // existing group: no-op
  h5.create_group("/temperatures/T_001");
  h5.write_dataset("/temperatures/T_002/events/total", std::vector<std::int64_t>{1, 2}, "1");
  EXPECT_TRUE(h5.is_group("/temperatures/T_002/events"));
  EXPECT_TRUE(h5.is_dataset("/temperatures/T_002/events/total"));
  EXPECT_EQ(h5.kind("/temperatures/T_002/events/total/below"), H5ObjectKind::kMissing);
  EXPECT_EQ(h5.kind("/nothing/here/at/all"), H5ObjectKind::kMissing);
  EXPECT_EQ(h5.children("/temperatures"), (std::vector<std::string>{"T_000", "T_001", "T_002"}));
  EXPECT_EQ(h5.children("/"), std::vector<std::string>{"temperatures"});
  EXPECT_THROW(h5.create_group("/temperatures/T_002/events/total"), H5Error);  // a dataset is there
  h5.remove("/temperatures/T_001");
  EXPECT_FALSE(h5.exists("/temperatures/T_001"));
}

TEST_F(H5FileTest, ReadingAMissingPathThrowsH5ErrorNamingThePath) {
  {
    H5File h5 = H5File::create(file("e.h5"));
    h5.write_dataset("/summary/temperature_K", std::vector<double>{300.0, 400.0}, "K");
    h5.close();
  }
  const H5File h5 = H5File::open_read_only(file("e.h5"));
  try {
    (void)h5.read_doubles("/summary/sigma_total_S_cm");
    FAIL() << "expected H5Error";
  } catch (const H5Error& error) {
    EXPECT_EQ(error.object_path(), "/summary/sigma_total_S_cm");
    EXPECT_EQ(error.file(), file("e.h5"));
    EXPECT_NE(std::string(error.what()).find("/summary/sigma_total_S_cm"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("e.h5"), std::string::npos) << error.what();
  }
  EXPECT_THROW((void)h5.read_double("/no/such/group/x"), H5Error);
  try {
    (void)h5.read_string_attribute("/summary/temperature_K", "label");
    FAIL() << "expected H5Error";
  } catch (const H5Error& error) {
    EXPECT_NE(std::string(error.what()).find("label"), std::string::npos) << error.what();
  }
  EXPECT_THROW((void)h5.children("/missing"), H5Error);
}

TEST_F(H5FileTest, TypeRankAndUsageErrorsAreReported) {
  H5File h5 = H5File::create(file("t.h5"));
  h5.write_dataset("/x", std::vector<double>{1.0, 2.0}, "s");
  h5.write_dataset("/n", std::int64_t{3}, "1");
  EXPECT_THROW((void)h5.read_int64s("/x"), H5Error);    // float stored, integer asked
  EXPECT_THROW((void)h5.read_double("/n"), H5Error);    // integer stored, float asked
  EXPECT_THROW((void)h5.read_double("/x"), H5Error);    // 1D stored, scalar asked
  EXPECT_THROW((void)h5.read_double_array("/x"), H5Error);  // 1D stored, 2D asked
  EXPECT_THROW((void)h5.read_strings("/x"), H5Error);   // not a string
  EXPECT_THROW(h5.write_dataset("/x", 1.0, "s"), H5Error);  // exists already
  EXPECT_THROW(h5.write_dataset("/y", 1.0, ""), H5Error);   // units are mandatory
  EXPECT_THROW(h5.write_dataset("/z", std::vector<double>{1, 2, 3}, 2, 2, "1"), H5Error);  // 3 != 2*2
  EXPECT_THROW(h5.write_dataset("/s", std::string_view("a\0b", 3), "1"), H5Error);
  EXPECT_THROW(h5.write_dataset("/u", std::numeric_limits<std::uint64_t>::max(), "1"), H5Error);
  EXPECT_THROW(h5.write_dataset("/a//b", 1.0, "1"), H5Error);
  EXPECT_THROW(h5.set_attribute("/missing", "a", 1.0), H5Error);
  EXPECT_FALSE(h5.exists("/y"));
  h5.close();
  EXPECT_FALSE(h5.is_open());
  EXPECT_THROW((void)h5.read_doubles("/x"), H5Error);  // closed
  h5.close();                                           // idempotent
}

TEST_F(H5FileTest, OpeningAMissingOrForeignFileThrows) {
  try {
    (void)H5File::open_read_only(file("absent.h5"));
    FAIL() << "expected H5Error";
  } catch (const H5Error& error) {
    EXPECT_NE(std::string(error.what()).find("absent.h5"), std::string::npos) << error.what();
  }
  {
    std::FILE* f = std::fopen(file("text.h5").c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("not an HDF5 file\n", f);
    std::fclose(f);
  }
  EXPECT_THROW((void)H5File::open_read_write(file("text.h5")), H5Error);
  EXPECT_THROW((void)H5File::create(dir_ / "no_such_dir" / "x.h5"), H5Error);
}

TEST_F(H5FileTest, ReadWriteReopenAppendsAndMoveTransfersOwnership) {
  {
    H5File h5 = H5File::create(file("rw.h5"));
    h5.write_dataset("/a", 1.0, "1");
  }  // destructor closes
  {
    H5File h5 = H5File::open_read_write(file("rw.h5"));
    h5.write_dataset("/b", 2.0, "1");
    H5File moved = std::move(h5);
    EXPECT_FALSE(h5.is_open());  // NOLINT(bugprone-use-after-move): documented moved-from state
    EXPECT_TRUE(moved.is_open());
    moved.flush();
    moved.close();
  }
  const H5File h5 = H5File::open_read_only(file("rw.h5"));
  EXPECT_EQ(h5.read_double("/a"), 1.0);
  EXPECT_EQ(h5.read_double("/b"), 2.0);
}

TEST_F(H5FileTest, ReadsFixedLengthStringsWrittenByOtherTools) {
  // Other writers (h5py with numpy 'S' arrays, h5dump-generated files) use fixed-length,
  // NUL-padded strings; read_strings must accept them too. Written here with the raw C API.
  {
    const hid_t f = H5Fcreate(file("fixed.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, 6);
    H5Tset_strpad(type, H5T_STR_NULLPAD);
    const hsize_t dims[1] = {3};
    const hid_t space = H5Screate_simple(1, dims, nullptr);
    const hid_t ds = H5Dcreate2(f, "names", type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const char data[18] = {'L', 'i', 0, 0, 0, 0, 'O', 'x', 'y', 'g', 'e', 'n', 'V', 'a', 'c', 0, 0, 0};
    ASSERT_GE(H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
    H5Dclose(ds);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(f);
  }
  const H5File h5 = H5File::open_read_only(file("fixed.h5"));
  EXPECT_EQ(h5.read_strings("/names"), (std::vector<std::string>{"Li", "Oxygen", "Vac"}));
}

}  // namespace
}  // namespace ionhop::app
