#include "read.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <vector>

#include "rules.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/study/metric.hpp"

namespace talentsim::scenario_internal {
namespace {

/// Deepest nesting of maps under an event's `set` (firm keys are two levels deep).
constexpr int kMaxSettingDepth = 8;

/// The first missing required key, reported only once the rest of the input has been read:
/// a missing key is often a misspelt one, better reported as an unknown key.
using PendingError = std::optional<ScenarioError>;

NodePtr make_node(NodeKind kind, const std::shared_ptr<const std::string>& source,
                  std::string text = {}) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->text = std::move(text);
  node->source = source;
  return node;
}

[[noreturn]] void reject(const Node& node, const std::string& path, std::string_view expected) {
  fail_at(node, path, std::string(expected) + ", got " + describe_node(node));
}

void expect_kind(const Node& node, NodeKind kind, const std::string& path) {
  if (node.kind != kind)
    reject(node, path, kind == NodeKind::kMap ? "expected a map of keys" : "expected a list");
}

void expect_text_key(const Node& key, const std::string& map_path) {
  if (key.kind != NodeKind::kScalar) reject(key, map_path, "a key must be plain text");
}

const std::string& scalar_text(const Node& node, const std::string& path,
                               std::string_view expected) {
  if (node.kind != NodeKind::kScalar) reject(node, path, expected);
  return node.text;
}

/// Keys must be text, and unique (yaml-cpp keeps both copies of a repeated key).
void check_keys(const Node& map, const std::string& path) {
  std::unordered_map<std::string_view, const Node*> seen;
  for (const auto& [key, value] : map.entries) {
    expect_text_key(*key, path);
    const auto [it, inserted] = seen.emplace(key->text, key.get());
    if (!inserted)
      fail_at(*key, join_key(path, key->text), duplicate_key_problem(key->text, *it->second));
  }
}

/// Integers may be written as integral floats: 1e6, 100000.0.
std::optional<std::int64_t> integral_value(std::string_view text) {
  if (const auto i = parse_int(text)) return i;
  const auto x = parse_double(text);
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!x || std::trunc(*x) != *x || *x < -kLimit || *x >= kLimit) return std::nullopt;
  return static_cast<std::int64_t>(*x);
}

std::optional<std::uint64_t> unsigned_value(std::string_view text) {
  if (const auto u = parse_uint(text)) return u;
  const auto x = parse_double(text);
  constexpr double kLimit = 18446744073709551616.0;  // 2^64
  if (!x || std::trunc(*x) != *x || *x < 0.0 || *x >= kLimit) return std::nullopt;
  return static_cast<std::uint64_t>(*x);
}

double read_number(const Node& node, const std::string& path, const Range& range) {
  constexpr std::string_view kExpected = "expected a finite number";
  const std::string& text = scalar_text(node, path, kExpected);
  const auto x = parse_double(text);
  if (!x) reject(node, path, kExpected);
  if (const auto problem = number_problem(*x, range, text)) fail_at(node, path, *problem);
  return *x;
}

void flatten_settings(const Node& map, const std::string& path, const std::string& prefix,
                      int depth, std::vector<Setting>& out,
                      std::unordered_map<std::string, const Node*>& first_key) {
  expect_kind(map, NodeKind::kMap, join_key(path, prefix));
  for (const auto& [key_node, value] : map.entries) {
    expect_text_key(*key_node, join_key(path, prefix));
    const std::string key = join_key(prefix, key_node->text);
    const std::string full = join_key(path, key);
    if (value->kind == NodeKind::kMap) {
      if (depth >= kMaxSettingDepth) fail_at(*value, full, "is nested too deeply");
      flatten_settings(*value, path, key, depth + 1, out, first_key);
      continue;
    }
    if (value->kind == NodeKind::kSequence)
      fail_at(*value, full, "expected a single value, got a list");
    // `hiring.lag_weeks: 2` and `hiring: {lag_weeks: 3}` are the same key.
    const auto [it, inserted] = first_key.emplace(key, key_node.get());
    if (!inserted) fail_at(*key_node, full, duplicate_key_problem(key, *it->second));
    out.push_back({key, value->kind == NodeKind::kNull ? "null" : value->text});
  }
}

