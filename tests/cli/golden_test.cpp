// Golden outputs: the final state hash and the SHA-256 of every file a run writes,
// pinned for the default scenario (two seeds, 104 weeks) and for the bench market
// (100,000 researchers; 1M is too slow for a unit test), each at 1 and 4 threads.
//
// A change that alters any of them on purpose updates the table below in the same
// commit and says why in its message. To print the current values in the table's
// format: TALENTSIM_PRINT_GOLDEN=1 build/ci/tests/cli_tests --gtest_filter='Golden*'
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "talentsim/perf/perf.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = TALENTSIM_BINARY;
const fs::path kSourceDir = TALENTSIM_SOURCE_DIR;

struct Golden {
  const char* name;
  std::uint64_t state_hash;
  std::map<std::string, std::string> sha256;  ///< file -> hex digest
};

// clang-format off
const std::vector<Golden> kGolden = {
  {"meta_2024-seed1", 0x2c16e4c1719a2939ULL, {
    {"agents.csv", "ba8361ba85fc09de6dc4c7a1d8b2ea65afb08b989f7257d463701fa00ed2ce20"},
    {"cohorts.csv", "d8e1921af7795fbf90f96f32b64b5f5159723386c0332e9d37239b8020979431"},
    {"flows.csv", "59d3ffd91f6733c22a6d21ef8e7e838acc77da73e8bc55961b7c8334ee0981a3"},
    {"market.csv", "2bb36577bd3a52652f4d85029fda1401232a433c0bb14a7a35a84375d686f2c0"},
    {"offers.csv", "2b0673322fb8d1b7b663497482778baa6b0eca609cc68b5d4a5088f496772f3b"},
    {"scenario.yaml", "912bb6a50a9b09759edf3eee2fc4281f04b177f2a4d54b2c1f060fd500f86072"},
    {"summary.json", "078546d996c2655bdfac6c9ef149a3ebc679e141daec380c7378006af750939a"},
    {"timeseries.csv", "30c081d0c57129bb21f3e9264fddc5af36e546a7bd77607e1bb7248c84f484dd"},
  }},
  {"meta_2024-seed2", 0xcb59b24d8acf1585ULL, {
    {"agents.csv", "436942834aaa8656ad38b9f1533052db8cc878d79b9102c8cc99aa3e5100aa3e"},
    {"cohorts.csv", "59606ba2844ce7eb48bbb1835604dabcad79f70f7c4ee149e0a502b682d391e7"},
    {"flows.csv", "9bc24fc23765272257e86e39759a9af1cfadd47a6b98a3da996195c3b65ed23c"},
    {"market.csv", "e6aa1cf99583e05726e879ed4a6e40842f951abd48b036d69d0a26eb80120648"},
    {"offers.csv", "6c1cad87b36a1b692fff2c4140b11f753bee7c05e4c13137510634ee1255af9a"},
    {"scenario.yaml", "9e400ceee43b7f07c4c40a2021d359e707574654847a024a4101b879fb374511"},
    {"summary.json", "5b9e0bc150da79c6a888a21ae3183803b854cb9dc2a805545f92f55a6ca656fc"},
    {"timeseries.csv", "bc30ce37add91a67db959cc1c49d27c1a0eab62ed5cc0bd2ae99131364e5ee22"},
  }},
  {"bench-100k", 0x3dad1d1c78633dddULL, {
    {"agents.csv", "bbdf145e83aa93b96d6959f66f203ff7fd83b1f16329d446c64f88ba9e05b637"},
    {"cohorts.csv", "35da9255f342b01c8267dec0c7eb7ce12268736715355a247728d764ae2ab941"},
    {"flows.csv", "d6766b48e5ba1e6a9f704a7fc529526881d080dbcf466e8fd23e85395b39b70e"},
    {"market.csv", "4e5760e95ac60ba86bf9e36920b8ce6fb278c94dc22a07e599cffbdf84b535cb"},
    {"offers.csv", "e47faa7d41abc93405c6f0945ae4e8fea32a5404f758fc27338d02e48f60ae86"},
    {"scenario.yaml", "858ff7e2152c3b67997ea86dd805e8bbf02bbc606343f12be05b582cb6cb1b7d"},
    {"summary.json", "7624e2efd6359117ca51b98d977c693eec532974f267c7dfdf5424ad40b86de6"},
    {"timeseries.csv", "b348a5ae2300e788bdc0fa367893d05de25003009dee7eb1fa866755dabeae90"},
  }},
};
// clang-format on

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

