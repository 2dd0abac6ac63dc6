// A small YAML tree built from yaml-cpp's parser events (private to the scenario module).
//
// Why not YAML::Node: we need every node's position and origin (file or --set), duplicate
// keys kept so they can be reported, a bound on alias expansion before anything walks the
// tree, and overrides that change one aliased copy without changing the others.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "talentsim/core/error.hpp"

namespace talentsim::scenario_internal {

/// Most nodes a document may expand to, each alias counted at the full size of its anchor.
inline constexpr std::uint64_t kMaxExpandedNodes = 1'000'000;

enum class NodeKind : std::uint8_t { kNull, kScalar, kSequence, kMap };

struct Node;
using NodePtr = std::shared_ptr<Node>;

/// One YAML node. An alias shares its anchor's node, so an alias bomb costs no memory
/// until walked; apply_override copies a shared node before changing it.
struct Node {
  NodeKind kind = NodeKind::kNull;
  std::string text;                                  ///< scalars: the value as written
  std::vector<NodePtr> items;                        ///< sequences
  std::vector<std::pair<NodePtr, NodePtr>> entries;  ///< maps: in order, duplicates kept
  std::shared_ptr<const std::string> source;         ///< file name or "--set KEY=VALUE"
  int line = 0;                                      ///< 1-based; 0 for --set values
  int column = 0;
  /// Scalars: the column of the text's first character (after an opening quote), when
  /// the source holds the text verbatim on one line; 0 when it does not (escapes, folded
  /// lines). Lets errors point inside a value (a metric).
  int text_column = 0;

  [[nodiscard]] SourceLocation where() const { return {*source, line, column}; }
  /// The value of the first entry whose key is the scalar `key`; null if there is none.
  [[nodiscard]] const Node* find(std::string_view key) const;
};

/// Parses one YAML document into a tree; null when the text holds no document.
/// `positioned` false gives every node line and column 0 (values given with --set).
/// @throws ScenarioError for syntax errors, a second document, a recursive alias, or a
///         document that expands to more than kMaxExpandedNodes nodes.
NodePtr parse_yaml(std::string_view text, const std::shared_ptr<const std::string>& source,
                   bool positioned);

/// How a node reads in an error message: "null", "a list", "a map" or "'text'".
std::string describe_node(const Node& node);

/// Throws a ScenarioError at the node's position.
[[noreturn]] void fail_at(const Node& node, std::string key_path, std::string problem,
                          std::string suggestion = {});

/// The position of the value at a canonical key path ("firms[2].pay.median",
/// "events[0].set.hiring.lag_weeks"), or of its nearest enclosing node when it is absent.
SourceLocation locate(const Node& root, std::string_view path);

/// Where the value at a canonical key path was written (a file position, or the --set
/// that gave it); nullopt when the tree has no value there (a default, or resolved).
std::optional<SourceLocation> origin(const Node& root, std::string_view path);

}  // namespace talentsim::scenario_internal
