// End-to-end tests of the `talentsim` command line: every test runs the real binary
// (TALENTSIM_BINARY) in a fresh temporary folder, with stdout and stderr captured
// separately, and checks exit codes, messages and the files a run leaves behind
// against the command-line contract:
//
//   talentsim run [SCENARIO.yaml | default] [--out DIR] [--force] [--seed N] [--threads N]
//                 [--ticks N] [--set KEY=VALUE]... [--agents] [--quiet]
//   talentsim validate SCENARIO.yaml | default [--seed N] [--ticks N] [--set KEY=VALUE]...
//
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "talentsim/scenario/scenario.hpp"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string kBinary = TALENTSIM_BINARY;
const fs::path kSourceDir = TALENTSIM_SOURCE_DIR;

// The seven files every finished run leaves, and the one --agents adds.
const std::vector<std::string> kRunFiles{"cohorts.csv",   "flows.csv",     "market.csv",
                                         "offers.csv",    "scenario.yaml", "summary.json",
                                         "timeseries.csv"};
const std::vector<std::string> kRunFilesWithAgents{"agents.csv",   "cohorts.csv",   "flows.csv",
                                                   "market.csv",   "offers.csv",    "scenario.yaml",
                                                   "summary.json", "timeseries.csv"};

// Header prefixes pinned by the contract (extra columns may follow).
constexpr const char* kTimeseriesHeader =
    "tick,firm,headcount,top_headcount,published_headcount,mean_salary,median_salary,hires,"
    "departures,departures_to_startup,departures_to_independent,counteroffers,"
    "counteroffers_won,reactive_raises,mean_burnout,mean_faith";
constexpr const char* kMarketHeader =
    "tick,employed,between_jobs,startups_alive,startups_founded,startups_failed,top_talent_hhi";
constexpr const char* kFlowsHeader = "from,to,count";
constexpr const char* kOffersHeader = "tick,firm,offers,accepted,countered,median_offer,mean_offer";
constexpr const char* kCohortsHeader = "firm,group,kind,week,size,at_26,at_52,at_104";
constexpr const char* kAgentsHeader =
    "id,initial_firm,firm,salary,skill,top,published,burnout,faith,tenure_weeks,moves";

// A small valid scenario: two firms and one event. Bad-input cases edit single lines of
// it, so the line numbers below are referred to by the expected messages.
const std::string kTwoFirms =
    "# Two firms, small enough for a CLI test to run in milliseconds.\n"  // 1
    "name: two_firms\n"                                                   // 2
    "description: \"CLI test scenario\"\n"                                // 3
    "seed: 7\n"                                                           // 4
    "ticks: 8\n"                                                          // 5
    "population:\n"                                                       // 6
    "  researchers: 2000\n"                                               // 7
    "market:\n"                                                           // 8
    "  offer_rate_employed: 1.5\n"                                        // 9
    "  separation_rate: 0.05\n"                                           // 10
    "startups:\n"                                                         // 11
    "  founding_rate: 0.5\n"                                              // 12
    "firms:\n"                                                            // 13
    "  - id: alpha\n"                                                     // 14
    "    headcount_share: 0.6\n"                                          // 15
    "    pay: {median: 400000}\n"                                         // 16
    "    retention: {counter_offers: top, probability: 0.5}\n"            // 17
    "  - id: beta\n"                                                      // 18
    "    headcount_share: 0.4\n"                                          // 19
    "    pay:\n"                                                          // 20
    "      median: 300000\n"                                              // 21
    "events:\n"                                                           // 22
    "  - type: pay_change\n"                                              // 23
    "    week: 3\n"                                                       // 24
    "    firm: beta\n"                                                    // 25
    "    change: 0.1\n";                                                  // 26

/// kTwoFirms with some lines (1-based) replaced; a replacement may hold several lines,
/// or none (the line becomes blank, which YAML ignores).
std::string edited(std::vector<std::pair<int, std::string>> edits, const std::string& extra = {}) {
  std::istringstream in(kTwoFirms);
  std::string out, line;
  for (int n = 1; std::getline(in, line); ++n) {
    const auto it =
        std::find_if(edits.begin(), edits.end(), [n](const auto& e) { return e.first == n; });
    out += (it == edits.end() ? line : it->second) + "\n";
  }
  return out + extra;
}

/// `edits` plus blank lines from `first` to `last`.
std::vector<std::pair<int, std::string>> blanking(std::vector<std::pair<int, std::string>> edits,
                                                  int first, int last) {
  for (int n = first; n <= last; ++n) edits.emplace_back(n, "");
  return edits;
}

/// kTwoFirms with an event of every type in place of its single pay change.
std::string with_every_event_type() {
  return edited(
      blanking({{23,
                 "  - {type: pay_change, week: 3, firm: beta, change: 0.1}\n"
                 "  - {type: campaign, week: 1, firm: beta, target: alpha, weeks: 4}\n"
                 "  - {type: workload, week: 2, firm: alpha, workload: 0.9}\n"
                 "  - type: policy\n"
                 "    week: 2\n"
                 "    firm: alpha\n"
                 "    set: {hiring.interview_free: true, retention: {counter_offers: all}}\n"
                 "  - type: market\n"
                 "    week: 4\n"
                 "    set: {market.offer_rate_employed: 2, startups.funding_climate: -1}"}},
               24, 26));
}

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

struct Result {
  int exit_code = -1;     ///< the exit status, or 128 + signal when killed by one
  bool signaled = false;  ///< killed by a signal rather than exiting
  std::string out;        ///< stdout
  std::string err;        ///< stderr (empty when stderr went to a terminal)
  std::string tty;        ///< what was written to the terminal given as stderr
};

std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.exit_code << (r.signaled ? " (signal)" : "") << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n"
            << r.err << "--------------\n";
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spit(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

/// One child process running the binary: stdin from /dev/null, stdout and stderr into
/// files, or stderr onto a terminal (the slave side of a pseudo-terminal).
class Process {
 public:
  Process(const std::vector<std::string>& args, const fs::path& cwd, const fs::path& io_prefix,
          int terminal_master = -1)
      : out_path_(io_prefix.string() + ".stdout"),
        err_path_(io_prefix.string() + ".stderr"),
        terminal_(terminal_master) {
    std::vector<std::string> strings{kBinary};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::string err_target = err_path_;
    if (terminal_ >= 0) {
      char name[256];
      if (::ptsname_r(terminal_, name, sizeof name) != 0)
        throw std::runtime_error("ptsname_r failed");
      err_target = name;
    }
    const std::string dir = cwd.string();
    const bool to_terminal = terminal_ >= 0;

    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid_ == 0) {
      // The child: async-signal-safe calls only, until exec.
      const int in = ::open("/dev/null", O_RDONLY);
      const int out = ::open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = to_terminal ? ::open(err_target.c_str(), O_WRONLY | O_NOCTTY)
                                  : ::open(err_target.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || out < 0 || err < 0) ::_exit(126);
      if (::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
          ::dup2(err, STDERR_FILENO) < 0)
        ::_exit(126);
      if (::chdir(dir.c_str()) != 0) ::_exit(126);
      // A test runner started in the background may ignore SIGINT; the binary must get
      // it as a user at a terminal would.
      struct sigaction dfl {};
      dfl.sa_handler = SIG_DFL;
      ::sigaction(SIGINT, &dfl, nullptr);
      sigset_t none;
      ::sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  [[nodiscard]] pid_t pid() const { return pid_; }

  /// True once the child has exited (reaps it).
  bool exited() {
    if (reaped_) return true;
    const pid_t r = ::waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) reaped_ = true;
    return reaped_;
  }

  /// Waits for the child (killing it after `timeout`) and collects what it wrote.
  Result wait(std::chrono::milliseconds timeout = 120s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    Result r;
    bool timed_out = false;
    while (!exited()) {
      drain_terminal(r.tty, 5);
      if (terminal_ < 0) std::this_thread::sleep_for(1ms);
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
        reaped_ = true;
        timed_out = true;
      }
    }
    drain_terminal(r.tty, 0);
    if (WIFEXITED(status_)) {
      r.exit_code = WEXITSTATUS(status_);
    } else if (WIFSIGNALED(status_)) {
      r.signaled = true;
      r.exit_code = 128 + WTERMSIG(status_);
    }
    r.out = slurp(out_path_);
    if (terminal_ < 0) r.err = slurp(err_path_);
    if (timed_out) ADD_FAILURE() << "talentsim did not finish in " << timeout.count() << " ms";
    if (r.exit_code == 126 || r.exit_code == 127)
      ADD_FAILURE() << "could not start " << kBinary << " (exit " << r.exit_code << ")";
    return r;
  }

 private:
  void drain_terminal(std::string& into, int wait_ms) const {
    if (terminal_ < 0) return;
    for (;;) {
      pollfd p{terminal_, POLLIN, 0};
      if (::poll(&p, 1, wait_ms) <= 0 || (p.revents & POLLIN) == 0) return;
      char buf[4096];
      const ssize_t n = ::read(terminal_, buf, sizeof buf);
      if (n <= 0) return;  // EIO once no process holds the terminal open
      into.append(buf, static_cast<std::size_t>(n));
      wait_ms = 0;
    }
  }

  std::string out_path_;
  std::string err_path_;
  int terminal_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

// ---------------------------------------------------------------------------
// Reading outputs
// ---------------------------------------------------------------------------

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!text.empty() && text.back() == sep && sep != '\n') parts.emplace_back();
  return parts;
}

std::vector<std::string> lines_of(const std::string& text) { return split(text, '\n'); }

/// A CSV file as a header and rows of fields (the outputs never quote fields).
struct Csv {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  std::string header;

