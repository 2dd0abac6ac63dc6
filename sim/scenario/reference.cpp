// The scenario key reference (`talentsim schema`), generated from visit_fields so
// it always lists exactly the keys the reader accepts, with their defaults.
#include <string>

#include "rules.hpp"
#include "talentsim/model/settings.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_internal::format_number;
using scenario_internal::join_key;

/// Collects one Markdown row per key: path, default, allowed values, description.
class ReferenceVisitor {
 public:
  explicit ReferenceVisitor(std::string prefix) : prefix_(std::move(prefix)) {}
  std::string rows;

  void number(std::string_view k, double& x, Range r, std::string_view doc,
              Need need = Need::kOptional) {
    row(k, need == Need::kRequired ? "(required)" : format_number(x), "number " + describe(r), doc);
  }
  void optional_number(std::string_view k, std::optional<double>& x, Range r,
                       std::string_view doc) {
    row(k, x ? format_number(*x) : "null", "number " + describe(r) + " or null", doc);
  }
  template <class Int>
  void integer(std::string_view k, Int& x, IntRange r, std::string_view doc,
               Need need = Need::kOptional) {
    row(k, need == Need::kRequired ? "(required)" : std::to_string(x), describe(r), doc);
  }
  void seed(std::string_view k, std::uint64_t& x, std::string_view doc) {
    row(k, std::to_string(x), "integer in [0, 2^64)", doc);
  }
  void boolean(std::string_view k, bool& x, std::string_view doc) {
    row(k, x ? "true" : "false", "true or false", doc);
  }
  void text(std::string_view k, std::string& x, TextRule rule, std::string_view doc,
            Need need = Need::kOptional) {
    row(k, need == Need::kRequired ? "(required)" : (x.empty() ? "\"\"" : x),
        rule == TextRule::kIdentifier ? "identifier [a-z][a-z0-9_]*" : "text", doc);
  }
  template <class E, std::size_t N>
  void enumeration(std::string_view k, E& x,
                   const std::array<std::pair<E, std::string_view>, N>& names,
                   std::string_view doc) {
    std::string list;
    for (const auto& [e, name] : names) list += (list.empty() ? "" : " \\| ") + std::string(name);
    row(k, std::string(enum_name(names, x)), list, doc);
  }
  template <class T>
  void section(std::string_view k, T& sub, std::string_view /*doc*/) {
    const std::string saved = prefix_;
    prefix_ = join_key(prefix_, k);
    visit_fields(*this, sub);
    prefix_ = saved;
  }
  void interval(std::string_view k, std::optional<std::array<double, 2>>& x, std::string_view doc) {
    row(k, x ? "[" + format_number((*x)[0]) + ", " + format_number((*x)[1]) + "]" : "null",
        "[lo, hi] or null", doc);
  }
  void settings(std::string_view k, std::vector<Setting>&, std::string_view doc) {
    row(k, "{}", "map of key: value", doc);
  }

 private:
  void row(std::string_view k, const std::string& def, const std::string& allowed,
           std::string_view doc) {
    rows += "| `" + join_key(prefix_, k) + "` | " + def + " | " + allowed + " | " +
            std::string(doc) + " |\n";
  }
  std::string prefix_;
};

constexpr std::string_view kHeader = "| key | default | allowed | meaning |\n|---|---|---|---|\n";

}  // namespace

std::string scenario_reference() {
  std::string out = "### Scenario keys\n\n" + std::string(kHeader);
  Scenario s;
  ReferenceVisitor top("");
  visit_fields(top, s);
  out += top.rows;
  out += "| `extends` | (none) | path or `default` | base scenario this file is laid over |\n";
  out +=
      "| `events+` | (none) | list of events | events appended to the base's (with `extends`) "
      "or to this file's `events`, where `events` would replace them |\n";
  out +=
      "| `targets+` | (none) | list of targets | targets appended to the base's (with `extends`) "
      "or to this file's `targets`, where `targets` would replace them |\n";

  out +=
      "\n### Firms (`firms:` is a list; `--set firms.<id>.<key>=...`)\n\n" + std::string(kHeader);
  FirmParams f;
  ReferenceVisitor firm("firms[]");
  visit_fields(firm, f);
  out += firm.rows;

  out += "\n### Events (`events:` is a list; each has a `type`)\n\n";
  for (const auto& [type, name] : kEventTypeNames) {
    Event e;
    e.type = type;
    ReferenceVisitor ev("events[]");
    visit_fields(ev, e);
    out += "#### `type: " + std::string(name) + "`\n\n" + std::string(kHeader) + ev.rows + "\n";
  }
  out +=
      "### Targets (`targets:` is a list; `talentsim check` measures the scenario against "
      "them)\n\n"
      "Each target is a metric (`talentsim metrics --list`) with a band: `value` and a "
      "`tolerance` (exactly one of `relative` and `absolute`), or `range: [lo, hi]`. A "
      "target passes when the 95% interval of its mean over replicates meets the band.\n\n" +
      std::string(kHeader);
  Target t;
  ReferenceVisitor target("targets[]");
  visit_fields(target, t);
  out += target.rows;
  return out;
}

}  // namespace talentsim
