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
  {"meta_2024-seed1", 0x7b9839812820d2d0ULL, {
    {"agents.csv", "475adc17abce42125121355da309193a418bba1f184545223f25366d034de9e5"},
    {"cohorts.csv", "6f4542599a215ebc4d509bb1bb306bce8418dde84883b7d9d9ed41dd08aaffa1"},
    {"flows.csv", "c08b85dd9310c37055ed1c4f8beb4f901f374b93e6631edacd056a8941584cb2"},
    {"market.csv", "f82bcafd5972f4b2140b14e730d173d4204ecd83b9b2493ab1badc285fde6b8f"},
    {"offers.csv", "c66327dc0f8f6eff411eae02857d0132b1102beadf4b0beb0da2137db4f2b9e7"},
    {"scenario.yaml", "f89ed810bf33e88c2e0760f303ca263a1119a124787990dd90c5bb9a89ce9140"},
    {"summary.json", "d04382f6a2eef156eec175d5f322fa13bff4ed4ae8bd8d887fb83f8f1340dd3d"},
    {"timeseries.csv", "318ec0c7c0a1f2acf860203ff53ff63bd3895903a95b1ea9880cd3b346385ba2"},
  }},
  {"meta_2024-seed2", 0xf7cb012cb5c1bf8cULL, {
    {"agents.csv", "fe38060e436cc50d4aa2454439f2684eaa2d386d642530a04db698d7d675e705"},
    {"cohorts.csv", "1fa76d25e3e996dc47dfa9afc231741b592abd964e1c2ae221ca9cbe469c1346"},
    {"flows.csv", "8f1bb8d1c9e07d1f4ae2ecc890dc1e2ec0bd394459a321425f761207c5979967"},
    {"market.csv", "0b8f4aae5f6e27e5398603cef7ca1c6cc54bc56bb40506d9be6c08243240f5a3"},
    {"offers.csv", "53f6ea0f31fbc1880313cf33429573b35b9094336eb978fb548498affd8ef2ad"},
    {"scenario.yaml", "7e683af41e33a4e1e4864a6e115bcd40da099c9496a6c32a5d14bf27e0798a01"},
    {"summary.json", "02e4c08d2da5119affe979c3d9cf5d71f818103a5472a61c22fa84b626ad1f86"},
    {"timeseries.csv", "4a8261fda42e7ec5a80faed308acfd1b53b71fbd808aafdd462ce20f1a816222"},
  }},
  {"bench-100k", 0x3dad1d1c78633dddULL, {
    {"agents.csv", "bbdf145e83aa93b96d6959f66f203ff7fd83b1f16329d446c64f88ba9e05b637"},
    {"cohorts.csv", "35da9255f342b01c8267dec0c7eb7ce12268736715355a247728d764ae2ab941"},
    {"flows.csv", "d6766b48e5ba1e6a9f704a7fc529526881d080dbcf466e8fd23e85395b39b70e"},
    {"market.csv", "4e5760e95ac60ba86bf9e36920b8ce6fb278c94dc22a07e599cffbdf84b535cb"},
    {"offers.csv", "e47faa7d41abc93405c6f0945ae4e8fea32a5404f758fc27338d02e48f60ae86"},
    {"scenario.yaml", "765c70bde6c2893158e81ffb94a6ef9d699eb8b8a2222a3feaef6de238e42f0b"},
    {"summary.json", "7624e2efd6359117ca51b98d977c693eec532974f267c7dfdf5424ad40b86de6"},
    {"timeseries.csv", "7037f4fcf884606a962a17313f0a0dc9e09884b812652e9a40a2d0aff1927a73"},
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
