// The small exception hierarchy of talentsim. The library throws; only the CLI
// turns these into messages and exit codes (2 for input, 1 for runtime).
#pragma once

#include <stdexcept>
#include <string>

namespace talentsim {

/// Base of every error the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where in the user's input something is: a file position, or a command-line flag.
struct SourceLocation {
  std::string source;  ///< file name, "<embedded>/meta_2024.yaml", or "--set KEY=VALUE"
  int line = 0;        ///< 1-based; 0 when there is no position (e.g. a flag)
  int column = 0;      ///< 1-based; 0 when unknown

  /// "file:line:column", "file:line", or just "file".
  [[nodiscard]] std::string to_string() const;
};

/// Bad input: a scenario file, a `--set` override or a command-line value.
class ScenarioError : public Error {
 public:
  /// @param where      file position (or flag) of the offending value
  /// @param key_path   dotted key path, firms addressed by id: "firms.meta.pay.median"
  /// @param problem    what is wrong and what was expected
  /// @param suggestion a "did you mean" candidate, empty when there is none
  ScenarioError(SourceLocation where, std::string key_path, std::string problem,
                std::string suggestion = {});

  [[nodiscard]] const SourceLocation& where() const noexcept { return where_; }
  [[nodiscard]] const std::string& key_path() const noexcept { return key_path_; }
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }
  [[nodiscard]] const std::string& suggestion() const noexcept { return suggestion_; }

 private:
  SourceLocation where_;
  std::string key_path_;
  std::string problem_;
  std::string suggestion_;
};

/// The model reached a state it must never reach (a bug, or a check in a checked build).
class ModelError : public Error {
 public:
  using Error::Error;
};

/// Reading or writing files failed (disk full, permissions, ...).
class IoError : public Error {
 public:
  using Error::Error;
};

/// The run was interrupted (SIGINT/SIGTERM) before it finished.
class Cancelled : public Error {
 public:
  Cancelled() : Error("interrupted") {}
};

}  // namespace talentsim