template <class T>
void read_map(const Node& map, const std::string& path, T& out, PendingError& missing);

/// Reads the keys of one YAML map into a struct, through its visit_fields.
class ReadVisitor {
 public:
  ReadVisitor(const Node& map, std::string path, PendingError& missing)
      : map_(map), path_(std::move(path)), missing_(missing) {}

  void number(std::string_view key, double& x, Range range, std::string_view /*doc*/,
              Need need = Need::kOptional) {
    if (const Node* node = claim(key, need)) x = read_number(*node, key_path(key), range);
  }
  void optional_number(std::string_view key, std::optional<double>& x, Range range,
                       std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    if (node->kind == NodeKind::kNull)
      x.reset();
    else
      x = read_number(*node, key_path(key), range);
  }
  template <class Int>
  void integer(std::string_view key, Int& x, IntRange range, std::string_view /*doc*/,
               Need need = Need::kOptional) {
    const Node* node = claim(key, need);
    if (node == nullptr) return;
    const std::string path = key_path(key);
    constexpr std::string_view kExpected = "expected an integer";
    const std::string& text = scalar_text(*node, path, kExpected);
    const auto value = integral_value(text);
    if (!value) reject(*node, path, kExpected);
    if (const auto problem = integer_problem(*value, range, text)) fail_at(*node, path, *problem);
    x = static_cast<Int>(*value);
  }
  void seed(std::string_view key, std::uint64_t& x, std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    constexpr std::string_view kExpected = "expected an integer in [0, 2^64-1]";
    const std::string path = key_path(key);
    const auto value = unsigned_value(scalar_text(*node, path, kExpected));
    if (!value) reject(*node, path, kExpected);
    x = *value;
  }
  void boolean(std::string_view key, bool& x, std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    constexpr std::string_view kExpected = "expected true or false";
    const std::string path = key_path(key);
    const auto value = parse_bool(scalar_text(*node, path, kExpected));
    if (!value) reject(*node, path, kExpected);
    x = *value;
  }
  void text(std::string_view key, std::string& x, TextRule rule, std::string_view /*doc*/,
            Need need = Need::kOptional) {
    const Node* node = claim(key, need);
    if (node == nullptr) return;
    const std::string path = key_path(key);
    const std::string& value = scalar_text(
        *node, path, rule == TextRule::kIdentifier ? "expected an identifier" : "expected text");
    if (const auto problem = text_problem(value, rule)) fail_at(*node, path, *problem);
    x = value;
  }
  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& x,
                   const std::array<std::pair<E, std::string_view>, N>& names,
                   std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    const std::string path = key_path(key);
    const std::string expected = expected_enum(names);
    const std::string& value = scalar_text(*node, path, expected);
    std::vector<std::string> options;
    for (const auto& [e, name] : names) {
      if (name == value) {
        x = e;
        return;
      }
      options.emplace_back(name);
    }
    fail_at(*node, path, expected + ", got " + describe_node(*node), closest_match(value, options));
  }
  template <class T>
  void section(std::string_view key, T& sub, std::string_view /*doc*/) {
    if (const Node* node = claim(key)) {
      read_map(*node, key_path(key), sub, missing_);
      return;
    }
    // An absent section still has its required keys, reported at the enclosing map.
    Node empty;
    empty.kind = NodeKind::kMap;
    empty.source = map_.source;
    empty.line = map_.line;
    empty.column = map_.column;
    read_map(empty, key_path(key), sub, missing_);
  }
  void interval(std::string_view key, std::optional<std::array<double, 2>>& x,
                std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    const std::string path = key_path(key);
    if (node->kind == NodeKind::kNull) {
      x.reset();
      return;
    }
    if (node->kind != NodeKind::kSequence || node->items.size() != 2)
      reject(*node, path, "expected [lo, hi], a list of two numbers");
    const double lo = read_number(*node->items[0], path + "[0]", Range::any());
    const double hi = read_number(*node->items[1], path + "[1]", Range::any());
    if (lo > hi)
      fail_at(*node, path,
              "the range's low end comes first, got [" + node->items[0]->text + ", " +
                  node->items[1]->text + "]");
    x = std::array<double, 2>{lo, hi};
  }
  void settings(std::string_view key, std::vector<Setting>& out, std::string_view /*doc*/) {
    const Node* node = claim(key);
    if (node == nullptr) return;
    std::unordered_map<std::string, const Node*> first_key;
    out.clear();
    flatten_settings(*node, key_path(key), "", 0, out, first_key);
  }

  /// Notes `key` as valid here and returns its value, or null when it is absent.
  const Node* claim(std::string_view key, Need need = Need::kOptional) {
    known_.emplace_back(key);
    const Node* node = map_.find(key);
    if (node == nullptr && need == Need::kRequired && !missing_)
      missing_.emplace(map_.where(), key_path(key),
                       "missing required key '" + std::string(key) + "'");
    return node;
  }

  /// Throws at the first key that nothing claimed.
  void reject_unknown_keys() const {
    for (const auto& [key, value] : map_.entries) {
      if (std::find(known_.begin(), known_.end(), key->text) != known_.end()) continue;
      fail_at(*key, key_path(key->text), "unknown key '" + key->text + "'",
              closest_match(key->text, known_));
    }
  }

 private:
  [[nodiscard]] std::string key_path(std::string_view key) const { return join_key(path_, key); }

  const Node& map_;
  std::string path_;
  PendingError& missing_;
  std::vector<std::string> known_;
};

