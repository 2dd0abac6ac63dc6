// `talentsim calibrate` end to end, on the real binary (TALENTSIM_BINARY).
//
// The recovery test is the issue's validation: a small market the repository does not
// ship, targets made from its own known parameter values (the mean of each metric over
// the R replicate seeds the command uses, so with common random numbers the objective is
// 0 at the truth), three keys searched from boxes whose centres are away from the truth,
// and every fitted value must come back within 5%.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "talentsim/core/text.hpp"
#include "talentsim/scenario/scenario.hpp"
#include "talentsim/study/metric.hpp"
#include "talentsim/study/replicates.hpp"

namespace talentsim {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = TALENTSIM_BINARY;

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (const char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class CliCalibrate : public testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() / ("talentsim-calibrate-cli-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  /// Runs the binary in the test's folder.
  Result run(const std::vector<std::string>& args) const {
    std::string command = "cd " + quoted(dir_.string()) + " && " + quoted(kBinary);
    for (const auto& a : args) command += " " + quoted(a);
    command += " >" + quoted((dir_ / "stdout.txt").string()) + " 2>" +
               quoted((dir_ / "stderr.txt").string()) + " </dev/null";
    const int status = std::system(command.c_str());
    Result r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(dir_ / "stdout.txt");
    r.err = slurp(dir_ / "stderr.txt");
    return r;
  }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }

  fs::path dir_;
};

// The market: three firms, 4,000 researchers, one year. Its true values are those below;
// calibrate searches pay.median of alpha, alpha's workload and the employed offer rate.
const std::string kMarket = R"(name: recovery
seed: 8128
ticks: 52
population: {researchers: 4000, between_jobs_share: 0.04, team_size: 6}
choice: {noise: 0.2}
market: {separation_rate: 0.05, offer_rate_employed: 1.5, offer_rate_between_jobs: 6}
startups: {founding_rate: 0.05}
firms:
  - id: alpha
    headcount_share: 0.5
    pay: {median: 350000}
    workload: 0.7
  - id: beta
    headcount_share: 0.3
    pay: {median: 300000}
    workload: 0.5
  - id: gamma
    headcount_share: 0.2
    pay: {median: 250000}
    workload: 0.4
)";

const std::vector<std::string> kMetrics{
    "mean_salary(alpha, week=52)",          "mean_burnout(alpha, week=52)",
    "sum(offers(market), weeks=1..52)",     "attrition(alpha, weeks=1..52)",
    "headcount_growth(alpha, weeks=0..52)",
};
constexpr std::size_t kReplicates = 6;

struct Truth {
  const char* key;
  double value;
  const char* box;  ///< LO:HI, its centre away from the truth
};
const std::vector<Truth> kTruth{
    {"firms.alpha.pay.median", 350000, "250000:420000"},
    {"firms.alpha.workload", 0.7, "0.3:0.9"},
    {"market.offer_rate_employed", 1.5, "0.6:2.2"},
};

/// The market with targets: each metric's mean over the replicates at the truth.
std::string market_with_targets() {
  const Scenario truth = load_scenario(kMarket, "recovery.yaml");
  std::vector<Metric> metrics;
  for (const auto& m : kMetrics) metrics.push_back(parse_metric(m));
  const auto values = simulate_metrics(truth, metrics, replicate_seeds(truth.seed, kReplicates), 2);
  std::string yaml = kMarket + "targets:\n";
  for (std::size_t k = 0; k < metrics.size(); ++k) {
    double mean = 0.0;
    for (const auto& row : values) mean += row[k] / static_cast<double>(values.size());
    yaml += "  - {metric: \"" + kMetrics[k] + "\", value: " + format_double(mean) +
            ", tolerance: {relative: 0.05}, source: \"the truth\"}\n";
  }
  return yaml;
}

double value_at(const Scenario& s, const std::string& key) {
  if (key == "firms.alpha.pay.median") return s.firms.at(0).pay.median;
  if (key == "firms.alpha.workload") return s.firms.at(0).workload;
  if (key == "market.offer_rate_employed") return s.market.offer_rate_employed;
  ADD_FAILURE() << key;
  return 0.0;
}

