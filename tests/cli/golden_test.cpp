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
    {"agents.csv", "4d9b20e9cd22e1094047e419a56bafb056a9318e26c07ca263922cfdf6febc1a"},
    {"cohorts.csv", "d8e1921af7795fbf90f96f32b64b5f5159723386c0332e9d37239b8020979431"},
    {"flows.csv", "1da4a67d35702ea47e5d2742b180f0962d8e98fc0978957519618812d563a0ef"},
    {"market.csv", "2bb36577bd3a52652f4d85029fda1401232a433c0bb14a7a35a84375d686f2c0"},
    {"offers.csv", "2b0673322fb8d1b7b663497482778baa6b0eca609cc68b5d4a5088f496772f3b"},
    {"scenario.yaml", "5b4747815e8b6914930c923e0f053c8320177aad877b5e0338aad43303a3b9b4"},
    {"summary.json", "359fc95ee2388100a490881bab9d5d865b049dabe80476149a19a906ff965617"},
    {"timeseries.csv", "30c081d0c57129bb21f3e9264fddc5af36e546a7bd77607e1bb7248c84f484dd"},
  }},
  {"meta_2024-seed2", 0xcb59b24d8acf1585ULL, {
    {"agents.csv", "b2999a5dd227791c10882847b3a1e88ebabdca586e215d839cc18d6d0ea5b2dd"},
    {"cohorts.csv", "59606ba2844ce7eb48bbb1835604dabcad79f70f7c4ee149e0a502b682d391e7"},
    {"flows.csv", "65c8095c8ba6194e1856d81c75129176d8bee09b4702971eb5bdb75ede7cdab6"},
    {"market.csv", "e6aa1cf99583e05726e879ed4a6e40842f951abd48b036d69d0a26eb80120648"},
    {"offers.csv", "6c1cad87b36a1b692fff2c4140b11f753bee7c05e4c13137510634ee1255af9a"},
    {"scenario.yaml", "58854fe7b6fe52455c7696d71e1b6c0fcef05382a55c902eb81e5ab8477086e3"},
    {"summary.json", "a2a9866d418a69fedf80de68b750872bd034537b197e5d1f88a82d7ebe308b0b"},
    {"timeseries.csv", "bc30ce37add91a67db959cc1c49d27c1a0eab62ed5cc0bd2ae99131364e5ee22"},
  }},
  {"bench-100k", 0x3dad1d1c78633dddULL, {
    {"agents.csv", "465c8859298e1071823d6525a0cf9c8526f68d325cfdde422d850f7508830841"},
    {"cohorts.csv", "35da9255f342b01c8267dec0c7eb7ce12268736715355a247728d764ae2ab941"},
    {"flows.csv", "9ffab922919a99cfa6e4c0f8eee4d1bbb6920345504f3f5e5de96453b823c2ac"},
    {"market.csv", "4e5760e95ac60ba86bf9e36920b8ce6fb278c94dc22a07e599cffbdf84b535cb"},
    {"offers.csv", "e47faa7d41abc93405c6f0945ae4e8fea32a5404f758fc27338d02e48f60ae86"},
    {"scenario.yaml", "8a000b5661ef7f8ee337e53b5d2f97375db30dcade32c88d3105386c52822213"},
    {"summary.json", "74c65e5ae1251b0a4178c825d676f96feac4fd1b412ad546b7dd24b352d3f728"},
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
