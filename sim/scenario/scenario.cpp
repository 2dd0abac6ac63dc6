#include "talentsim/scenario/scenario.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <system_error>
#include <unordered_map>

#include "read.hpp"
#include "rules.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/study/metric.hpp"
#include "yaml_tree.hpp"

namespace talentsim {

namespace embedded {
extern const std::string_view kDefaultScenario;  // generated from scenarios/meta_2024.yaml
}  // namespace embedded

namespace {

/// Scenario files are small text; anything bigger is a mistake.
constexpr std::size_t kMaxScenarioBytes = 16u << 20;

std::string read_scenario_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw ScenarioError({name}, "", "is a directory, not a scenario file");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int error = errno != 0 ? errno : ENOENT;
    throw ScenarioError({name}, "", "cannot read file: " + std::generic_category().message(error));
  }
  std::string text;
  char buffer[1 << 16];
  // Read in chunks rather than trusting the size: the path may name a pipe.
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxScenarioBytes)
      throw ScenarioError({name}, "", "is larger than 16 MiB; scenario files are small text");
  }
  if (in.bad()) throw ScenarioError({name}, "", "cannot read file: read error");
  return text;
}

/// Deepest chain of `extends:` followed; deeper is almost surely a cycle.
constexpr int kMaxExtendsDepth = 8;

using scenario_internal::Node;
using scenario_internal::NodeKind;
using scenario_internal::NodePtr;

/// The id of a firm map, or empty.
std::string firm_id(const Node& firm) {
  const Node* id = firm.kind == NodeKind::kMap ? firm.find("id") : nullptr;
  return id != nullptr && id->kind == NodeKind::kScalar ? id->text : std::string();
}

/// Rejects what merging would hide: a key given twice in one map, or a firm id listed twice,
/// anywhere merging reaches (maps, and the firm list). A standalone file gets the same
/// errors from the reader; this gives them to both files of an `extends:`, before the
/// merge keeps only the last value. Other lists (events) are taken whole, so the reader
/// still sees their duplicates.
void check_no_duplicates(const Node& node, const std::string& path, bool firm_list) {
  using scenario_internal::duplicate_key_problem;
  using scenario_internal::fail_at;
  using scenario_internal::firm_key_path;
  using scenario_internal::join_key;
  if (node.kind == NodeKind::kMap) {
    std::unordered_map<std::string_view, const Node*> seen;
    for (const auto& [key, value] : node.entries) {
      if (key->kind != NodeKind::kScalar) continue;  // the reader rejects it
      const auto [it, inserted] = seen.emplace(key->text, key.get());
      if (!inserted)
        fail_at(*key, join_key(path, key->text), duplicate_key_problem(key->text, *it->second));
      check_no_duplicates(*value, join_key(path, key->text), key->text == "firms");
    }
    return;
  }
  if (!firm_list || node.kind != NodeKind::kSequence) return;
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& firm = *node.items[i];
    const std::string id = firm_id(firm);
    if (!id.empty()) {
      const auto [it, inserted] = first_index.emplace(id, i);
      if (!inserted)
        fail_at(*firm.find("id"), "firms[" + std::to_string(i) + "].id",
                "duplicate firm id '" + id + "' (also firms[" + std::to_string(it->second) + "])");
    }
    check_no_duplicates(firm, firm_key_path(id, i), false);
  }
}

/// `child` laid over `base`, without changing either (aliased nodes stay shared):
/// maps merge key by key, the firm list merges by firm id (new ids are appended),
/// anything else in the child replaces what the base has.
NodePtr merged(const NodePtr& base, const NodePtr& child, bool firm_list) {
  if (base->kind == NodeKind::kMap && child->kind == NodeKind::kMap) {
    auto out = std::make_shared<Node>(*base);
    for (const auto& [key, value] : child->entries) {
      // (key captured by name: clang before 16 cannot capture a structured binding)
      auto it =
          std::find_if(out->entries.begin(), out->entries.end(), [&, &key = key](const auto& e) {
            return e.first->kind == NodeKind::kScalar && key->kind == NodeKind::kScalar &&
                   e.first->text == key->text;
          });
      if (it == out->entries.end())
        out->entries.emplace_back(key, value);
      else
        it->second = merged(it->second, value, key->text == "firms");
    }
    return out;
  }
  if (firm_list && base->kind == NodeKind::kSequence && child->kind == NodeKind::kSequence) {
    auto out = std::make_shared<Node>(*base);
    for (const auto& item : child->items) {
      const std::string id = firm_id(*item);
      auto it = std::find_if(out->items.begin(), out->items.end(),
                             [&](const NodePtr& f) { return !id.empty() && firm_id(*f) == id; });
      if (it == out->items.end())
        out->items.push_back(item);
      else
        *it = merged(*it, item, false);
    }
    return out;
  }
  return child;
}

