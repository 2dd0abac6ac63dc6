#include "talentsim/core/error.hpp"

#include "talentsim/core/assert.hpp"

namespace talentsim {

std::string SourceLocation::to_string() const {
  std::string out = source;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  return out;
}

namespace {
std::string format_scenario_error(const SourceLocation& where, const std::string& key_path,
                                  const std::string& problem, const std::string& suggestion) {
  std::string out = where.to_string();
  if (!out.empty()) out += ": ";
  if (!key_path.empty()) out += key_path + ": ";
  out += problem;
  if (!suggestion.empty()) out += " (did you mean '" + suggestion + "'?)";
  return out;
}
}  // namespace

ScenarioError::ScenarioError(SourceLocation where, std::string key_path, std::string problem,
                             std::string suggestion)
    : Error(format_scenario_error(where, key_path, problem, suggestion)),
      where_(std::move(where)),
      key_path_(std::move(key_path)),
      problem_(std::move(problem)),
      suggestion_(std::move(suggestion)) {}

namespace detail {
void assertion_failed(const char* expr, const char* file, int line, const char* msg) {
  throw ModelError(std::string("internal check failed: ") + expr + " (" + msg + ") at " + file +
                   ":" + std::to_string(line));
}
}  // namespace detail

}  // namespace talentsim
