// load_scenario_file: reading files, and errors that name the path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenario/scenario_test_util.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_test::file_error;
using scenario_test::has;
using scenario_test::kOneFirm;

namespace fs = std::filesystem;

/// A file under the test's temporary folder, removed when the test ends.
class ScenarioFileTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, std::string_view content) {
    const fs::path path = fs::path(::testing::TempDir()) / ("talentsim_" + name);
    std::ofstream(path, std::ios::binary) << content;
    written_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& path : written_) fs::remove(path);
  }

 private:
  std::vector<fs::path> written_;
};

TEST_F(ScenarioFileTest, LoadsAFileWithOverrides) {
  const fs::path path = write("good.yaml", std::string(kOneFirm) + "ticks: 10\n");
  const Scenario s = load_scenario_file(path, {"ticks=20"});
  EXPECT_EQ(s.ticks, 20);
  EXPECT_EQ(s.firms.at(0).id, "meta");
}

TEST_F(ScenarioFileTest, ErrorsNameThePath) {
  const fs::path path = write("bad.yaml", std::string(kOneFirm) + "ticks: -3\n");
  const auto e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.key_path(), "ticks");
}

TEST_F(ScenarioFileTest, MissingFile) {
  const fs::path path = fs::path(::testing::TempDir()) / "talentsim_no_such_file.yaml";
  const auto e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_TRUE(has(e.problem(), "cannot read file: "));
  EXPECT_TRUE(has(e.problem(), "No such file"));
}

TEST_F(ScenarioFileTest, Directory) {
  const auto e = file_error(fs::path(::testing::TempDir()));
  EXPECT_TRUE(has(e.problem(), "is a directory"));
}

TEST_F(ScenarioFileTest, EmptyFile) {
  const fs::path path = write("empty.yaml", "");
  const auto e = file_error(path);
  EXPECT_EQ(e.where().source, path.string());
  EXPECT_EQ(e.problem(), "the scenario is empty");
}

TEST_F(ScenarioFileTest, TooLargeFile) {
  std::string big(16u << 20, '#');
  big += "\n";
  const auto e = file_error(write("big.yaml", big));
  EXPECT_TRUE(has(e.problem(), "larger than 16 MiB"));
}

}  // namespace
}  // namespace talentsim