/// Resolves `LIST+: [...]` at the top of `root` (LIST is `events` or `targets`): its
/// items are appended to the list `LIST` holds so far (the base's when extending, or this
/// file's own, given first), and the key is removed. Shared nodes are copied, not changed.
void append_list(Node& root, const std::string& list_key) {
  using scenario_internal::describe_node;
  using scenario_internal::duplicate_key_problem;
  using scenario_internal::fail_at;
  const std::string append_key = list_key + "+";
  const auto is_key = [](const auto& entry, std::string_view key) {
    return entry.first->kind == NodeKind::kScalar && entry.first->text == key;
  };
  std::vector<std::pair<NodePtr, NodePtr>> kept;
  std::vector<std::pair<NodePtr, NodePtr>> appends;
  for (const auto& entry : root.entries)
    (is_key(entry, append_key) ? appends : kept).push_back(entry);
  if (appends.empty()) return;
  if (appends.size() > 1)
    fail_at(*appends[1].first, append_key, duplicate_key_problem(append_key, *appends[0].first));
  const auto& [key, added] = appends.front();
  if (added->kind != NodeKind::kSequence)
    fail_at(*added, append_key,
            "expected a list of " + list_key + " to append, got " + describe_node(*added));
  auto existing = std::find_if(kept.begin(), kept.end(),
                               [&](const auto& entry) { return is_key(entry, list_key); });
  if (existing == kept.end()) {
    auto name = std::make_shared<Node>(*key);
    name->text = list_key;
    kept.emplace_back(std::move(name), added);
  } else {
    const Node& list = *existing->second;
    if (list.kind != NodeKind::kSequence)
      fail_at(list, list_key, "expected a list, got " + describe_node(list));
    auto joined = std::make_shared<Node>(list);
    joined->items.insert(joined->items.end(), added->items.begin(), added->items.end());
    existing->second = std::move(joined);
  }
  root.entries = std::move(kept);
}

/// `events+:` and `targets+:`.
void append_events(Node& root) {
  append_list(root, "events");
  append_list(root, "targets");
}

/// Parses a scenario document and resolves its `extends:` chain into one tree.
NodePtr load_tree(std::string_view yaml, const std::string& source,
                  const std::filesystem::path& base_dir, int depth) {
  using namespace scenario_internal;
  NodePtr root = parse_yaml(yaml, std::make_shared<const std::string>(source), true);
  if (root == nullptr) throw ScenarioError({source, 1, 1}, "", "the scenario is empty");
  if (root->kind == NodeKind::kNull) fail_at(*root, "", "the scenario is empty");
  if (root->kind != NodeKind::kMap)
    fail_at(*root, "", "a scenario is a map of keys, got " + describe_node(*root));
  const auto ext = std::find_if(root->entries.begin(), root->entries.end(), [](const auto& e) {
    return e.first->kind == NodeKind::kScalar && e.first->text == "extends";
  });
  if (ext == root->entries.end()) {
    append_events(*root);
    return root;
  }
  const Node& target = *ext->second;
  if (target.kind != NodeKind::kScalar || target.text.empty())
    fail_at(target, "extends",
            "expected the path of a base scenario (or 'default'), got " + describe_node(target));
  if (depth >= kMaxExtendsDepth)
    fail_at(target, "extends",
            "more than " + std::to_string(kMaxExtendsDepth) +
                " scenarios extend each other; is there a cycle?");
  NodePtr base;
  if (target.text == "default") {
    base = load_tree(default_scenario_text(), std::string(kDefaultScenarioSource), base_dir,
                     depth + 1);
  } else {
    const std::filesystem::path path = base_dir / target.text;
    std::string text;
    try {
      text = read_scenario_file(path);
    } catch (const ScenarioError& e) {
      fail_at(target, "extends", "cannot use base scenario " + path.string() + ": " + e.problem());
    }
    base = load_tree(text, path.string(), path.parent_path(), depth + 1);
  }
  check_no_duplicates(*root, "", false);
  check_no_duplicates(*base, "", false);
  auto child = std::make_shared<Node>(*root);
  child->entries.erase(child->entries.begin() + (ext - root->entries.begin()));
  NodePtr out = merged(base, child, false);
  append_events(*out);
  return out;
}

}  // namespace

std::string_view default_scenario_text() { return embedded::kDefaultScenario; }

namespace {
Scenario load_scenario_from(std::string_view yaml, const std::string& source,
                            const std::filesystem::path& base_dir,
                            const std::vector<std::string>& overrides) {
  using namespace scenario_internal;
  const NodePtr root = load_tree(yaml, source, base_dir, 0);
  // Overrides change the tree before it is read, so they are checked exactly like the file.
  for (const auto& argument : overrides) apply_override(*root, argument);
  append_events(*root);  // --set 'events+=[...]', --set 'targets+=[...]'
  Scenario scenario = read_scenario(*root);
  resolve_recruiting_shares(scenario);
  check_scenario(
      scenario, [&root](std::string_view path) { return locate(*root, path); },
      [&root](std::string_view path) { return origin(*root, path); }, source);
  return scenario;
}
}  // namespace

Scenario load_scenario(std::string_view yaml, const std::string& source,
                       const std::vector<std::string>& overrides) {
  return load_scenario_from(yaml, source, std::filesystem::current_path(), overrides);
}

Scenario load_scenario_file(const std::filesystem::path& path,
                            const std::vector<std::string>& overrides) {
  return load_scenario_from(read_scenario_file(path), path.string(), path.parent_path(), overrides);
}

std::vector<std::size_t> events_not_reached(const Scenario& scenario) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < scenario.events.size(); ++i)
    if (scenario.events[i].week > scenario.ticks) out.push_back(i);
  return out;
}

std::vector<std::size_t> targets_not_reached(const Scenario& scenario) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < scenario.targets.size(); ++i)
    if (parse_metric(scenario.targets[i].metric).last_week() > scenario.ticks) out.push_back(i);
  return out;
}

void validate(const Scenario& scenario) {
  scenario_internal::check_scenario(scenario,
                                    [](std::string_view /*path*/) { return SourceLocation{}; });
}

}  // namespace talentsim
