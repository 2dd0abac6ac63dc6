// Charts for reports, drawn by gnuplot (Debian gnuplot-nox, `set terminal svg`).
//
// A chart is described as data (LineChart, BarChart, HeatMap, IntervalChart); its
// gnuplot script is built from that description with every number written by this code
// and every string quoted by gnuplot_quote(), the data inline as datablocks. gnuplot
// runs as a child process (posix_spawnp, no shell) on that script, with
// --default-settings (no ~/.gnuplot) and LC_ALL=C, so the same chart gives the same
// bytes. The SVG comes back ready to inline in HTML: no XML prolog, its ids prefixed so
// that several charts can share a page.
//
// The four kinds cover a run (lines over weeks with event markers, bars per firm, the
// flow heat map), a check (targets against simulated intervals) and what a sweep will
// need (lines with interval bands over a parameter, paired differences as intervals,
// sensitivity as bars).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "talentsim/core/error.hpp"

namespace talentsim::report {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

/// gnuplot is not installed (or not on PATH). The CLI exits 1 and says to install it.
class GnuplotMissing : public Error {
 public:
  GnuplotMissing();
};

/// Colours: a fixed palette, so that a firm has the same colour in every chart.
std::string palette_colour(std::size_t index);
/// Dash type for the index-th series: solid for the first palette round, then dashed.
int palette_dash(std::size_t index);

struct Axis {
  std::string label;
  double min = kNoValue;  ///< NaN: automatic
  double max = kNoValue;
  bool log = false;    ///< log scale; values <= 0 are left out
  std::string format;  ///< gnuplot tic format, e.g. "%.0f%%"; empty: gnuplot's default
};

/// An axis with a label and optional fixed ends; a log axis.
Axis linear_axis(std::string label, double min = kNoValue, double max = kNoValue);
Axis log_axis(std::string label);

struct Series {
  enum class Style : std::uint8_t { kLines, kPoints, kLinesPoints };
  std::string title;
  std::string colour;  ///< "#rrggbb"
  std::vector<double> x, y;
  /// Optional interval band (same length as x), drawn as a light fill under the line.
  std::vector<double> lo, hi;
  Style style = Style::kLines;
  int dash = 1;  ///< gnuplot dashtype: 1 solid
  double width = 2.0;
};

/// A solid or dashed line.
Series line_series(std::string title, std::string colour, std::vector<double> x,
                   std::vector<double> y, int dash = 1);

/// A vertical line at x, labelled at the top (events).
struct Marker {
  double x = 0.0;
  std::string label;
};

struct LineChart {
  Axis x, y;
  std::vector<Series> series;  ///< NaN in y leaves a gap
  std::vector<Marker> markers;
  bool key = true;                ///< the legend, right of the plot
  bool key_below = false;         ///< the legend below the plot instead (narrow charts)
  int width = 960, height = 420;  ///< SVG viewBox, pixels
};

/// Horizontal grouped bars: one row per category, one bar per group in each row.
struct BarChart {
  struct Group {
    std::string title;
    std::string colour;
    std::vector<double> values;  ///< one per category; NaN: no bar
    /// Optional, one per category: each bar its own colour (e.g. its firm's).
    std::vector<std::string> colours;
  };
  std::vector<std::string> categories;
  std::vector<Group> groups;
  Axis value;
  std::string value_format = "%.1f";  ///< printf format of the labels at the bars' ends
  int width = 960;
  int height = 0;  ///< 0: from the number of bars
};

/// A matrix of counts, one cell per (row, column); zero cells stay blank.
struct HeatMap {
  std::vector<std::string> rows, columns;
  std::vector<double> values;  ///< row-major, rows.size() * columns.size()
  std::string row_label, column_label, value_label;
  int width = 960;
  int height = 0;  ///< 0: from the number of rows
};

/// Rows of intervals on one axis: a shaded band, a target mark, individual values as
/// small dots, and a point with a whisker, coloured good or bad. Annotations (real
/// values, when the axis is normalised) are written to the right of each row.
struct IntervalChart {
  struct Row {
    std::string label;
    double band_lo = kNoValue, band_hi = kNoValue;
    double target = kNoValue;
    double point = kNoValue;
    double lo = kNoValue, hi = kNoValue;
    std::vector<double> values;
    bool good = true;
    std::string annotation;
  };
  Axis x;
  std::vector<Row> rows;
  std::string band_title = "target band";
  std::string target_title = "target";
  std::string values_title = "replicates";
  std::string good_title = "pass: mean and 95% interval";
  std::string bad_title = "miss: mean and 95% interval";
  int width = 1000;
  int height = 0;  ///< 0: from the number of rows
};

/// The gnuplot scripts (exposed for tests and for debugging a chart by hand:
/// `gnuplot -d < script > chart.svg`).
std::string gnuplot_script(const LineChart& chart);
std::string gnuplot_script(const BarChart& chart);
std::string gnuplot_script(const HeatMap& chart);
std::string gnuplot_script(const IntervalChart& chart);

/// A gnuplot string literal holding `text`: single-quoted (gnuplot does no escapes in
/// those; a quote is doubled), cleaned to valid UTF-8 on one line. Scripts render with
/// `noenhanced`, so ^ _ @ & { } are shown as they are.
std::string gnuplot_quote(std::string_view text);

/// Runs gnuplot on a script and returns what it wrote to stdout.
/// @throws GnuplotMissing when gnuplot cannot be started; Error when it fails.
std::string run_gnuplot(const std::string& script);

/// gnuplot's SVG made fit to inline in HTML: the XML prolog and any doctype removed,
/// every id (and reference to it) prefixed with `id_prefix`.
std::string inline_svg(std::string_view svg, std::string_view id_prefix);

/// Renders charts to inline SVG, giving each chart of a report its own id prefix
/// ("c1-", "c2-", ...), so the same charts in the same order give the same bytes.
class ChartRenderer {
 public:
  std::string render(const LineChart& chart) { return render_script(gnuplot_script(chart)); }
  std::string render(const BarChart& chart) { return render_script(gnuplot_script(chart)); }
  std::string render(const HeatMap& chart) { return render_script(gnuplot_script(chart)); }
  std::string render(const IntervalChart& chart) { return render_script(gnuplot_script(chart)); }

 private:
  std::string render_script(const std::string& script);
  int count_ = 0;
};

}  // namespace talentsim::report
