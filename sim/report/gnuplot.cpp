// Running gnuplot: a child process started with posix_spawnp (no shell, so nothing in a
// chart's text can reach a command line), the script on stdin from an anonymous
// in-memory file, stdout and stderr read through pipes with poll().
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "talentsim/report/charts.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX, not in a header

namespace talentsim::report {
namespace {

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

[[noreturn]] void fail(const std::string& what) {
  throw Error("gnuplot: " + what + ": " + std::strerror(errno));
}

// posix_spawn file actions, destroyed on scope exit.
class FileActions {
 public:
  FileActions() {
    if (::posix_spawn_file_actions_init(&actions_) != 0) fail("cannot prepare the process");
  }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  void dup2(int from, int to) {
    if (::posix_spawn_file_actions_adddup2(&actions_, from, to) != 0)
      fail("cannot prepare the process");
  }
  [[nodiscard]] const posix_spawn_file_actions_t* get() const { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_{};
};

// The environment for gnuplot: ours with the locale fixed to C, so that numbers are
// written the same way everywhere.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string_view entry(*e);
    if (entry.starts_with("LC_") || entry.starts_with("LANG=") || entry.starts_with("LANGUAGE="))
      continue;
    env.emplace_back(entry);
  }
  env.emplace_back("LC_ALL=C");
  return env;
}

// The script as an anonymous file, rewound, for the child's stdin.
int script_file(const std::string& script) {
  const int fd = ::memfd_create("talentsim-gnuplot-script", MFD_CLOEXEC);
  if (fd < 0) fail("cannot create the script file");
  std::size_t done = 0;
  while (done < script.size()) {
    const ssize_t n = ::write(fd, script.data() + done, script.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      fail("cannot write the script file");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::lseek(fd, 0, SEEK_SET) != 0) {
    ::close(fd);
    fail("cannot rewind the script file");
  }
  return fd;
}

// The last few lines of gnuplot's complaints, for an error message.
std::string tail_of(const std::string& text) {
  constexpr std::size_t kMax = 600;
  std::string t = text.size() > kMax ? "..." + text.substr(text.size() - kMax) : text;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  return t;
}

}  // namespace

GnuplotMissing::GnuplotMissing()
    : Error(
          "gnuplot is not installed (or not on PATH); it draws the report's charts. "
          "Install it: apt-get install gnuplot-nox") {}

std::string run_gnuplot(const std::string& script) {
  const Fd input(script_file(script));
  std::array<int, 2> out_pipe{-1, -1}, err_pipe{-1, -1};
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) fail("cannot create a pipe");
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe.data(), O_CLOEXEC) != 0) fail("cannot create a pipe");
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  FileActions actions;
  actions.dup2(input.get(), STDIN_FILENO);
  actions.dup2(out_write.get(), STDOUT_FILENO);
  actions.dup2(err_write.get(), STDERR_FILENO);

  std::string program = "gnuplot", defaults = "--default-settings";
  std::array<char*, 3> argv{program.data(), defaults.data(), nullptr};
  std::vector<std::string> env_strings = child_environment();
  std::vector<char*> envp;
  envp.reserve(env_strings.size() + 1);
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned =
      ::posix_spawnp(&pid, program.c_str(), actions.get(), nullptr, argv.data(), envp.data());
  if (spawned == ENOENT) throw GnuplotMissing();
  if (spawned != 0) {
    errno = spawned;
    fail("cannot start gnuplot");
  }
  out_write.reset();
  err_write.reset();

  // Both pipes until both close; gnuplot may fill either first.
  std::string svg, errors;
  std::array<pollfd, 2> fds{pollfd{out_read.get(), POLLIN, 0}, pollfd{err_read.get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&svg, &errors};
  int open_pipes = 2;
  std::array<char, 65536> buffer{};
  while (open_pipes > 0) {
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      fail("cannot wait for gnuplot");
    }
    for (std::size_t k = 0; k < fds.size(); ++k) {
      if (fds[k].fd < 0 || fds[k].revents == 0) continue;
      const ssize_t n = ::read(fds[k].fd, buffer.data(), buffer.size());
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0) {
        fds[k].fd = -1;
        --open_pipes;
        continue;
      }
      sinks[k]->append(buffer.data(), static_cast<std::size_t>(n));
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) fail("cannot wait for gnuplot");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    const std::string how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                              : "signal " + std::to_string(WTERMSIG(status));
    throw Error("gnuplot failed (" + how + "): " + tail_of(errors));
  }
  if (svg.find("<svg") == std::string::npos)
    throw Error("gnuplot wrote no SVG: " + tail_of(errors));
  return svg;
}

}  // namespace talentsim::report