  [[nodiscard]] std::size_t col(const std::string& name) const {
    const auto it = std::find(columns.begin(), columns.end(), name);
    if (it == columns.end()) throw std::runtime_error("no column " + name);
    return static_cast<std::size_t>(it - columns.begin());
  }
  [[nodiscard]] std::int64_t integer(std::size_t row, const std::string& name) const {
    return std::stoll(rows.at(row).at(col(name)));
  }
  [[nodiscard]] const std::string& text(std::size_t row, const std::string& name) const {
    return rows.at(row).at(col(name));
  }
};

Csv read_csv(const fs::path& path) {
  const std::string text = slurp(path);
  Csv csv;
  const auto lines = lines_of(text);
  if (lines.empty()) return csv;
  csv.header = lines.front();
  csv.columns = split(lines.front(), ',');
  for (std::size_t i = 1; i < lines.size(); ++i) csv.rows.push_back(split(lines[i], ','));
  return csv;
}

/// Names in a folder, sorted; empty when it does not exist.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// summary.json without the machine-dependent `run` object.
json summary_without_run(const fs::path& dir) {
  json j = json::parse(slurp(dir / "summary.json"));
  j.erase("run");
  return j;
}

/// The reporting groups of a run: its firm ids in order, then "startups".
std::vector<std::string> groups_of(const fs::path& dir) {
  const YAML::Node scenario = YAML::LoadFile((dir / "scenario.yaml").string());
  std::vector<std::string> groups;
  for (const auto& firm : scenario["firms"]) groups.push_back(firm["id"].as<std::string>());
  groups.emplace_back("startups");
  return groups;
}

/// Where two texts first differ, for a readable failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  const auto la = lines_of(a), lb = lines_of(b);
  for (std::size_t i = 0; i < std::max(la.size(), lb.size()); ++i) {
    const std::string x = i < la.size() ? la[i] : "<end of file>";
    const std::string y = i < lb.size() ? lb[i] : "<end of file>";
    if (x != y) return "first at line " + std::to_string(i + 1) + ":\n  " + x + "\n  " + y;
  }
  return "they differ only in the last newline";
}

/// Every output file of two runs is byte-identical, summary.json apart from `run`.
void expect_same_outputs(const fs::path& a, const fs::path& b) {
  const auto files = entries(a);
  EXPECT_EQ(files, entries(b));
  for (const auto& f : files) {
    if (f == "summary.json") {
      const json ja = summary_without_run(a), jb = summary_without_run(b);
      EXPECT_TRUE(ja == jb) << "summary.json differs (outside run): " << json::diff(ja, jb).dump();
    } else {
      const std::string ta = slurp(a / f), tb = slurp(b / f);
      EXPECT_TRUE(ta == tb) << f << " differs between " << a << " and " << b << ", "
                            << first_difference(ta, tb);
    }
  }
}

bool has_temporary_files(const fs::path& dir) {
  for (const auto& name : entries(dir))
    if (name.find(".tmp") != std::string::npos) return true;
  return false;
}

/// Whether this machine has so much memory that 4e9 researchers would fit.
bool memory_fits_four_billion_researchers() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page <= 0) return false;
  // 64 bytes per researcher, at most 80% of physical memory (sim/scenario/rules.hpp).
  return 0.8 * static_cast<double>(pages) * static_cast<double>(page) >= 4e9 * 64.0;
}

// ---------------------------------------------------------------------------
// Fixture: a fresh temporary folder per test; the binary runs in work/
// ---------------------------------------------------------------------------

class CliTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(testing::TempDir()) / "talentsim-cli-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) FAIL() << "mkdtemp failed: " << std::strerror(errno);
    root_ = pattern;
    work_ = root_ / "work";
    fs::create_directories(work_);
    fs::create_directories(root_ / "io");
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cerr << "[ kept     ] " << root_.string() << "\n";
      return;
    }
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  /// Runs the binary in work/ and waits for it.
  Result cli(const std::vector<std::string>& args, std::chrono::milliseconds timeout = 120s) {
    return start(args)->wait(timeout);
  }

  std::unique_ptr<Process> start(const std::vector<std::string>& args, int terminal = -1) {
    return std::make_unique<Process>(args, work_,
                                     root_ / "io" / ("call" + std::to_string(++calls_)), terminal);
  }

  /// Writes a file into work/ and returns its name relative to work/.
  std::string write(const std::string& name, const std::string& text) {
    spit(work_ / name, text);
    return name;
  }

  [[nodiscard]] fs::path at(const std::string& relative) const { return work_ / relative; }

  /// A finished run: exit 0, nothing on stderr, exactly the expected files, no temporaries.
  void expect_finished(const Result& r, const std::string& dir, bool agents = false) {
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.err, "") << "stderr must be empty on success when it is not a terminal";
    EXPECT_EQ(entries(at(dir)), agents ? kRunFilesWithAgents : kRunFiles);
    EXPECT_FALSE(has_temporary_files(at(dir)));
  }

  fs::path root_;
  fs::path work_;
  int calls_ = 0;
};

/// What the tests need to know of the shipped default, read from scenarios/meta_2024.yaml
/// so that they keep passing as it grows from a placeholder into the full scenario.
struct DefaultScenario {
  std::string name;
  std::uint64_t seed = 1;
  std::int64_t quick_ticks = 4;  ///< a short run that still covers every event
};

const DefaultScenario kDefault = [] {
  const YAML::Node node = YAML::LoadFile((kSourceDir / "scenarios/meta_2024.yaml").string());
  DefaultScenario d;
  d.name = node["name"].as<std::string>();
  if (node["seed"]) d.seed = node["seed"].as<std::uint64_t>();
  if (node["events"])
    for (const auto& event : node["events"])
      d.quick_ticks = std::max(d.quick_ticks, event["week"].as<std::int64_t>());
  return d;
}();

/// The pattern of the folder a run goes to without --out: runs/<name>-seed<seed>-<8 hex
/// digits of the resolved scenario>.
std::regex default_folder(const std::string& name, std::uint64_t seed) {
  return std::regex("runs/" + name + "-seed" + std::to_string(seed) + "-[0-9a-f]{8}");
}

// Small and quick: the embedded default with 3000 researchers for a few weeks.
const std::vector<std::string> kQuickDefault{"run",
                                             "--ticks",
                                             std::to_string(kDefault.quick_ticks),
                                             "--set",
                                             "population.researchers=3000",
                                             "--quiet"};

/// The firm with this id in a scenario's `firms` list (a null node if there is none).
YAML::Node firm_by_id(const YAML::Node& scenario, const std::string& id) {
  for (const auto& firm : scenario["firms"])
    if (firm["id"].as<std::string>() == id) return firm;
  return YAML::Node();
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// ---------------------------------------------------------------------------
// 1. A run of the embedded default and what it writes
// ---------------------------------------------------------------------------

using CliRun = CliTest;

TEST_F(CliRun, EmbeddedDefaultWritesTheSevenFilesWithTheirHeaders) {
  const Result r = cli(with(kQuickDefault, {"--out", "D"}));
  expect_finished(r, "D");
  ASSERT_EQ(r.exit_code, 0);

  const auto groups = groups_of(at("D"));
  const auto ticks = static_cast<std::size_t>(kDefault.quick_ticks);

  // Week 0, the initial state, is the first row of the weekly files.
  const Csv ts = read_csv(at("D/timeseries.csv"));
  EXPECT_TRUE(ts.header.starts_with(kTimeseriesHeader)) << ts.header;
  ASSERT_EQ(ts.rows.size(), (ticks + 1) * groups.size());
  for (std::size_t t = 0; t <= ticks; ++t)
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const std::size_t row = t * groups.size() + g;
      EXPECT_EQ(ts.integer(row, "tick"), static_cast<std::int64_t>(t)) << "row " << row;
      EXPECT_EQ(ts.text(row, "firm"), groups[g]) << "row " << row;
      EXPECT_EQ(ts.rows[row].size(), ts.columns.size()) << "row " << row;
      if (t == 0) {
        EXPECT_EQ(ts.integer(row, "hires"), 0) << "week 0 has no flows";
      }
    }

  const Csv market = read_csv(at("D/market.csv"));
  EXPECT_TRUE(market.header.starts_with(kMarketHeader)) << market.header;
  ASSERT_EQ(market.rows.size(), ticks + 1);
  for (std::size_t t = 0; t <= ticks; ++t) {
    EXPECT_EQ(market.integer(t, "tick"), static_cast<std::int64_t>(t));
    EXPECT_EQ(market.rows[t].size(), market.columns.size());
  }

  // Offers are flows: weeks 1 .. ticks.
  const Csv offers = read_csv(at("D/offers.csv"));
  EXPECT_EQ(offers.header, kOffersHeader);
  ASSERT_EQ(offers.rows.size(), ticks * groups.size());
  EXPECT_EQ(offers.integer(0, "tick"), 1);

  // Cohorts: named firms x 4 groups x 2 kinds x weeks 0 .. ticks.
  const Csv cohorts = read_csv(at("D/cohorts.csv"));
  EXPECT_EQ(cohorts.header, kCohortsHeader);
  EXPECT_EQ(cohorts.rows.size(), (groups.size() - 1) * 4 * 2 * (ticks + 1));

  const Csv flows = read_csv(at("D/flows.csv"));
  EXPECT_EQ(flows.header, kFlowsHeader);
  std::set<std::string> places(groups.begin(), groups.end() - 1);
  places.insert({"between_jobs", "startups", "independent"});
  for (std::size_t i = 0; i < flows.rows.size(); ++i) {
    ASSERT_EQ(flows.rows[i].size(), 3u);
    EXPECT_TRUE(places.contains(flows.rows[i][0])) << flows.rows[i][0];
    EXPECT_TRUE(places.contains(flows.rows[i][1])) << flows.rows[i][1];
    EXPECT_GT(flows.integer(i, "count"), 0);
  }

  const json summary = json::parse(slurp(at("D/summary.json")));
  EXPECT_EQ(summary["scenario"].get<std::string>(), kDefault.name);
  EXPECT_EQ(summary["seed"].get<std::uint64_t>(), kDefault.seed);
  EXPECT_EQ(summary["ticks"].get<std::int64_t>(), kDefault.quick_ticks);
  EXPECT_EQ(summary["researchers"], 3000);
  EXPECT_TRUE(summary["version"].is_string());
  EXPECT_TRUE(
      std::regex_match(summary["state_hash"].get<std::string>(), std::regex("[0-9a-f]{16}")))
      << summary["state_hash"];
  ASSERT_TRUE(summary["firms"].is_array());
  std::vector<std::string> summary_groups;
  for (const auto& f : summary["firms"]) summary_groups.push_back(f["id"].get<std::string>());
  EXPECT_EQ(summary_groups, groups);
  // The machine-dependent figures live under `run`, and only there.
  ASSERT_TRUE(summary["run"].is_object());
  EXPECT_TRUE(summary["run"]["threads"].is_number_integer());
  EXPECT_TRUE(summary["run"]["wall_seconds"].is_number());
  EXPECT_TRUE(summary["run"]["agent_ticks_per_second"].is_number());
  for (const char* key : {"threads", "wall_seconds", "agent_ticks_per_second"})
    EXPECT_FALSE(summary.contains(key)) << key << " must be under run";

  const YAML::Node scenario = YAML::LoadFile(at("D/scenario.yaml").string());
  EXPECT_EQ(scenario["name"].as<std::string>(), kDefault.name);
  EXPECT_EQ(scenario["ticks"].as<std::int64_t>(), kDefault.quick_ticks);
  EXPECT_EQ(scenario["population"]["researchers"].as<int>(), 3000);

  // The summary table on stdout names every group and where the files went.
  EXPECT_NE(r.out.find("headcount"), std::string::npos) << r.out;
  for (const auto& g : groups) EXPECT_NE(r.out.find(g), std::string::npos) << g;
  EXPECT_NE(r.out.find("D/"), std::string::npos) << r.out;
}