template <class T>
void read_map(const Node& map, const std::string& path, T& out, PendingError& missing) {
  expect_kind(map, NodeKind::kMap, path);
  check_keys(map, path);
  ReadVisitor visitor(map, path, missing);
  visit_fields(visitor, out);
  visitor.reject_unknown_keys();
}

std::vector<FirmParams> read_firms(const Node& list, PendingError& missing) {
  expect_kind(list, NodeKind::kSequence, "firms");
  std::vector<FirmParams> firms(list.items.size());
  for (std::size_t i = 0; i < firms.size(); ++i) {
    const Node& item = *list.items[i];
    const Node* id = item.kind == NodeKind::kMap ? item.find("id") : nullptr;
    const bool has_text_id = id != nullptr && id->kind == NodeKind::kScalar;
    read_map(item, firm_key_path(has_text_id ? id->text : "", i), firms[i], missing);
  }
  return firms;
}

std::vector<Event> read_events(const Node& list, PendingError& missing) {
  expect_kind(list, NodeKind::kSequence, "events");
  std::vector<Event> events(list.items.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Node& item = *list.items[i];
    const std::string path = "events[" + std::to_string(i) + "]";
    expect_kind(item, NodeKind::kMap, path);
    // The type decides which keys the event has, so it cannot default.
    if (item.find("type") == nullptr) fail_at(item, path + ".type", "missing required key 'type'");
    read_map(item, path, events[i], missing);
  }
  return events;
}

std::vector<Target> read_targets(const Node& list, PendingError& missing) {
  expect_kind(list, NodeKind::kSequence, "targets");
  std::vector<Target> targets(list.items.size());
  for (std::size_t i = 0; i < targets.size(); ++i)
    read_map(*list.items[i], "targets[" + std::to_string(i) + "]", targets[i], missing);
  return targets;
}

/// Parses each target's metric and checks it against the scenario's firms, with errors
/// placed inside the metric's text. A window past `ticks` is not an error here: --ticks
/// may shorten a run (`talentsim validate` notes it; `talentsim check` refuses it).
void check_target_metrics(const Node& list, const Scenario& scenario) {
  std::vector<std::string> ids;
  for (const FirmParams& f : scenario.firms) ids.push_back(f.id);
  for (std::size_t i = 0; i < scenario.targets.size(); ++i) {
    const Node* node = list.items[i]->find("metric");
    try {
      check_metric(parse_metric(scenario.targets[i].metric), ids, kMaxTicks);
    } catch (const MetricError& e) {
      SourceLocation where = node->where();
      if (node->text_column > 0) where.column = node->text_column + e.column() - 1;
      throw ScenarioError(where, "targets[" + std::to_string(i) + "].metric",
                          e.reason() + " (in '" + e.text() + "')", e.suggestion());
    }
  }
}

}  // namespace

