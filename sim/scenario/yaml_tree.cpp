#include "yaml_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <unordered_map>

#include "talentsim/core/text.hpp"

namespace talentsim::scenario_internal {
namespace {

/// Builds the tree from parser events and counts every node at its expanded size, so an
/// alias bomb is rejected at the alias that crosses the limit, before anything walks it.
class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(std::shared_ptr<const std::string> source, bool positioned, std::string_view text)
      : source_(std::move(source)), positioned_(positioned), text_(text) {}

  NodePtr take_root() { return std::move(root_); }

  SourceLocation location(const YAML::Mark& mark) const {
    if (!positioned_ || mark.is_null()) return {*source_, 0, 0};
    return {*source_, mark.line + 1, mark.column + 1};
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw ScenarioError(location(mark), "",
                          "a second YAML document; a scenario is a single document");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    add_leaf(mark, anchor, NodeKind::kNull, {});
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // yaml-cpp tags quoted scalars "!" -- and ends one silently at the end of the input.
    if (tag == "!") check_closing_quote(mark);
    add_leaf(mark, anchor, NodeKind::kScalar, value);
    // The leaf just added (a value, or a map's pending key): where its text starts.
    if (!positioned_ || mark.is_null() || mark.pos < 0 || value.find('\n') != std::string::npos)
      return;
    auto start = static_cast<std::size_t>(mark.pos);
    if (start < text_.size() && (text_[start] == '"' || text_[start] == '\'')) ++start;
    if (text_.substr(start, value.size()) != value) return;
    Node* leaf = last_leaf();
    if (leaf != nullptr)
      leaf->text_column =
          mark.column + 1 + static_cast<int>(start - static_cast<std::size_t>(mark.pos));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    // yaml-cpp has already rejected undefined anchors; what is left is an open one.
    if (it == anchors_.end())
      throw ScenarioError(location(mark), "", "an alias cannot refer to a node that contains it");
    count(it->second.size, mark, "alias expansion too large (an alias bomb?)");
    attach(it->second.node, it->second.size);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, NodeKind::kSequence);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, anchor, NodeKind::kMap);
  }
  void OnMapEnd() override { close(); }

 private:
  /// A quoted scalar that starts at `mark` must end with its quote before the input does.
  void check_closing_quote(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.pos < 0) return;
    const auto start = static_cast<std::size_t>(mark.pos);
    if (start >= text_.size()) return;
    const char quote = text_[start];
    if (quote != '"' && quote != '\'') return;  // a block scalar, or positions we cannot map
    for (std::size_t i = start + 1; i < text_.size(); ++i) {
      if (quote == '"' && text_[i] == '\\') {
        ++i;  // an escaped character
      } else if (text_[i] == quote) {
        if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
          ++i;  // '' is a quote inside a single-quoted scalar
          continue;
        }
        return;
      }
    }
    throw ScenarioError(location(mark), current_path(),
                        "YAML syntax error: this quoted text is never closed");
  }

  /// The key path of the node being read, from the open collections: "firms[0].name".
  [[nodiscard]] std::string current_path() const {
    std::string path;
    for (const Open& o : stack_) {
      if (o.node->kind == NodeKind::kSequence) {
        path += "[" + std::to_string(o.node->items.size()) + "]";
      } else if (o.pending_key) {
        path += (path.empty() ? "" : ".") + o.pending_key->text;
      }
    }
    return path;
  }

  /// A collection still being read.
  struct Open {
    NodePtr node;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::uint64_t size = 1;  ///< expanded nodes so far, itself included
    NodePtr pending_key;     ///< maps: the key waiting for its value
  };
  struct Anchored {
    NodePtr node;
    std::uint64_t size = 1;
  };

  NodePtr make(const YAML::Mark& mark, NodeKind kind) const {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->source = source_;
    const SourceLocation where = location(mark);
    node->line = where.line;
    node->column = where.column;
    return node;
  }

  void count(std::uint64_t nodes, const YAML::Mark& mark, const char* problem) {
    total_ += nodes;
    if (total_ > kMaxExpandedNodes) throw ScenarioError(location(mark), "", problem);
  }

  void add_leaf(const YAML::Mark& mark, YAML::anchor_t anchor, NodeKind kind,
                const std::string& text) {
    count(1, mark, "the document has too many nodes");
    NodePtr node = make(mark, kind);
    node->text = text;
    remember(anchor, node, 1);
    attach(std::move(node), 1);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, NodeKind kind) {
    count(1, mark, "the document has too many nodes");
    stack_.push_back({make(mark, kind), anchor, 1, nullptr});
  }

  /// The scalar add_leaf attached last (null when it was the document's root).
  Node* last_leaf() const {
    if (stack_.empty()) return root_.get();
    const Open& parent = stack_.back();
    if (parent.node->kind == NodeKind::kSequence) return parent.node->items.back().get();
    if (parent.pending_key) return parent.pending_key.get();
    return parent.node->entries.back().second.get();
  }

  void close() {
    Open top = std::move(stack_.back());
    stack_.pop_back();
    remember(top.anchor, top.node, top.size);
    attach(std::move(top.node), top.size);
  }

  void remember(YAML::anchor_t anchor, const NodePtr& node, std::uint64_t size) {
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {node, size};
  }

  void attach(NodePtr node, std::uint64_t size) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Open& parent = stack_.back();
    parent.size += size;
    if (parent.node->kind == NodeKind::kSequence)
      parent.node->items.push_back(std::move(node));
    else if (!parent.pending_key)
      parent.pending_key = std::move(node);
    else
      parent.node->entries.emplace_back(std::exchange(parent.pending_key, nullptr),
                                        std::move(node));
  }

  std::shared_ptr<const std::string> source_;
  bool positioned_;
  std::string_view text_;  ///< the document, to check quoted scalars against
  int documents_ = 0;
  std::uint64_t total_ = 0;
  std::vector<Open> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  NodePtr root_;
};

}  // namespace