TEST_F(CliRun, StderrStaysEmptyWithoutQuietWhenItIsNotATerminal) {
  std::vector<std::string> loud = kQuickDefault;
  loud.pop_back();  // --quiet
  ASSERT_EQ(std::count(loud.begin(), loud.end(), "--quiet"), 0);
  const Result r = cli(with(loud, {"--out", "D"}));
  expect_finished(r, "D");
}

TEST_F(CliRun, EmbeddedDefaultIsTheShippedMeta2024) {
  const Result embedded = cli(with(kQuickDefault, {"--out", "E", "--agents"}));
  expect_finished(embedded, "E", true);
  const Result file = cli(with(kQuickDefault, {(kSourceDir / "scenarios/meta_2024.yaml").string(),
                                               "--out", "F", "--agents"}));
  expect_finished(file, "F", true);
  expect_same_outputs(at("E"), at("F"));
}

/// The one folder under runs/ (fails the test if there is not exactly one more than `known`).
std::string new_run_folder(const fs::path& runs, std::set<std::string>& known) {
  std::vector<std::string> added;
  if (fs::exists(runs))
    for (const auto& name : entries(runs))
      if (known.insert(name).second) added.push_back(name);
  EXPECT_EQ(added.size(), 1u) << "expected one new folder under runs/";
  return added.empty() ? std::string() : "runs/" + added.front();
}

TEST_F(CliRun, DefaultOutputFolderIsRunsNameSeedHashInTheWorkingDirectory) {
  std::set<std::string> known;
  Result r = cli(kQuickDefault);
  const std::string first = new_run_folder(at("runs"), known);
  EXPECT_TRUE(std::regex_match(first, default_folder(kDefault.name, kDefault.seed))) << first;
  expect_finished(r, first);
  EXPECT_NE(r.out.find(first), std::string::npos) << r.out;

  r = cli(with(kQuickDefault, {"--seed", "5"}));
  const std::string fifth = new_run_folder(at("runs"), known);
  EXPECT_TRUE(std::regex_match(fifth, default_folder(kDefault.name, 5))) << fifth;
  expect_finished(r, fifth);

  // Another resolved scenario with the same name and seed gets a folder of its own.
  r = cli(with(kQuickDefault, {"--set", "firms.meta.pay.median=520000"}));
  const std::string paid = new_run_folder(at("runs"), known);
  EXPECT_TRUE(std::regex_match(paid, default_folder(kDefault.name, kDefault.seed))) << paid;
  EXPECT_NE(paid, first);
  expect_finished(r, paid);

  write("two_firms.yaml", kTwoFirms);
  r = cli({"run", "two_firms.yaml", "--quiet"});
  const std::string two = new_run_folder(at("runs"), known);
  EXPECT_TRUE(std::regex_match(two, default_folder("two_firms", 7))) << two;
  expect_finished(r, two);
}

TEST_F(CliRun, AFinishedRunIsNotReplacedWithoutForce) {
  std::set<std::string> known;
  ASSERT_EQ(cli(kQuickDefault).exit_code, 0);
  const std::string folder = new_run_folder(at("runs"), known);
  const std::string summary = slurp(at(folder + "/summary.json"));

  // The same scenario again: same folder, which holds a finished run.
  Result r = cli(kQuickDefault);
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(folder + " already holds a finished run"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(at(folder + "/summary.json")), summary);
  EXPECT_FALSE(has_temporary_files(at(folder)));

  // An explicit --out naming it: the same, and nothing written.
  r = cli(with(kQuickDefault, {"--out", folder, "--set", "firms.meta.pay.median=520000"}));
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(at(folder + "/summary.json")), summary);
  EXPECT_EQ(entries(at(folder)), kRunFiles);

  // --force replaces it.
  r = cli(
      with(kQuickDefault, {"--out", folder, "--set", "firms.meta.pay.median=520000", "--force"}));
  expect_finished(r, folder);
  EXPECT_NE(slurp(at(folder + "/summary.json")), summary);
}

TEST_F(CliRun, OutputFiguresAgreeAcrossFiles) {
  // Enough startups, moves and counter-offers for every column to be exercised.
  write("two_firms.yaml", kTwoFirms);
  const Result r =
      cli({"run", "two_firms.yaml", "--out", "D", "--quiet", "--ticks", "12", "--set",
           "population.researchers=6000", "--set", "startups.founding_rate=2", "--set",
           "independent.consider_rate=1", "--set", "firms.beta.retention.counter_offers=all"});
  expect_finished(r, "D");
  ASSERT_EQ(r.exit_code, 0);

  const auto groups = groups_of(at("D"));
  const Csv ts = read_csv(at("D/timeseries.csv"));
  const Csv market = read_csv(at("D/market.csv"));
  const Csv flows = read_csv(at("D/flows.csv"));
  const json summary = json::parse(slurp(at("D/summary.json")));
  const std::int64_t researchers = 6000;
  const Csv offers = read_csv(at("D/offers.csv"));
  const Csv cohorts = read_csv(at("D/cohorts.csv"));
  ASSERT_EQ(ts.rows.size(), 13 * groups.size());  // weeks 0 .. 12
  ASSERT_EQ(market.rows.size(), 13u);
  ASSERT_EQ(offers.rows.size(), 12 * groups.size());  // weeks 1 .. 12

  // Everyone is employed (at a firm or a startup) or between jobs, every week.
  for (std::size_t t = 0; t <= 12; ++t) {
    std::int64_t headcount = 0;
    for (std::size_t g = 0; g < groups.size(); ++g)
      headcount += ts.integer(t * groups.size() + g, "headcount");
    EXPECT_EQ(headcount, market.integer(t, "employed")) << "tick " << t;
    EXPECT_EQ(market.integer(t, "employed") + market.integer(t, "between_jobs"), researchers)
        << "tick " << t;
  }

  // Every week: departures split into quits and separations (per group too); the groups'
  // offers add up to the market's; a firm's hire cohort is its hires, its stock cohort
  // its headcount (all, top, published, leaders).
  std::map<std::tuple<std::string, std::string, std::string, std::int64_t>, std::int64_t> size;
  for (std::size_t i = 0; i < cohorts.rows.size(); ++i)
    size[{cohorts.text(i, "firm"), cohorts.text(i, "group"), cohorts.text(i, "kind"),
          cohorts.integer(i, "week")}] = cohorts.integer(i, "size");
  for (std::size_t t = 1; t <= 12; ++t) {
    std::int64_t offers_made = 0;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const std::size_t row = t * groups.size() + g;
      SCOPED_TRACE(groups[g] + " week " + std::to_string(t));
      EXPECT_EQ(ts.integer(row, "quits") + ts.integer(row, "separations"),
                ts.integer(row, "departures"));
      EXPECT_EQ(ts.integer(row, "separations"), ts.integer(row, "departures_to_between_jobs"));
      for (const std::string k : {"top", "published", "leader"})
        EXPECT_EQ(ts.integer(row, k + "_quits") + ts.integer(row, k + "_separations"),
                  ts.integer(row, k + "_departures"))
            << k;
      const std::size_t orow = (t - 1) * groups.size() + g;
      ASSERT_EQ(offers.text(orow, "firm"), groups[g]);
      EXPECT_LE(offers.integer(orow, "accepted"), offers.integer(orow, "offers"));
      EXPECT_LE(offers.integer(orow, "countered"), offers.integer(orow, "offers"));
      offers_made += offers.integer(orow, "offers");
      if (groups[g] == "startups") continue;
      const auto w = static_cast<std::int64_t>(t);
      EXPECT_EQ((size[{groups[g], "all", "hired", w}]), ts.integer(row, "hires"));
      EXPECT_EQ((size[{groups[g], "all", "present", w}]), ts.integer(row, "headcount"));
      EXPECT_EQ((size[{groups[g], "top", "present", w}]), ts.integer(row, "top_headcount"));
      EXPECT_EQ((size[{groups[g], "published", "present", w}]),
                ts.integer(row, "published_headcount"));
      EXPECT_EQ((size[{groups[g], "leaders", "present", w}]), ts.integer(row, "leader_headcount"));
    }
    EXPECT_EQ(offers_made, market.integer(t, "offers")) << "week " << t;
  }

  // Totals over the run: timeseries sums = summary.json totals = flows.csv margins.
  std::map<std::string, std::int64_t> flow_out, flow_in;
  std::map<std::pair<std::string, std::string>, std::int64_t> flow;
  for (std::size_t i = 0; i < flows.rows.size(); ++i) {
    const auto count = flows.integer(i, "count");
    flow_out[flows.text(i, "from")] += count;
    flow_in[flows.text(i, "to")] += count;
    flow[{flows.text(i, "from"), flows.text(i, "to")}] += count;
  }
  std::int64_t founded = 0;
  for (std::size_t t = 1; t <= 12; ++t) founded += market.integer(t, "startups_founded");
  EXPECT_EQ(summary["market"]["startups_founded"].get<std::int64_t>(), founded);
  EXPECT_GT(founded, 0) << "the scenario should found startups";

  for (std::size_t g = 0; g < groups.size(); ++g) {
    SCOPED_TRACE(groups[g]);
    std::map<std::string, std::int64_t> sum;
    for (std::size_t t = 0; t <= 12; ++t)
      for (const char* c : {"hires", "departures", "departures_to_startup",
                            "departures_to_independent", "counteroffers", "counteroffers_won"})
        sum[c] += ts.integer(t * groups.size() + g, c);
    const json& firm = summary["firms"][g];
    ASSERT_EQ(firm["id"].get<std::string>(), groups[g]);
    for (const auto& [column, total] : sum)
      EXPECT_EQ(firm["totals"][column].get<std::int64_t>(), total) << column;
    EXPECT_EQ(flow_out[groups[g]], sum["departures"]);
    EXPECT_EQ(flow_in[groups[g]], sum["hires"]);
    if (groups[g] != "startups") {
      EXPECT_EQ((flow[{groups[g], "startups"}]), sum["departures_to_startup"]);
      EXPECT_EQ((flow[{groups[g], "independent"}]), sum["departures_to_independent"]);
    }
    const std::size_t last = 12 * groups.size() + g;
    EXPECT_EQ(firm["headcount"]["final"].get<std::int64_t>(), ts.integer(last, "headcount"));
  }
  EXPECT_EQ(summary["market"]["employed"].get<std::int64_t>(), market.integer(12, "employed"));
  EXPECT_EQ(summary["market"]["between_jobs"].get<std::int64_t>(),
            market.integer(12, "between_jobs"));
}

