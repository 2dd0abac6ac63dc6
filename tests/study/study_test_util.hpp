// Helpers shared by the study tests: running the real binary, temporary folders, and a
// plain CSV reader for recomputing metrics by hand.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace talentsim::study_test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void spit(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

/// A fresh folder under the system's temporary folder, removed at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("talentsim-study-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

inline std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.exit_code << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n"
            << r.err << "--------------\n";
}

/// Runs the talentsim binary with `args` (each quoted for the shell), in `cwd`.
inline Result talentsim(const std::vector<std::string>& args, const fs::path& cwd) {
  std::string command = "cd " + quoted(cwd.string()) + " && " + quoted(TALENTSIM_BINARY);
  for (const auto& a : args) command += " " + quoted(a);
  const fs::path out = cwd / ".stdout", err = cwd / ".stderr";
  command += " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  Result r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

/// A CSV file by column name, as plain text: the test's own arithmetic reads this.
class Csv {
 public:
  explicit Csv(const fs::path& path) {
    std::istringstream in(slurp(path));
    std::string line;
    bool header = true;
    while (std::getline(in, line)) {
      std::vector<std::string> fields;
      std::size_t start = 0;
      for (;;) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(line.substr(start, comma == std::string::npos ? comma : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      if (header) {
        for (std::size_t i = 0; i < fields.size(); ++i) columns_[fields[i]] = i;
        header = false;
      } else {
        rows_.push_back(std::move(fields));
      }
    }
  }
  [[nodiscard]] const std::vector<std::vector<std::string>>& rows() const { return rows_; }
  [[nodiscard]] const std::string& at(const std::vector<std::string>& row,
                                      const std::string& column) const {
    return row.at(columns_.at(column));
  }
  [[nodiscard]] double number(const std::vector<std::string>& row,
                              const std::string& column) const {
    return std::stod(at(row, column));
  }

 private:
  std::map<std::string, std::size_t> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace talentsim::study_test