TEST_F(CliCalibrate, RecoversMovedParametersWithinFivePercent) {
  write("market.yaml", market_with_targets());
  std::vector<std::string> args{
      "calibrate", "market.yaml", "--replicates", std::to_string(kReplicates),
      "--budget",  "45",          "--jobs",       "2",
      "--out",     "fitted.yaml"};
  for (const auto& t : kTruth) {
    args.emplace_back("--free");
    args.push_back(std::string(t.key) + "=" + t.box);
  }
  const Result r = run(args);
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const Scenario fitted = load_scenario_file(dir_ / "fitted.yaml");
  for (const auto& t : kTruth)
    EXPECT_NEAR(value_at(fitted, t.key), t.value, 0.05 * t.value) << t.key << "\n" << r.out;
  // The output: standard errors labelled asymptotic, the fit table, identification.
  EXPECT_NE(r.out.find("asymptotic SE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rank 3 of 3"), std::string::npos) << r.out;
  for (const auto& m : kMetrics) EXPECT_NE(r.out.find(m), std::string::npos) << m;
  // The file: a comment block with the command, then extends: the original.
  const std::string text = slurp(dir_ / "fitted.yaml");
  EXPECT_EQ(text.rfind("# Calibrated by talentsim", 0), 0U) << text;
  EXPECT_NE(text.find("\nextends: market.yaml\n"), std::string::npos) << text;
  EXPECT_NE(text.find("--free firms.alpha.workload=0.3:0.9"), std::string::npos) << text;
  // Progress went to stderr, one line per batch (stderr is not a terminal here).
  EXPECT_NE(r.err.find("calibrate: polish"), std::string::npos) << r.err;

  // --resume replays the checkpoint: nothing runs again, and the same scenario comes out.
  const auto checkpoint = nlohmann::json::parse(slurp(dir_ / "fitted.yaml.checkpoint.json"));
  const std::size_t evaluations = checkpoint.at("evaluations").size();
  fs::rename(dir_ / "fitted.yaml", dir_ / "first.yaml");
  args.emplace_back("--resume");
  const Result again = run(args);
  ASSERT_EQ(again.code, 0) << again.err;
  // The same estimate, fit and scenario; only the header's command line and its count of
  // evaluations taken from the checkpoint differ.
  const auto from_objective = [&](const std::string& name) {
    const std::string file = slurp(dir_ / name);
    return file.substr(file.find("# Objective"));
  };
  EXPECT_EQ(from_objective("fitted.yaml"), from_objective("first.yaml"));
  EXPECT_NE(again.out.find(std::to_string(evaluations) + " from the checkpoint"), std::string::npos)
      << again.out;
}

TEST_F(CliCalibrate, BadInputExitsTwoAndNamesTheProblem) {
  write("market.yaml", market_with_targets());
  write("no_targets.yaml", kMarket);
  const auto expect_bad = [&](const std::vector<std::string>& args, const std::string& words) {
    const Result r = run(args);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_FALSE(fs::exists(dir_ / "recovery-calibrated.yaml"));
  };
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.pay.medain=1:2"},
             "firms.alpha.pay.medain");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.omega.workload=0.1:0.9"}, "omega");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.9:0.3"},
             "must be below");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.5:7"}, "at 7");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.workload"}, "KEY=LO:HI");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.3:0.9", "--free",
              "firms.alpha.workload=0.4:0.8"},
             "given twice");
  expect_bad({"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.3:0.9", "--set",
              "firms.alpha.workload=0.5"},
             "either fixed or free");
  expect_bad({"calibrate", "no_targets.yaml", "--free", "firms.alpha.workload=0.3:0.9"},
             "no targets");
  expect_bad(
      {"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.3:0.9", "--weights", "best"},
      "--weights");
  expect_bad(
      {"calibrate", "market.yaml", "--free", "firms.alpha.workload=0.3:0.9", "--budget", "4"},
      "too small");
  expect_bad({"calibrate", "market.yaml", "--free", "seed=1:9"}, "not a parameter");
  expect_bad({"calibrate", "missing.yaml", "--free", "firms.alpha.workload=0.3:0.9"},
             "missing.yaml");
  expect_bad({"calibrate", "market.yaml"}, "--free");
}

// A checkpoint of another calibration is refused with --resume.
TEST_F(CliCalibrate, ResumeRefusesACheckpointOfAnotherCalibration) {
  write("market.yaml", market_with_targets());
  const std::vector<std::string> base{
      "calibrate", "market.yaml", "--replicates", "2",      "--budget",
      "15",        "--out",       "a.yaml",       "--free", "firms.alpha.workload=0.3:0.9",
      "--quiet"};
  ASSERT_EQ(run(base).code, 0);
  std::vector<std::string> other = base;
  other[3] = "3";  // --replicates
  other.emplace_back("--resume");
  const Result r = run(other);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("another calibration"), std::string::npos) << r.err;
}

// Replicates run --jobs at once; the result does not depend on it.
TEST_F(CliCalibrate, JobsDoNotChangeTheResult) {
  write("market.yaml", market_with_targets());
  std::vector<std::string> args{
      "calibrate", "market.yaml", "--replicates", "3",
      "--budget",  "12",          "--free",       "market.offer_rate_employed=0.6:2.2",
      "--quiet"};
  for (const char* jobs : {"1", "2"}) {
    auto with = args;
    with.insert(with.end(), {"--jobs", jobs, "--out", std::string("jobs") + jobs + ".yaml"});
    const Result r = run(with);
    ASSERT_EQ(r.code, 0) << r.err;
  }
  // The files differ only in the command line of their header.
  const auto body = [&](const std::string& name) {
    std::string text = slurp(dir_ / name);
    return text.substr(text.find("\n#\n"));
  };
  EXPECT_EQ(body("jobs1.yaml"), body("jobs2.yaml"));
  EXPECT_TRUE(fs::exists(dir_ / "jobs1.yaml.checkpoint.json"));
}

}  // namespace
}  // namespace talentsim