TEST_F(CliRun, RunIntoAnExistingFolderReplacesItsFilesAndKeepsOthers) {
  fs::create_directories(at("D"));
  spit(at("D/notes.txt"), "mine\n");
  spit(at("D/market.csv"), "stale\n");  // not a finished run: no summary.json
  Result r = cli(with(kQuickDefault, {"--out", "D"}));
  EXPECT_EQ(r.exit_code, 0) << r;
  std::vector<std::string> expected = kRunFiles;
  expected.emplace_back("notes.txt");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(entries(at("D")), expected);
  EXPECT_EQ(slurp(at("D/notes.txt")), "mine\n");
  EXPECT_NE(slurp(at("D/market.csv")), "stale\n");

  // A finished run there is replaced only with --force; other files stay.
  spit(at("D/summary.json"), "stale\n");
  r = cli(with(kQuickDefault, {"--out", "D", "--force"}));
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(entries(at("D")), expected);
  EXPECT_EQ(slurp(at("D/notes.txt")), "mine\n");
  EXPECT_NO_THROW(json::parse(slurp(at("D/summary.json"))));
}

TEST_F(CliRun, AShorterRunDoesNotReachLaterEventsAndSaysWhich) {
  write("two_firms.yaml", kTwoFirms);  // a pay change in week 3
  for (const auto& shorter :
       {std::vector<std::string>{"--ticks", "2"}, std::vector<std::string>{"--set", "ticks=2"}}) {
    SCOPED_TRACE(shorter[0]);
    const Result r =
        cli(with({"run", "two_firms.yaml", "--out", "D", "--quiet", "--force"}, shorter));
    expect_finished(r, "D");
    const json summary = json::parse(slurp(at("D/summary.json")));
    EXPECT_EQ(summary["ticks"], 2);
    EXPECT_EQ(summary["events_not_reached"],
              json::parse(R"([{"event": "events[0]", "week": 3, "type": "pay_change",
                              "firm": "beta"}])"));
    EXPECT_NE(r.out.find("events not reached (the run ends at week 2):\n"
                         "  events[0] pay_change by beta in week 3\n"),
              std::string::npos)
        << r.out;
  }
  // Its resolved scenario, with the event after its last week, reproduces it.
  const Result again = cli({"run", "D/scenario.yaml", "--out", "E", "--quiet"});
  expect_finished(again, "E");
  expect_same_outputs(at("D"), at("E"));

  // A full run reaches every event and lists none.
  const Result full = cli({"run", "two_firms.yaml", "--out", "F", "--quiet"});
  expect_finished(full, "F");
  EXPECT_EQ(json::parse(slurp(at("F/summary.json")))["events_not_reached"], json::array());
  EXPECT_EQ(full.out.find("not reached"), std::string::npos) << full.out;

  // The embedded default with --ticks below its first event's week.
  const Result def =
      cli({"run", "--ticks", "2", "--set", "population.researchers=3000", "--out", "G", "--quiet"});
  expect_finished(def, "G");
  EXPECT_FALSE(json::parse(slurp(at("G/summary.json")))["events_not_reached"].empty());
}

// ---------------------------------------------------------------------------
// 2. Every shipped scenario runs
// ---------------------------------------------------------------------------

TEST_F(CliRun, EveryShippedScenarioValidatesAndRuns) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(kSourceDir / "scenarios"))
    if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  EXPECT_NE(std::find(files.begin(), files.end(), kSourceDir / "scenarios/meta_2024.yaml"),
            files.end());

  int n = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    const Result v = cli({"validate", file.string()});
    EXPECT_EQ(v.exit_code, 0) << v;
    EXPECT_NE(v.out.find("ok"), std::string::npos) << v.out;

    // Few weeks, but enough for every event to fall inside the run (events may come
    // from a base scenario through `extends:`, so read the resolved scenario).
    std::int64_t ticks = 8;
    for (const auto& event : talentsim::load_scenario_file(file).events)
      ticks = std::max(ticks, event.week);
    const std::string dir = "run" + std::to_string(++n);
    const Result r = cli({"run", file.string(), "--out", dir, "--quiet", "--ticks",
                          std::to_string(ticks), "--set", "population.researchers=2000"});
    expect_finished(r, dir);
  }
}

// ---------------------------------------------------------------------------
// 3-6. Determinism, reproduction, --seed, --set, --agents
// ---------------------------------------------------------------------------

using CliDeterminism = CliTest;

TEST_F(CliDeterminism, ThreadCountDoesNotChangeAnyOutput) {
  // 40000 researchers are five chunks of work, so 2 and 4 threads really split it.
  for (const char* threads : {"1", "2", "4"}) {
    const Result r =
        cli({"run", "--ticks", std::to_string(std::max<std::int64_t>(8, kDefault.quick_ticks)),
             "--set", "population.researchers=40000", "--agents", "--quiet", "--threads", threads,
             "--out", std::string("T") + threads});
    expect_finished(r, std::string("T") + threads, true);
    const json summary = json::parse(slurp(at(std::string("T") + threads + "/summary.json")));
    EXPECT_EQ(summary["run"]["threads"], std::stoi(threads));
  }
  expect_same_outputs(at("T1"), at("T2"));
  expect_same_outputs(at("T1"), at("T4"));
}

TEST_F(CliDeterminism, ThreadCountDoesNotChangeARunWithEveryMechanism) {
  // Events of every type, startups, counter-offers and independent research, for 26 weeks.
  write("events.yaml", with_every_event_type());
  for (const char* threads : {"1", "3"}) {
    const std::string dir = std::string("T") + threads;
    const Result r =
        cli({"run", "events.yaml", "--ticks", "26", "--set", "population.researchers=40000",
             "--set", "startups.founding_rate=1", "--set", "independent.consider_rate=0.5",
             "--agents", "--quiet", "--threads", threads, "--out", dir});
    expect_finished(r, dir, true);
  }
  expect_same_outputs(at("T1"), at("T3"));
  const json summary = summary_without_run(at("T1"));
  EXPECT_GT(summary["firms"][0]["totals"]["counteroffers"].get<std::int64_t>(), 0);
  EXPECT_GT(summary["market"]["startups_founded"].get<std::int64_t>(), 0);
}

