// A report as data: sections of figures (inline SVG), tables and notes, rendered to one
// self-contained HTML file (inline CSS, system fonts, no script, no network).
//
// Input adapters turn a source into a Report: run_report.hpp (a run folder),
// check_report.hpp (a `talentsim check --json` result); build.hpp picks the adapter for
// a path. A new source (e.g. a sweep database) needs only a new adapter that fills
// these structs, drawing with the charts of charts.hpp.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "talentsim/core/error.hpp"

namespace talentsim::report {

/// Bad input to a report: a missing folder or file, a malformed CSV or JSON. The message
/// names the file, and the line where there is one. The CLI exits 2 on it.
class InputError : public Error {
 public:
  using Error::Error;
};

/// A table of text cells. Cells are plain text (escaped when rendered).
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// Per row, a CSS colour shown as a swatch before the first cell; empty: no swatches.
  std::vector<std::string> swatches;
  /// Per column, whether it holds numbers (right-aligned); empty: columns after the
  /// first are numbers.
  std::vector<bool> numeric;
};

/// One chart: its title, the SVG (as charts.hpp renders it) and a caption below it.
struct Figure {
  std::string title;
  std::string svg;
  std::string caption;
};

struct Section {
  std::string id;     ///< anchor in the page: [a-z0-9-]
  std::string title;  ///< heading
  std::string intro;  ///< a paragraph of plain text under the heading; may be empty
  std::vector<Figure> figures;
  int columns = 1;  ///< figures per row (1 or 2)
  std::vector<Table> tables;
  /// Short remarks, e.g. why a chart is missing ("cohorts.csv is not in the run folder").
  std::vector<std::string> notes;
};

/// A section with its anchor and heading.
Section make_section(std::string id, std::string title);

struct Report {
  std::string title;
  std::string subtitle;
  /// Key facts shown as a two-column table under the title (scenario, seed, ...).
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<Section> sections;
  std::string footer;
};

/// The whole page. It is well-formed XML as well as HTML (void elements are closed, only
/// the five XML entities are used), so XML tools can check it. Same report, same bytes.
std::string render_html(const Report& report);

/// Text with &, <, >, " and ' escaped, invalid UTF-8 replaced by U+FFFD and control
/// characters other than tab and newline dropped.
std::string escape_html(std::string_view text);

/// Valid UTF-8: invalid bytes become U+FFFD; control characters (but tab) become spaces.
std::string clean_text(std::string_view text);

}  // namespace talentsim::report