/// Runs a shell command; returns its stdout. Fails the test on a non-zero exit.
std::string run_command(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run: " << command;
    return out;
  }
  std::array<char, 4096> buf{};
  std::size_t got = 0;
  while ((got = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), got);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << command << "\n" << out;
  return out;
}

std::string sha256_of(const fs::path& file) {
  const std::string out = run_command("sha256sum " + shell_quote(file.string()));
  return out.substr(0, out.find(' '));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Result {
  std::uint64_t state_hash = 0;
  std::map<std::string, std::string> sha256;
};

/// Runs `talentsim run SCENARIO --threads N --agents` into a fresh folder and hashes
/// every file it left; summary.json without its machine-dependent `run` block.
Result run_and_hash(const fs::path& scenario, const std::string& extra, int threads,
                    const fs::path& out) {
  fs::remove_all(out);
  run_command(shell_quote(kBinary) + " run " + shell_quote(scenario.string()) + " " + extra +
              " --agents --quiet --threads " + std::to_string(threads) + " --out " +
              shell_quote(out.string()) + " 2>&1");
  Result r;
  for (const auto& entry : fs::directory_iterator(out)) {
    const std::string name = entry.path().filename().string();
    if (name == "summary.json") {
      json summary = json::parse(read_file(entry.path()));
      r.state_hash = std::stoull(summary.at("state_hash").get<std::string>(), nullptr, 16);
      summary.erase("run");
      const fs::path stripped = out.parent_path() / (out.filename().string() + "-summary.json");
      std::ofstream(stripped, std::ios::binary) << summary.dump(1);
      r.sha256[name] = sha256_of(stripped);
    } else {
      r.sha256[name] = sha256_of(entry.path());
    }
  }
  return r;
}

class GoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("talentsim-golden-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Runs the case at 1 and 4 threads: both must equal the pinned values.
  void check(const std::string& name, const fs::path& scenario, const std::string& extra) {
    const Golden* golden = nullptr;
    for (const Golden& g : kGolden)
      if (name == g.name) golden = &g;
    ASSERT_NE(golden, nullptr);
    for (const int threads : {1, 4}) {
      const Result r =
          run_and_hash(scenario, extra, threads, dir_ / ("t" + std::to_string(threads)));
      if (std::getenv("TALENTSIM_PRINT_GOLDEN") != nullptr) {
        std::ostringstream s;
        s << "  {\"" << name << "\", 0x" << std::hex << r.state_hash << std::dec << "ULL, {\n";
        for (const auto& [file, digest] : r.sha256)
          s << "    {\"" << file << "\", \"" << digest << "\"},\n";
        s << "  }},\n";
        std::cout << "threads " << threads << ":\n" << s.str();
      }
      EXPECT_EQ(r.state_hash, golden->state_hash)
          << name << " at " << threads << " threads: state hash 0x" << std::hex << r.state_hash;
      EXPECT_EQ(r.sha256, golden->sha256) << name << " at " << threads << " threads";
    }
  }

  fs::path dir_;
};

TEST_F(GoldenTest, DefaultScenarioSeed1) {
  check("meta_2024-seed1", kSourceDir / "scenarios/meta_2024.yaml", "--seed 1 --ticks 104");
}

TEST_F(GoldenTest, DefaultScenarioSeed2) {
  check("meta_2024-seed2", kSourceDir / "scenarios/meta_2024.yaml", "--seed 2 --ticks 104");
}

TEST_F(GoldenTest, BenchMarket100k) {
  const fs::path scenario = dir_ / "bench.yaml";
  std::ofstream(scenario) << talentsim::to_yaml(talentsim::perf::synthetic_market(100000, 12, 52));
  check("bench-100k", scenario, "");
}

}  // namespace