TEST_F(CliDeterminism, ResolvedScenarioReproducesTheRun) {
  // Overrides that stress the round trip: the largest seed, a float that needs 17 digits,
  // text with quotes, a comment marker, a tab, a backslash and non-ASCII characters.
  const Result first = cli(with(
      kQuickDefault, {"--out", "A", "--agents", "--seed", "18446744073709551615", "--set",
                      "market.offer_rate_employed=0.30000000000000004", "--set",
                      "firms.meta.pay.median=400000.1", "--set", "wellbeing.initial_burnout=0.1",
                      "--set", "description='say \"hi\" # not a comment\tü \\n'"}));
  expect_finished(first, "A", true);
  const Result second = cli({"run", "A/scenario.yaml", "--out", "B", "--agents", "--quiet"});
  expect_finished(second, "B", true);
  expect_same_outputs(at("A"), at("B"));
}

TEST_F(CliDeterminism, ResolvedScenarioReproducesARunWithEventsOfEveryType) {
  // A `market` event changes the live market rates (here offer_rate_employed 1.5 -> 2 in
  // week 4); scenario.yaml must still record the scenario as given, or re-running it would
  // apply the event's rates from week 1.
  write("events.yaml", with_every_event_type());
  const Result first = cli({"run", "events.yaml", "--out", "A", "--agents", "--quiet"});
  expect_finished(first, "A", true);
  const Result second = cli({"run", "A/scenario.yaml", "--out", "B", "--agents", "--quiet"});
  expect_finished(second, "B", true);
  expect_same_outputs(at("A"), at("B"));
  const YAML::Node resolved = YAML::LoadFile(at("A/scenario.yaml").string());
  EXPECT_EQ(resolved["market"]["offer_rate_employed"].as<double>(), 1.5)
      << "scenario.yaml must hold the scenario as it was at the start";
  EXPECT_EQ(resolved["startups"]["funding_climate"].as<double>(), 0.0);
}

TEST_F(CliDeterminism, SameSeedGivesTheSameRunAndAnotherSeedAnotherRun) {
  const std::vector<std::pair<std::string, std::string>> runs{
      {"S1", "11"}, {"S2", "11"}, {"S3", "12"}};
  for (const auto& [dir, seed] : runs) {
    const Result r = cli(with(kQuickDefault, {"--out", dir, "--seed", seed}));
    expect_finished(r, dir);
  }
  expect_same_outputs(at("S1"), at("S2"));
  EXPECT_EQ(summary_without_run(at("S1"))["seed"], 11);
  EXPECT_EQ(summary_without_run(at("S3"))["seed"], 12);
  EXPECT_EQ(YAML::LoadFile(at("S3/scenario.yaml").string())["seed"].as<std::uint64_t>(), 12u);
  EXPECT_NE(summary_without_run(at("S1"))["state_hash"],
            summary_without_run(at("S3"))["state_hash"]);
  EXPECT_NE(slurp(at("S1/timeseries.csv")), slurp(at("S3/timeseries.csv")));
}

TEST_F(CliDeterminism, SetAndFlagsChangeTheResolvedScenario) {
  Result r = cli(with(kQuickDefault, {"--out", "plain"}));
  expect_finished(r, "plain");
  const std::int64_t ticks = kDefault.quick_ticks + 2;
  r = cli({"run", "--quiet", "--out", "set", "--set", "population.researchers=3000", "--set",
           "firms.meta.pay.median=456789", "--set", "market.offer_rate_employed=2.345", "--ticks",
           std::to_string(ticks), "--seed", "99"});
  expect_finished(r, "set");

  const YAML::Node plain = YAML::LoadFile(at("plain/scenario.yaml").string());
  const YAML::Node set = YAML::LoadFile(at("set/scenario.yaml").string());
  ASSERT_TRUE(firm_by_id(plain, "meta").IsMap());
  ASSERT_TRUE(firm_by_id(set, "meta").IsMap());
  EXPECT_NE(firm_by_id(plain, "meta")["pay"]["median"].as<double>(), 456789.0);
  EXPECT_EQ(firm_by_id(set, "meta")["pay"]["median"].as<double>(), 456789.0);
  EXPECT_NE(plain["market"]["offer_rate_employed"].as<double>(), 2.345);
  EXPECT_EQ(set["market"]["offer_rate_employed"].as<double>(), 2.345);
  EXPECT_EQ(set["ticks"].as<std::int64_t>(), ticks);
  EXPECT_EQ(set["seed"].as<int>(), 99);
  EXPECT_EQ(set["population"]["researchers"].as<int>(), 3000);

  // The override took effect in the run itself: week 1's median pay at meta follows it.
  const Csv ts = read_csv(at("set/timeseries.csv"));
  std::size_t row = 0;
  while (row < ts.rows.size() && (ts.text(row, "firm") != "meta" || ts.integer(row, "tick") != 1))
    ++row;
  ASSERT_LT(row, ts.rows.size());
  EXPECT_NEAR(std::stod(ts.text(row, "median_salary")), 456789.0, 45000.0);
  EXPECT_EQ(summary_without_run(at("set"))["ticks"].get<std::int64_t>(), ticks);
}

TEST_F(CliDeterminism, FlagsOverrideSetWhichOverridesTheFile) {
  write("two_firms.yaml", kTwoFirms);
  const Result r = cli({"run", "two_firms.yaml", "--quiet", "--out", "D", "--set", "seed=3",
                        "--seed", "5", "--set", "ticks=6", "--ticks", "4"});
  expect_finished(r, "D");
  const YAML::Node s = YAML::LoadFile(at("D/scenario.yaml").string());
  EXPECT_EQ(s["seed"].as<int>(), 5);
  EXPECT_EQ(s["ticks"].as<int>(), 4);
}

using CliAgents = CliTest;

TEST_F(CliAgents, AgentsCsvHasOneRowPerResearcherAndIsRemovedByALaterRunWithoutAgents) {
  write("two_firms.yaml", kTwoFirms);
  Result r = cli({"run", "two_firms.yaml", "--out", "D", "--quiet", "--agents"});
  expect_finished(r, "D", true);
  EXPECT_NE(r.out.find("agents.csv"), std::string::npos) << r.out;

  const Csv agents = read_csv(at("D/agents.csv"));
  EXPECT_TRUE(agents.header.starts_with(kAgentsHeader)) << agents.header;
  ASSERT_EQ(agents.rows.size(), 2000u);
  const auto groups = groups_of(at("D"));
  const Csv ts = read_csv(at("D/timeseries.csv"));
  const std::size_t last_tick = ts.rows.size() - groups.size();
  std::map<std::string, std::int64_t> at_firm;
  std::int64_t between_jobs = 0;
  for (std::size_t i = 0; i < agents.rows.size(); ++i) {
    ASSERT_EQ(agents.rows[i].size(), agents.columns.size()) << "row " << i;
    EXPECT_EQ(agents.integer(i, "id"), static_cast<std::int64_t>(i));
    const std::string& firm = agents.text(i, "firm");
    if (firm.empty()) {
      ++between_jobs;
    } else if (firm.starts_with("startups.")) {  // one startup: startups.<n>
      EXPECT_TRUE(std::regex_match(firm, std::regex(R"(startups\.[0-9]+)"))) << firm;
      ++at_firm["startups"];
    } else {
      EXPECT_NE(std::find(groups.begin(), groups.end(), firm), groups.end()) << firm;
      ++at_firm[firm];
    }
  }
  // Headcounts at the last week agree with where agents.csv puts everyone.
  for (std::size_t g = 0; g < groups.size(); ++g)
    EXPECT_EQ(at_firm[groups[g]], ts.integer(last_tick + g, "headcount")) << groups[g];
  const Csv market = read_csv(at("D/market.csv"));
  EXPECT_EQ(between_jobs, market.integer(market.rows.size() - 1, "between_jobs"));

  // The same folder again without --agents: the old agents.csv would not match this run.
  r = cli({"run", "two_firms.yaml", "--out", "D", "--quiet", "--seed", "8", "--force"});
  expect_finished(r, "D", false);
  EXPECT_FALSE(fs::exists(at("D/agents.csv")));
}

// ---------------------------------------------------------------------------
// 7. Bad input: exit 2, a message naming file:line:column and the key path, nothing written
// ---------------------------------------------------------------------------

struct BadFile {
  std::string name;
  std::string yaml;                   ///< contents of bad.yaml
  std::vector<std::string> expected;  ///< substrings of the message on stderr
  enum class Kind { kFile, kMissing, kDirectory } kind = Kind::kFile;
  bool needs_small_memory = false;  ///< only bad on machines with < 320 GB of memory
};

std::string billion_laughs() {
  std::string yaml =
      "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    const char prev = static_cast<char>(c - 1);
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) yaml += std::string(i ? "," : "") + "*" + prev;
    yaml += "]\n";
  }
  return yaml;
}