std::string duplicate_key_problem(const std::string& key, const Node& first) {
  std::string problem = "duplicate key '" + key + "'";
  if (first.line > 0) problem += " (first at line " + std::to_string(first.line) + ")";
  return problem;
}

Scenario read_scenario(const Node& root) {
  PendingError missing;
  Scenario scenario;
  expect_kind(root, NodeKind::kMap, "");
  check_keys(root, "");
  ReadVisitor top(root, "", missing);
  visit_fields(top, scenario);
  if (const Node* firms = top.claim("firms")) scenario.firms = read_firms(*firms, missing);
  if (const Node* events = top.claim("events")) scenario.events = read_events(*events, missing);
  const Node* targets = top.claim("targets");
  if (targets != nullptr) scenario.targets = read_targets(*targets, missing);
  top.reject_unknown_keys();
  if (missing) throw *missing;
  if (targets != nullptr) check_target_metrics(*targets, scenario);
  return scenario;
}

void apply_override(Node& root, const std::string& argument) {
  const auto source = std::make_shared<const std::string>("--set " + argument);
  const SourceLocation flag{*source, 0, 0};
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos)
    throw ScenarioError(flag, "", "expected KEY=VALUE, e.g. population.researchers=5000");
  const std::string key = argument.substr(0, equals);
  if (key.empty()) throw ScenarioError(flag, "", "expected KEY=VALUE; the key is empty");
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? dot : dot - start));
    if (parts.back().empty()) throw ScenarioError(flag, key, "a part of the key is empty");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }

  NodePtr value;
  try {
    value = parse_yaml(std::string_view(argument).substr(equals + 1), source, false);
  } catch (const ScenarioError& e) {
    throw ScenarioError(flag, key, e.problem(), e.suggestion());
  }
  if (!value) value = make_node(NodeKind::kNull, source);

  Node* node = &root;
  std::string path;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    NodePtr* slot = nullptr;
    if (node->kind == NodeKind::kSequence && path == "firms") {
      std::vector<std::string> ids;
      for (auto& item : node->items) {
        const Node* id = item->kind == NodeKind::kMap ? item->find("id") : nullptr;
        if (id == nullptr || id->kind != NodeKind::kScalar) continue;
        if (id->text == part) slot = &item;
        ids.push_back(id->text);
      }
      if (slot == nullptr)
        throw ScenarioError(flag, "firms." + part, "unknown firm id '" + part + "'",
                            closest_match(part, ids));
      path += "." + part;
    } else if (node->kind == NodeKind::kSequence) {
      const auto index = parse_uint(part);
      if (!index || *index >= node->items.size()) {
        std::string message = "expected an index below ";
        message += std::to_string(node->items.size());
        message += " into ";
        message += path;
        message += ", got '";
        message += part;
        message += "'";
        std::string where = path;
        where += ".";
        where += part;
        throw ScenarioError(flag, where, message);
      }
      slot = &node->items[*index];
      path += "[" + part + "]";
    } else if (node->kind == NodeKind::kMap) {
      for (auto& [k, v] : node->entries)
        if (slot == nullptr && k->kind == NodeKind::kScalar && k->text == part) slot = &v;
      if (slot == nullptr) {
        node->entries.emplace_back(make_node(NodeKind::kScalar, source, part),
                                   make_node(NodeKind::kNull, source));
        slot = &node->entries.back().second;
      }
      path = join_key(path, part);
    } else {
      throw ScenarioError(
          flag, path, "is " + describe_node(*node) + ", not a map, so '" + key + "' cannot be set");
    }

    if (i + 1 == parts.size()) {
      *slot = value;
      return;
    }
    // Aliases share nodes: change only this copy.
    if (slot->use_count() > 1) *slot = std::make_shared<Node>(**slot);
    if ((*slot)->kind == NodeKind::kNull) *slot = make_node(NodeKind::kMap, source);
    node = slot->get();
  }
}

}  // namespace talentsim::scenario_internal
