// to_yaml: the resolved scenario, every key in visit_fields order.
#include <yaml-cpp/emitter.h>
#include <yaml-cpp/emittermanip.h>
#include <yaml-cpp/null.h>

#include "rules.hpp"
#include "talentsim/core/error.hpp"
#include "talentsim/core/text.hpp"
#include "talentsim/scenario/scenario.hpp"

namespace talentsim {
namespace {

using scenario_internal::format_number;

constexpr std::string_view kHeader =
    "# Resolved talentsim scenario: every key with its value; run it with talentsim run FILE\n";

/// Whether YAML tools would read `text`, written plain, as something other than text.
/// (Our reader would not care; other tools reading the file would.)
bool reads_as_non_text(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL" ||
         text == "y" || text == "Y" || text == "n" || text == "N" || parse_bool(text) ||
         parse_double(text) || parse_int(text);
}

/// Writes each field as `key: value` through visit_fields.
class WriteVisitor {
 public:
  explicit WriteVisitor(YAML::Emitter& out) : out_(out) {}

  void number(std::string_view key, double& x, Range /*range*/, std::string_view /*doc*/,
              Need /*need*/ = Need::kOptional) {
    plain(key, format_number(x));
  }
  void optional_number(std::string_view key, std::optional<double>& x, Range /*range*/,
                       std::string_view /*doc*/) {
    if (x)
      plain(key, format_number(*x));
    else
      out_ << YAML::Key << std::string(key) << YAML::Value << YAML::Null;
  }
  template <class Int>
  void integer(std::string_view key, Int& x, IntRange /*range*/, std::string_view /*doc*/,
               Need /*need*/ = Need::kOptional) {
    plain(key, std::to_string(x));
  }
  void seed(std::string_view key, std::uint64_t& x, std::string_view /*doc*/) {
    plain(key, std::to_string(x));
  }
  void boolean(std::string_view key, bool& x, std::string_view /*doc*/) {
    plain(key, x ? "true" : "false");
  }
  void text(std::string_view key, std::string& x, TextRule /*rule*/, std::string_view /*doc*/,
            Need /*need*/ = Need::kOptional) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (reads_as_non_text(x)) out_ << YAML::DoubleQuoted;
    out_ << x;
  }
  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& x,
                   const std::array<std::pair<E, std::string_view>, N>& names,
                   std::string_view /*doc*/) {
    plain(key, std::string(enum_name(names, x)));
  }
  template <class T>
  void section(std::string_view key, T& sub, std::string_view /*doc*/) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    visit_fields(*this, sub);
    out_ << YAML::EndMap;
  }
  void settings(std::string_view key, std::vector<Setting>& settings, std::string_view /*doc*/) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (settings.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    for (const Setting& setting : settings) {
      out_ << YAML::Key << setting.key << YAML::Value;
      // The reader stores a null value as the text "null".
      if (setting.value == "null")
        out_ << YAML::Null;
      else
        out_ << setting.value;
    }
    out_ << YAML::EndMap;
  }

  void interval(std::string_view key, std::optional<std::array<double, 2>>& x,
                std::string_view /*doc*/) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (!x) {
      out_ << YAML::Null;
      return;
    }
    out_ << YAML::Flow << YAML::BeginSeq << format_number((*x)[0]) << format_number((*x)[1])
         << YAML::EndSeq;
  }

  /// A list of maps, one per element, each written through visit_fields.
  template <class T>
  void list(std::string_view key, std::vector<T>& elements) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (elements.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
    for (T& element : elements) {
      out_ << YAML::BeginMap;
      visit_fields(*this, element);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

 private:
  void plain(std::string_view key, const std::string& value) {
    out_ << YAML::Key << std::string(key) << YAML::Value << value;
  }

  YAML::Emitter& out_;
};

}  // namespace

std::string to_yaml(const Scenario& scenario) {
  Scenario copy = scenario;  // visit_fields takes non-const references
  YAML::Emitter out;
  out.SetNullFormat(YAML::LowerNull);
  WriteVisitor writer(out);
  out << YAML::BeginMap;
  visit_fields(writer, copy);
  writer.list("firms", copy.firms);
  writer.list("events", copy.events);
  writer.list("targets", copy.targets);
  out << YAML::EndMap;
  if (!out.good()) throw Error("cannot write the scenario as YAML: " + out.GetLastError());
  return std::string(kHeader) + out.c_str() + "\n";
}

}  // namespace talentsim