const std::vector<BadFile> kBadFiles = [] {
  using K = BadFile::Kind;
  std::vector<BadFile> v{
      // Unknown keys, with a suggestion.
      {"unknown_key",
       edited({{9, "  offer_rate_employd: 1.5"}}),
       {"bad.yaml:9:3: market.offer_rate_employd: ", "did you mean 'offer_rate_employed'"}},
      {"unknown_top_level_key",
       edited({{11, "startup:"}}),
       {"bad.yaml:11:1: startup: ", "did you mean 'startups'"}},
      {"unknown_firm_key",
       edited({{19, "    headcount_shar: 0.4"}}),
       {"bad.yaml:19:5: firms.beta.headcount_shar: ", "did you mean 'headcount_share'"}},
      // Wrong types.
      {"text_for_integer",
       edited({{7, "  researchers: lots"}}),
       {"bad.yaml:7:16: population.researchers: "}},
      {"fraction_for_integer",
       edited({{7, "  researchers: 2000.5"}}),
       {"bad.yaml:7:16: population.researchers: "}},
      {"scalar_for_map", edited({{16, "    pay: 400000"}}), {"bad.yaml:16:10: firms.alpha.pay: "}},
      {"list_for_map",
       edited({{6, "population: [2000]"}, {7, ""}}),
       {"bad.yaml:6:13: population: "}},
      {"map_for_list",
       edited(blanking({{13, "firms: {alpha: 1}"}}, 14, 21)),
       {"bad.yaml:13:8: firms: "}},
      {"text_for_bool", edited({{12, "  enabled: maybe"}}), {"bad.yaml:12:12: startups.enabled: "}},
      {"unknown_enum_value",
       edited({{17, "    retention: {counter_offers: some, probability: 0.5}"}}),
       {"bad.yaml:17:33: firms.alpha.retention.counter_offers: "}},
      {"bad_identifier", edited({{2, "name: Two Firms"}}), {"bad.yaml:2:7: name: "}},
      // Non-finite numbers.
      {"nan", edited({{21, "      median: .nan"}}), {"bad.yaml:21:15: firms.beta.pay.median: "}},
      {"nan_capitalised",
       edited({{9, "  offer_rate_employed: .NaN"}}),
       {"bad.yaml:9:24: market.offer_rate_employed: "}},
      {"inf", edited({{21, "      median: .inf"}}), {"bad.yaml:21:15: firms.beta.pay.median: "}},
      {"negative_inf",
       edited({{10, "  separation_rate: -.inf"}}),
       {"bad.yaml:10:20: market.separation_rate: "}},
      // Out of range.
      {"negative_pay",
       edited({{21, "      median: -5"}}),
       {"bad.yaml:21:15: firms.beta.pay.median: "}},
      {"zero_pay",
       edited({{16, "    pay: {median: 0}"}}),
       {"bad.yaml:16:19: firms.alpha.pay.median: "}},
      {"probability_above_one",
       edited({{17, "    retention: {counter_offers: top, probability: 1.5}"}}),
       {"bad.yaml:17:51: firms.alpha.retention.probability: "}},
      {"share_above_one",
       edited({{19, "    headcount_share: 1.4"}}),
       {"bad.yaml:19:22: firms.beta.headcount_share: "}},
      {"negative_rate",
       edited({{9, "  offer_rate_employed: -1"}}),
       {"bad.yaml:9:24: market.offer_rate_employed: "}},
      {"negative_separation_rate",
       edited({{10, "  separation_rate: -0.1"}}),
       {"bad.yaml:10:20: market.separation_rate: "}},
      {"pay_change_below_minus_90_percent",
       edited({{26, "    change: -0.95"}}),
       {"bad.yaml:26:13: events[0].change: "}},
      // Cross-field rules.
      {"shares_not_summing_to_one",
       edited({{19, "    headcount_share: 0.5"}}),
       {"bad.yaml:14:3: firms: ", "sum"}},
      {"ticks_zero", edited({{5, "ticks: 0"}}), {"bad.yaml:5:8: ticks: "}},
      {"ticks_negative", edited({{5, "ticks: -3"}}), {"bad.yaml:5:8: ticks: "}},
      {"ticks_too_many", edited({{5, "ticks: 60001"}}), {"bad.yaml:5:8: ticks: "}},
      {"researchers_zero",
       edited({{7, "  researchers: 0"}}),
       {"bad.yaml:7:16: population.researchers: "}},
      {"researchers_beyond_memory",
       edited({{7, "  researchers: 4000000000"}}),
       {"bad.yaml:7:16: population.researchers: ", "GiB"},
       K::kFile,
       true},
      {"researchers_beyond_limit",
       edited({{7, "  researchers: 4000000001"}}),
       {"bad.yaml:7:16: population.researchers: "}},
      {"event_unknown_firm",
       edited({{25, "    firm: gamma"}}),
       {"bad.yaml:25:11: events[0].firm: ", "gamma"}},
      {"event_misspelt_firm",
       edited({{25, "    firm: bet"}}),
       {"bad.yaml:25:11: events[0].firm: ", "did you mean 'beta'"}},
      {"event_week_zero", edited({{24, "    week: 0"}}), {"bad.yaml:24:11: events[0].week: "}},
      {"event_week_negative", edited({{24, "    week: -1"}}), {"bad.yaml:24:11: events[0].week: "}},
      {"duplicate_firm_id", edited({{18, "  - id: alpha"}}), {"bad.yaml:18:9: firms[1].id: "}},
      {"reserved_firm_id",
       edited({{18, "  - id: between_jobs"}}),
       {"bad.yaml:18:9: firms[1].id: "}},
      // Duplicate keys.
      {"duplicate_top_level_key",
       edited({{4, "seed: 7\nseed: 8"}}),
       {"bad.yaml:5:1: seed: ", "duplicate"}},
      {"duplicate_key_in_flow_map",
       edited({{16, "    pay: {median: 400000, median: 5}"}}),
       {"bad.yaml:16:27: firms.alpha.pay.median: ", "duplicate"}},
      // YAML syntax.
      {"syntax_unclosed_flow_map",
       edited({{16, "    pay: {median: 400000"}}),
       {"YAML syntax error"}},
      {"syntax_unclosed_flow_list", edited({{7, "  researchers: [2000"}}), {"YAML syntax error"}},
      {"syntax_bad_indentation", edited({{19, "   headcount_share: 0.4"}}), {"YAML syntax error"}},
      {"syntax_tab_indentation", edited({{7, "\tresearchers: 2000"}}), {"YAML syntax error"}},
      {"syntax_too_deep",
       "a: " + std::string(20000, '[') + std::string(20000, ']') + "\n",
       {"YAML syntax error"}},
      // yaml-cpp ends a quoted scalar silently at the end of the input; the reader
      // checks for the closing quote itself.
      {"syntax_unterminated_quote_at_end",
       edited({{3, ""}}, "description: \"CLI test scenario\n"),
       {"bad.yaml:", "description", "never closed"}},
      {"second_document", kTwoFirms + "---\nname: other\n", {"bad.yaml:27:1: ", "document"}},
      // Empty, missing, not a file, not a map.
      {"empty_file", "", {"bad.yaml:1:1: ", "empty"}},
      {"comment_only", "# nothing here\n", {"bad.yaml:1:1: ", "empty"}},
      {"whitespace_only", "\n   \n\n", {"bad.yaml:1:1: ", "empty"}},
      {"list_document", "- a\n- b\n", {"bad.yaml:1:1: "}},
      {"scalar_document", "hello\n", {"bad.yaml:1:1: "}},
      {"missing_file", "", {"bad.yaml: ", "No such file"}, K::kMissing},
      {"directory", "", {"bad.yaml: ", "directory"}, K::kDirectory},
      // Alias bombs.
      {"billion_laughs", billion_laughs(), {"bad.yaml:", "alias"}},
      {"recursive_alias", edited({{16, "    pay: &p {median: 400000, x: *p}"}}), {"bad.yaml:16:"}},
  };
  return v;
}();

void PrintTo(const BadFile& c, std::ostream* os) { *os << c.name; }

class CliBadScenario : public CliTest, public testing::WithParamInterface<BadFile> {};

TEST_P(CliBadScenario, RunAndValidateExit2WithFileLineColumnAndKeyPathAndWriteNothing) {
  const BadFile& c = GetParam();
  if (c.needs_small_memory && memory_fits_four_billion_researchers())
    GTEST_SKIP() << "this machine has memory for 4e9 researchers";
  if (c.kind == BadFile::Kind::kFile) write("bad.yaml", c.yaml);
  if (c.kind == BadFile::Kind::kDirectory) fs::create_directory(at("bad.yaml"));
  const auto before = entries(work_);

  for (const bool validate : {false, true}) {
    SCOPED_TRACE(validate ? "validate" : "run");
    const Result r = validate ? cli({"validate", "bad.yaml"})
                              : cli({"run", "bad.yaml", "--out", "D", "--quiet"});
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(r.err.starts_with("talentsim: error: ")) << r.err;
    for (const auto& s : c.expected)
      EXPECT_NE(r.err.find(s), std::string::npos) << "expected '" << s << "' in:\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line:\n" << r.err;
    // Nothing written: no D, no runs/, nothing else.
    EXPECT_EQ(entries(work_), before);
  }
}

INSTANTIATE_TEST_SUITE_P(All, CliBadScenario, testing::ValuesIn(kBadFiles),
                         [](const testing::TestParamInfo<BadFile>& p) { return p.param.name; });

struct BadArgs {
  std::string name;
  std::vector<std::string> args;      ///< two_firms.yaml (kTwoFirms) is in the working folder
  std::vector<std::string> expected;  ///< substrings of the message on stderr
  bool needs_small_memory = false;
};

