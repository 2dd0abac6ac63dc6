// scripts/quickstart.sh and scripts/install-deps.sh: stdout carries only the run's
// results; installation and build chatter stay off it, and a failed build or apt call
// shows its own messages on stderr.
//
// Each test copies the two scripts into a scratch tree and puts stubs first on PATH:
// `cmake` (the build), `dpkg-query`, `apt-get` and `sudo` (the installation), and
// build/release/talentsim (the run), so no real build or installation happens.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = TALENTSIM_SOURCE_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_executable(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
}

struct ScriptResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::ostream& operator<<(std::ostream& os, const ScriptResult& r) {
  return os << "exit " << r.exit_code << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n"
            << r.err << "--------------\n";
}

class QuickstartScript : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::path(::testing::TempDir()) / "talentsim-scripts-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    root_ = pattern;
    for (const char* script : {"quickstart.sh", "install-deps.sh"}) {
      fs::create_directories(root_ / "repo/scripts");
      fs::copy_file(kSourceDir / "scripts" / script, root_ / "repo/scripts" / script);
    }
    // Every package installed, a build that succeeds after some chatter, a run that
    // prints its arguments.
    stub("dpkg-query", "printf 'install ok installed'\n");
    stub("cmake", "echo '[1/63] Building CXX object core/error.cpp.o'\necho 'Build finished'\n");
    stub("apt-get", "echo \"Reading package lists... ($*)\"\n");
    stub("sudo", "exec \"$@\"\n");
    write_executable(root_ / "repo/build/release/talentsim",
                     "#!/bin/sh\necho \"results of: talentsim $*\"\n");
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(root_);
  }

  void stub(const std::string& name, const std::string& body) {
    write_executable(root_ / "bin" / name, "#!/bin/sh\n" + body);
  }

  ScriptResult quickstart(const std::string& args) {
    const fs::path out = root_ / "stdout", err = root_ / "stderr";
    const std::string command = "PATH='" + (root_ / "bin").string() + "':\"$PATH\" '" +
                                (root_ / "repo/scripts/quickstart.sh").string() + "' " + args +
                                " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    ScriptResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
  }

  fs::path root_;
};

TEST_F(QuickstartScript, StdoutCarriesOnlyTheRun) {
  const ScriptResult r = quickstart("--seed 7");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out.rfind("results of: talentsim run --seed 7", 0), 0u) << r;
  EXPECT_EQ(r.out.find("Build"), std::string::npos) << r;
  EXPECT_EQ(r.err.find("Build"), std::string::npos) << "a good build stays quiet\n" << r;
}

TEST_F(QuickstartScript, ASecondQuickstartReplacesItsOwnRunButNotAChosenFolder) {
  ScriptResult r = quickstart("--seed 7");
  EXPECT_EQ(r.out, "results of: talentsim run --seed 7 --force\n") << r;
  r = quickstart("--out mine");
  EXPECT_EQ(r.out, "results of: talentsim run --out mine\n") << r;
  r = quickstart("--out=mine --agents");
  EXPECT_EQ(r.out, "results of: talentsim run --out=mine --agents\n") << r;
}

TEST_F(QuickstartScript, AFailedBuildShowsTheCompilerMessagesOnStderr) {
  stub("cmake",
       "echo '[2/63] Building CXX object sim/CMakeFiles/talentsim_core.dir/core/error.cpp.o'\n"
       "echo \"sim/core/error.cpp:7:1: error: expected ';' after top level declarator\" >&2\n"
       "echo 'ninja: build stopped: subcommand failed.'\n"
       "exit 1\n");
  const ScriptResult r = quickstart("");
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_NE(r.err.find("error.cpp:7:1: error: expected ';'"), std::string::npos) << r;
  EXPECT_NE(r.err.find("ninja: build stopped"), std::string::npos) << r;
  EXPECT_NE(r.err.find("the build failed"), std::string::npos) << r;
}

TEST_F(QuickstartScript, InstallationChatterStaysOffStdout) {
  // Two packages missing: apt-get runs (through sudo unless root) and talks.
  stub("dpkg-query",
       "case \"$3\" in cmake|ninja-build) ;; *) printf 'install ok installed' ;; esac\n");
  const ScriptResult r = quickstart("--quiet");
  EXPECT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out.rfind("results of: talentsim run --quiet", 0), 0u) << r;
  EXPECT_EQ(r.out.find("Reading package lists"), std::string::npos) << r;
  EXPECT_NE(r.err.find("installing cmake ninja-build"), std::string::npos) << r;
}

TEST_F(QuickstartScript, AFailedInstallationShowsAptsMessagesOnStderr) {
  stub("dpkg-query", "case \"$3\" in cmake) ;; *) printf 'install ok installed' ;; esac\n");
  stub("apt-get",
       "case \"$1\" in install) echo 'E: Unable to locate package cmake' >&2; exit 100 ;; esac\n");
  const ScriptResult r = quickstart("");
  EXPECT_NE(r.exit_code, 0) << r;
  EXPECT_EQ(r.out, "") << r;
  EXPECT_NE(r.err.find("E: Unable to locate package cmake"), std::string::npos) << r;
  EXPECT_EQ(r.err.find("results of"), std::string::npos) << "no run after a failed install";
}

}  // namespace