const Node* Node::find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k->kind == NodeKind::kScalar && k->text == key) return v.get();
  return nullptr;
}

NodePtr parse_yaml(std::string_view text, const std::shared_ptr<const std::string>& source,
                   bool positioned) {
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  TreeBuilder builder(source, positioned, text);
  try {
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const YAML::DeepRecursion& e) {
    // Its own message is an unhelpful "bad file".
    throw ScenarioError(
        builder.location(e.mark), "",
        "YAML syntax error: nested more than " + std::to_string(e.depth()) + " levels deep");
  } catch (const YAML::Exception& e) {
    throw ScenarioError(builder.location(e.mark), "", "YAML syntax error: " + e.msg);
  }
  return builder.take_root();
}

std::string describe_node(const Node& node) {
  constexpr std::size_t kMaxShown = 60;
  switch (node.kind) {
    case NodeKind::kNull:
      return "null";
    case NodeKind::kSequence:
      return "a list";
    case NodeKind::kMap:
      return "a map";
    case NodeKind::kScalar:
      break;
  }
  if (node.text.size() > kMaxShown) return "'" + node.text.substr(0, kMaxShown) + "...'";
  return "'" + node.text + "'";
}

void fail_at(const Node& node, std::string key_path, std::string problem, std::string suggestion) {
  throw ScenarioError(node.where(), std::move(key_path), std::move(problem), std::move(suggestion));
}

namespace {
/// The node at a canonical key path, or its nearest enclosing node; `exact` says which.
std::pair<const Node*, bool> walk(const Node& root, std::string_view path) {
  const Node* node = &root;
  while (!path.empty()) {
    if (path.front() == '.') path.remove_prefix(1);
    if (!path.empty() && path.front() == '[') {
      const std::size_t close = path.find(']');
      const auto index =
          parse_uint(path.substr(1, close == std::string_view::npos ? 0 : close - 1));
      if (!index || node->kind != NodeKind::kSequence || *index >= node->items.size()) break;
      node = node->items[*index].get();
      path.remove_prefix(close + 1);
      continue;
    }
    if (node->kind != NodeKind::kMap) break;
    // Keys may hold dots themselves (event settings), so match whole keys as prefixes.
    const Node* next = nullptr;
    for (const auto& [k, v] : node->entries) {
      if (k->kind != NodeKind::kScalar || !path.starts_with(k->text)) continue;
      const std::string_view rest = path.substr(k->text.size());
      if (rest.empty() || rest.front() == '.' || rest.front() == '[') {
        next = v.get();
        path = rest;
        break;
      }
    }
    if (next == nullptr) break;
    node = next;
  }
  return {node, path.empty()};
}
}  // namespace

SourceLocation locate(const Node& root, std::string_view path) {
  return walk(root, path).first->where();
}

std::optional<SourceLocation> origin(const Node& root, std::string_view path) {
  const auto [node, exact] = walk(root, path);
  if (!exact) return std::nullopt;
  return node->where();
}

}  // namespace talentsim::scenario_internal