const std::vector<BadArgs> kBadArgs = [] {
  const std::vector<std::string> run{"run", "two_firms.yaml", "--out", "D", "--quiet"};
  const auto r = [&run](std::vector<std::string> more) { return with(run, more); };
  std::vector<BadArgs> v{
      // --set: validated exactly like the file, the message names the flag and the key path.
      {"set_unknown_key",
       r({"--set", "market.offer_rate_employd=2"}),
       {"--set market.offer_rate_employd=2: market.offer_rate_employd: ",
        "did you mean 'offer_rate_employed'"}},
      {"set_unknown_section",
       r({"--set", "markets.offer_rate_employed=2"}),
       {"markets: ", "did you mean 'market'"}},
      {"set_text_for_number",
       r({"--set", "market.offer_rate_employed=abc"}),
       {"--set market.offer_rate_employed=abc: market.offer_rate_employed: "}},
      {"set_negative_rate",
       r({"--set", "market.offer_rate_employed=-2"}),
       {"--set market.offer_rate_employed=-2: market.offer_rate_employed: "}},
      {"set_nan",
       r({"--set", "market.offer_rate_employed=.nan"}),
       {"--set market.offer_rate_employed=.nan: market.offer_rate_employed: "}},
      {"set_inf",
       r({"--set", "firms.alpha.pay.median=.inf"}),
       {"--set firms.alpha.pay.median=.inf: firms.alpha.pay.median: "}},
      {"set_probability_above_one",
       r({"--set", "firms.alpha.retention.probability=1.5"}),
       {"firms.alpha.retention.probability: "}},
      {"set_negative_pay", r({"--set", "firms.beta.pay.median=-1"}), {"firms.beta.pay.median: "}},
      {"set_missing_equals",
       r({"--set", "market.offer_rate_employed"}),
       {"--set market.offer_rate_employed: ", "KEY=VALUE"}},
      {"set_empty_key", r({"--set", "=5"}), {"--set =5: ", "KEY=VALUE"}},
      {"set_empty_key_part",
       r({"--set", "market..offer_rate_employed=2"}),
       {"market..offer_rate_employed: "}},
      {"set_unknown_firm",
       r({"--set", "firms.gamma.pay.median=5"}),
       {"--set firms.gamma.pay.median=5: firms.gamma: ", "gamma"}},
      {"set_misspelt_firm",
       r({"--set", "firms.alpah.pay.median=5"}),
       {"firms.alpah: ", "did you mean 'alpha'"}},
      {"set_value_syntax_error",
       r({"--set", "market.offer_rate_employed=[1"}),
       {"market.offer_rate_employed: ", "YAML syntax error"}},
      {"set_shares_not_summing",
       r({"--set", "firms.alpha.headcount_share=0.7"}),
       {"--set firms.alpha.headcount_share=0.7: firms.alpha.headcount_share: ", "sums to 1.1",
        "the shares: alpha 0.7 (--set firms.alpha.headcount_share=0.7), beta 0.4 "
        "(two_firms.yaml:19:22)"}},
      {"set_ticks_zero", r({"--set", "ticks=0"}), {"--set ticks=0: ticks: "}},
      {"set_seed_negative", r({"--set", "seed=-1"}), {"--set seed=-1: seed: "}},
      {"set_seed_too_large", r({"--set", "seed=18446744073709551616"}), {"seed: "}},
      {"set_researchers_beyond_memory",
       r({"--set", "population.researchers=4000000000"}),
       {"--set population.researchers=4000000000: population.researchers: "},
       true},
      {"set_on_embedded_default",
       {"run", "--out", "D", "--quiet", "--set", "firms.meta.pay.median=-1"},
       {"--set firms.meta.pay.median=-1: firms.meta.pay.median: "}},
      {"set_unknown_firm_on_embedded_default",
       {"run", "--out", "D", "--quiet", "--set", "firms.metaa.pay.median=1"},
       {"firms.metaa: ", "did you mean 'meta'"}},
      // --threads, --seed, --ticks.
      {"threads_zero", r({"--threads", "0"}), {"--threads"}},
      {"threads_negative", r({"--threads", "-1"}), {"--threads"}},
      {"threads_text", r({"--threads", "abc"}), {"--threads"}},
      {"threads_too_many", r({"--threads", "99999"}), {"--threads"}},
      {"seed_text", r({"--seed", "abc"}), {"--seed"}},
      // Must not wrap around to 18446744073709551615.
      {"seed_negative", r({"--seed", "-1"}), {"--seed"}},
      // 2^64: must not saturate to 2^64-1.
      {"seed_too_large", r({"--seed", "18446744073709551616"}), {"--seed"}},
      {"seed_fraction", r({"--seed", "1.5"}), {"--seed"}},
      {"seed_hex", r({"--seed", "0x10"}), {"--seed"}},
      {"out_empty", r({"--out", ""}), {"--out"}},
      {"ticks_zero", r({"--ticks", "0"}), {"--ticks"}},
      {"ticks_text", r({"--ticks", "abc"}), {"--ticks"}},
      {"ticks_negative", r({"--ticks", "-1"}), {"--ticks"}},
      {"ticks_too_many", r({"--ticks", "60001"}), {"--ticks"}},
      {"option_without_value", r({"--ticks"}), {"--ticks"}},
      // Usage.
      {"unknown_flag", r({"--bogus"}), {"--bogus"}},
      {"two_scenarios", r({"two_firms.yaml"}), {"two_firms.yaml"}},
      {"unknown_subcommand",
       {"frobnicate", "two_firms.yaml", "--out", "D"},
       {"unknown command 'frobnicate'", "; the commands are ", "run", "validate", "bench",
        "schema"}},
      {"misspelt_subcommand", {"rnu"}, {"unknown command 'rnu' (did you mean 'run'?)"}},
      {"no_subcommand", {}, {"a command is required: ", "run", "validate", "bench", "schema"}},
      {"validate_without_file", {"validate"}, {"scenario"}},
      {"validate_with_run_flag", {"validate", "two_firms.yaml", "--out", "D"}, {"--out"}},
  };
  return v;
}();

void PrintTo(const BadArgs& c, std::ostream* os) { *os << c.name; }

class CliBadArguments : public CliTest, public testing::WithParamInterface<BadArgs> {};

TEST_P(CliBadArguments, Exit2WithAMessageAndWriteNothing) {
  const BadArgs& c = GetParam();
  if (c.needs_small_memory && memory_fits_four_billion_researchers())
    GTEST_SKIP() << "this machine has memory for 4e9 researchers";
  write("two_firms.yaml", kTwoFirms);
  const auto before = entries(work_);
  const Result r = cli(c.args);
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("talentsim: error: ")) << r.err;
  for (const auto& s : c.expected)
    EXPECT_NE(r.err.find(s), std::string::npos) << "expected '" << s << "' in:\n" << r.err;
  EXPECT_EQ(entries(work_), before) << "bad input must write nothing";
}

INSTANTIATE_TEST_SUITE_P(All, CliBadArguments, testing::ValuesIn(kBadArgs),
                         [](const testing::TestParamInfo<BadArgs>& p) { return p.param.name; });

// ---------------------------------------------------------------------------
// 8. validate
// ---------------------------------------------------------------------------

using CliValidate = CliTest;

