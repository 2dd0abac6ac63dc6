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
  {"meta_2024-seed1", 0x4fb9322445fbf043ULL, {
    {"agents.csv", "3e64f0540faedd3804c4091ee1047bb714e5293dff5cec6a7a7e8f563b643a42"},
    {"cohorts.csv", "4205a5919eb2710319a95545b476a11186781945da4784646aeb1115fc5aec52"},
    {"flows.csv", "65e79772156937a7abc7aa02140c515f32a12862154094ba347e7cce1b8ad07e"},
    {"market.csv", "82b30ef09a00308855e09681013ffaf9833b7fc37956a6ebfd1b2abbecc26887"},
    {"offers.csv", "f96831010f14002e8c30064fbf96b2e1433bca5d2207c66a9d940404f309f2f2"},
    {"scenario.yaml", "d3054c4320cdd2fe5f7859def2526460dc86a55cbae6d2de48394db149fb680d"},
    {"summary.json", "7f4de93aa4611ee4157e2816838de8a2a41f8d1f841f6925142d766e52803045"},
    {"timeseries.csv", "e17564032462ac043c2077afbd0e8eedd2cc960deb80f1bc066c6146a7ae21aa"},
  }},
  {"meta_2024-seed2", 0xa671f00385a40b0cULL, {
    {"agents.csv", "dca122d3ff26a8d168b102e77a56da8e919009cd034449f91b9056483f493fab"},
    {"cohorts.csv", "ed7d034adf4e7ae353a6021ab0cfec8b8d233d86ebdbfe9750c1ccad540377c4"},
    {"flows.csv", "9f5812b22fef705ca08feb8c37087e5a1908723e98d336f1974c49fc1900c0b0"},
    {"market.csv", "b9a38385cc9ae9d058b87f5ec4a903ce54c780521bc448f250844713edef792d"},
    {"offers.csv", "96be358a08ae5200d6c5e429d28323c29e4e631cd974e4095931272f816164b6"},
    {"scenario.yaml", "52c952aaf5c723bcbd7142d1b048cfe5f5c196a19bc8c3e105e5a13be4b03971"},
    {"summary.json", "4fc8eb088d9c0958a878bb4c758bc64e8a96e5c40c4800cc11564fc9bfb9c803"},
    {"timeseries.csv", "679c8489dcdcb8b7e6a7dd2176f32d32cab0f7225adb906737ef775225635693"},
  }},
  {"bench-100k", 0x3dad1d1c78633dddULL, {
    {"agents.csv", "bbdf145e83aa93b96d6959f66f203ff7fd83b1f16329d446c64f88ba9e05b637"},
    {"cohorts.csv", "35da9255f342b01c8267dec0c7eb7ce12268736715355a247728d764ae2ab941"},
    {"flows.csv", "d6766b48e5ba1e6a9f704a7fc529526881d080dbcf466e8fd23e85395b39b70e"},
    {"market.csv", "4e5760e95ac60ba86bf9e36920b8ce6fb278c94dc22a07e599cffbdf84b535cb"},
    {"offers.csv", "e47faa7d41abc93405c6f0945ae4e8fea32a5404f758fc27338d02e48f60ae86"},
    {"scenario.yaml", "e46e57c525de265cc6918befe83fa55ebf33e76e7a04b7d28264e7ac73778ae6"},
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