TEST_F(CliValidate, GoodFilePrintsOneOkLineAndWritesNothing) {
  write("two_firms.yaml", kTwoFirms);
  const Result r = cli({"validate", "two_firms.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_TRUE(r.out.ends_with("\n"));
  EXPECT_NE(r.out.find("ok"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("two_firms"), std::string::npos) << r.out;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"two_firms.yaml"});
}

TEST_F(CliValidate, CrlfLineEndingsAndAByteOrderMarkAreAccepted) {
  std::string crlf;
  for (const auto& line : lines_of(kTwoFirms)) crlf += line + "\r\n";
  write("crlf.yaml", crlf);
  write("bom.yaml", "\xEF\xBB\xBF" + kTwoFirms);
  for (const char* file : {"crlf.yaml", "bom.yaml"}) {
    const Result r = cli({"validate", file});
    EXPECT_EQ(r.exit_code, 0) << file << "\n" << r;
  }
}

// validate takes run's scenario flags and its `default`, and checks what run would run.
TEST_F(CliValidate, TakesTheScenarioFlagsOfRunAndDefault) {
  Result r = cli({"validate", "default"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_TRUE(r.out.starts_with("<embedded>/scenarios/meta_2024.yaml: ok: scenario '" +
                                kDefault.name + "'"))
      << r.out;

  write("two_firms.yaml", kTwoFirms);
  r = cli({"validate", "two_firms.yaml", "--seed", "5", "--ticks", "2", "--set",
           "population.researchers=3000"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out,
            "two_firms.yaml: ok: scenario 'two_firms', 3000 researchers, 2 firms, 1 events, 2 "
            "weeks, seed 5\n"
            "note: events[0] (week 3) is after the last week (2); a run does not reach it\n");

  for (const auto& bad :
       {std::vector<std::string>{"--seed", "-1"}, std::vector<std::string>{"--ticks", "0"},
        std::vector<std::string>{"--set", "firms.alpha.pay.median=-1"}}) {
    r = cli(with({"validate", "two_firms.yaml"}, bad));
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_NE(r.err.find(bad[0] == "--set" ? "--set firms.alpha" : bad[0]), std::string::npos) << r;
  }
  r = cli({"validate", "default", "--set", "firms.meta.pay.median=-1"});
  EXPECT_EQ(r.exit_code, 2) << r;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"two_firms.yaml"});
}

TEST_F(CliRun, RunDefaultIsTheEmbeddedDefault) {
  const Result plain = cli(with(kQuickDefault, {"--out", "A"}));
  expect_finished(plain, "A");
  const Result named = cli(with(kQuickDefault, {"default", "--out", "B"}));
  expect_finished(named, "B");
  expect_same_outputs(at("A"), at("B"));
}

TEST_F(CliValidate, ShippedDefaultIsValid) {
  const Result r = cli({"validate", (kSourceDir / "scenarios/meta_2024.yaml").string()});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  EXPECT_NE(r.out.find("ok"), std::string::npos) << r.out;
}

TEST_F(CliValidate, ResolvedScenarioOfARunIsValid) {
  const Result run = cli(with(kQuickDefault, {"--out", "D"}));
  expect_finished(run, "D");
  const Result r = cli({"validate", "D/scenario.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("ok"), std::string::npos) << r.out;
}

// ---------------------------------------------------------------------------
// 9. SIGINT
// ---------------------------------------------------------------------------

class CliInterrupt : public CliTest {
 protected:
  /// A run into folder D long enough (200,000 researchers for 5,000 weeks) never to
  /// finish before the signal.
  std::unique_ptr<Process> start_long_run(const std::string& out = "D") {
    return start({"run", "--ticks", "5000", "--set", "population.researchers=200000", "--out", out,
                  "--quiet"});
  }
  /// Waits until the run has created its folder, then lets it get into the simulation
  /// loop, writing temporaries.
  void wait_until_running(Process& child, const std::string& out = "D") {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (!fs::exists(at(out)) && !child.exited() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(2ms);
    ASSERT_TRUE(fs::exists(at(out))) << "the output folder never appeared";
    std::this_thread::sleep_for(200ms);
  }
};

TEST_F(CliInterrupt, SigintExits130AndLeavesNoFileInTheOutputFolder) {
  auto child = start_long_run();
  ASSERT_NO_FATAL_FAILURE(wait_until_running(*child));
  ASSERT_EQ(::kill(child->pid(), SIGINT), 0);
  const Result r = child->wait(60s);
  EXPECT_EQ(r.exit_code, 130) << r;
  EXPECT_FALSE(r.signaled) << "the run must catch SIGINT, clean up and exit 130";
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(entries(at("D")), std::vector<std::string>{}) << "no output, not even temporaries";
  EXPECT_FALSE(fs::exists(at("D"))) << "a folder the run created is removed again";
}

TEST_F(CliInterrupt, SigtermExits143AndLeavesNothing) {
  auto child = start_long_run();
  ASSERT_NO_FATAL_FAILURE(wait_until_running(*child));
  ASSERT_EQ(::kill(child->pid(), SIGTERM), 0);
  const Result r = child->wait(60s);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r;
  EXPECT_FALSE(fs::exists(at("D")));
}

TEST_F(CliInterrupt, AnInterruptedRunRemovesEveryFolderItCreated) {
  fs::create_directories(at("kept"));
  auto child = start_long_run("kept/new/nested/D");
  ASSERT_NO_FATAL_FAILURE(wait_until_running(*child, "kept/new/nested/D"));
  ASSERT_EQ(::kill(child->pid(), SIGTERM), 0);
  const Result r = child->wait(60s);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM) << r;
  EXPECT_TRUE(fs::exists(at("kept")));
  EXPECT_EQ(entries(at("kept")), std::vector<std::string>{}) << "kept/new must be gone";
}

TEST_F(CliInterrupt, AnInterruptedRunKeepsAFolderThatExistedBefore) {
  fs::create_directories(at("D"));
  write("D/notes.txt", "mine\n");
  auto child = start_long_run();
  std::this_thread::sleep_for(1500ms);
  ASSERT_EQ(::kill(child->pid(), SIGINT), 0);
  const Result r = child->wait(60s);
  EXPECT_EQ(r.exit_code, 130) << r;
  EXPECT_EQ(entries(at("D")), std::vector<std::string>{"notes.txt"});
}

// ---------------------------------------------------------------------------
// 10. Runtime and I/O failures: exit 1
// ---------------------------------------------------------------------------

using CliIoFailure = CliTest;

TEST_F(CliIoFailure, OutUnderARegularFileExits1) {
  write("file", "not a folder\n");
  const Result r = cli(with(kQuickDefault, {"--out", "file/D"}));
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(r.err.starts_with("talentsim: error: ")) << r.err;
  EXPECT_NE(r.err.find("file/D"), std::string::npos) << r.err;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"file"});
  EXPECT_EQ(slurp(at("file")), "not a folder\n");
}

TEST_F(CliIoFailure, OutNamingARegularFileExits1AndLeavesItAlone) {
  write("file", "not a folder\n");
  const Result r = cli(with(kQuickDefault, {"--out", "file"}));
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("file"), std::string::npos) << r.err;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"file"});
  EXPECT_EQ(slurp(at("file")), "not a folder\n");
}

// ---------------------------------------------------------------------------
// Progress bar, help and version
// ---------------------------------------------------------------------------

using CliProgress = CliTest;

/// A pseudo-terminal's master side, closed on destruction.
struct Terminal {
  int master = -1;
  Terminal() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master >= 0 && (::grantpt(master) != 0 || ::unlockpt(master) != 0)) {
      ::close(master);
      master = -1;
    }
  }
  ~Terminal() {
    if (master >= 0) ::close(master);
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
};

TEST_F(CliProgress, BarOnlyWhenStderrIsATerminalAndNotQuiet) {
  {
    Terminal tty;
    if (tty.master < 0) GTEST_SKIP() << "no pseudo-terminals here";
    std::vector<std::string> loud = kQuickDefault;
    loud.pop_back();  // --quiet
    const Result r = start(with(loud, {"--out", "loud"}), tty.master)->wait();
    const std::string last_week =
        "week " + std::to_string(kDefault.quick_ticks) + "/" + std::to_string(kDefault.quick_ticks);
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_NE(r.tty.find(last_week), std::string::npos) << "terminal got: " << r.tty;
    EXPECT_EQ(r.out.find("week "), std::string::npos) << "the bar belongs on stderr";
    EXPECT_NE(r.out.find("headcount"), std::string::npos) << "the summary stays on stdout";
  }
  {
    Terminal tty;
    const Result r = start(with(kQuickDefault, {"--out", "quiet"}), tty.master)->wait();
    EXPECT_EQ(r.exit_code, 0) << r;
    EXPECT_EQ(r.tty, "") << "--quiet: nothing on the terminal";
  }
}

using CliUsage = CliTest;

TEST_F(CliUsage, HelpAndVersionExit0) {
  Result r = cli({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("run"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("validate"), std::string::npos) << r.out;

  r = cli({"run", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  for (const char* flag :
       {"--out", "--seed", "--threads", "--ticks", "--set", "--agents", "--quiet", "--force"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  // Real types, not CLI11's TEXT for the strings the flags are read into.
  for (const char* shown : {"--seed UINT", "--threads UINT", "--ticks UINT", "--out DIR",
                            "--set KEY=VALUE", "FILE|default"})
    EXPECT_NE(r.out.find(shown), std::string::npos) << shown << " in\n" << r.out;
  EXPECT_EQ(r.out.find("TEXT"), std::string::npos) << r.out;

  r = cli({"validate", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  for (const char* shown : {"--seed UINT", "--ticks UINT", "--set KEY=VALUE", "FILE|default"})
    EXPECT_NE(r.out.find(shown), std::string::npos) << shown << " in\n" << r.out;
  EXPECT_EQ(r.out.find("TEXT"), std::string::npos) << r.out;

  r = cli({"bench", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r;
  for (const char* shown : {"--researchers UINT", "--firms UINT", "--ticks UINT", "--threads UINT"})
    EXPECT_NE(r.out.find(shown), std::string::npos) << shown << " in\n" << r.out;
  EXPECT_EQ(r.out.find("TEXT"), std::string::npos) << r.out;

  r = cli({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r;
  const Result run = cli(with(kQuickDefault, {"--out", "D"}));
  expect_finished(run, "D");
  const auto version = json::parse(slurp(at("D/summary.json")))["version"].get<std::string>();
  EXPECT_NE(r.out.find(version), std::string::npos) << r.out << " vs " << version;
  EXPECT_EQ(entries(work_), std::vector<std::string>{"D"});
}

}  // namespace

// ---------------------------------------------------------------------------
// 11. talentsim bench
// ---------------------------------------------------------------------------

using CliBench = CliTest;

TEST_F(CliBench, JsonSweepReportsEveryThreadCountWithOneStateHash) {
  const Result r = cli({"bench", "--researchers", "20000", "--ticks", "6", "--firms", "5",
                        "--threads-sweep", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["researchers"], 20000);
  EXPECT_EQ(j["firms"], 5);
  EXPECT_EQ(j["ticks"], 6);
  EXPECT_TRUE(j["state_hash_identical"].get<bool>());
  ASSERT_GE(j["runs"].size(), 1u);
  EXPECT_EQ(j["runs"][0]["threads"], 1);
  EXPECT_EQ(j["runs"][0]["speedup"], 1.0);
  for (const auto& run : j["runs"]) {
    EXPECT_GT(run["agent_ticks_per_second"].get<double>(), 0.0);
    EXPECT_GT(run["roofline_ratio"].get<double>(), 0.0);
    EXPECT_EQ(run["state_hash"], j["runs"][0]["state_hash"]);
    for (const char* phase : {"wellbeing", "events", "decisions", "moves", "reactions", "metrics"})
      EXPECT_TRUE(run["phase_ns_per_agent_tick"].contains(phase)) << phase;
  }
  EXPECT_GT(j["peak_bytes_per_researcher"].get<double>(), 0.0);
  EXPECT_TRUE(fs::is_empty(work_)) << "bench writes no files";
}

TEST_F(CliBench, TextReportHasTheTableAndTheRoofline) {
  const Result r = cli({"bench", "--researchers", "10000", "--ticks", "4", "--threads", "1"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("agent-ticks/s"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("roofline"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bytes per researcher"), std::string::npos) << r.out;
}

TEST_F(CliBench, BadValuesExit2) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"bench", "--researchers", "0"},
        std::vector<std::string>{"bench", "--researchers", "abc"},
        std::vector<std::string>{"bench", "--firms", "0"},
        std::vector<std::string>{"bench", "--ticks", "-3"},
        std::vector<std::string>{"bench", "--threads", "0"},
        std::vector<std::string>{"bench", "--threads", "2", "--threads-sweep"}}) {
    const Result r = cli(args);
    EXPECT_EQ(r.exit_code, 2) << r;
    EXPECT_EQ(r.out, "") << r;
  }
}
