// gnuplot scripts for the report's charts, and their SVG made fit to inline.
#include "talentsim/report/charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <limits>

#include "talentsim/report/report.hpp"

namespace talentsim::report {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Tableau 10: distinct, and readable on white.
constexpr std::array<std::string_view, 10> kPalette{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                    "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                    "#9c755f", "#79706e"};

// Appends the parts (one allocation at most, where `a + b + c` makes temporaries).
void append(std::string& out, std::initializer_list<std::string_view> parts) {
  for (const std::string_view p : parts) out += p;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "NaN";
  std::array<char, 32> buf{};
  std::snprintf(buf.data(), buf.size(), "%.10g", v);
  return buf.data();
}

std::string preamble(int width, int height) {
  std::string s = "set terminal svg size " + std::to_string(width) + "," + std::to_string(height) +
                  " dynamic noenhanced font 'sans,12' background '#ffffff'\n";
  s += "set encoding utf8\n";
  s += "set border 3 lc rgb '#6b7480' lw 1\n";
  s += "set tics nomirror out scale 0.6 textcolor rgb '#39424e'\n";
  s += "set grid back lc rgb '#e4e7eb' lw 1 dt 1\n";
  s += "set key textcolor rgb '#1d232b' samplen 2.5 spacing 1.2\n";
  return s;
}

void set_range(std::string& s, const char* axis, const Axis& a) {
  if (std::isnan(a.min) && std::isnan(a.max)) return;
  s += std::string("set ") + axis + "range [" + (std::isnan(a.min) ? "*" : num(a.min)) + ":" +
       (std::isnan(a.max) ? "*" : num(a.max)) + "]\n";
}

// "1", "20", "500", "2k", "50k", "1M": short labels for log-axis tics.
std::string short_number(double v) {
  std::array<char, 32> buf{};
  if (v >= 1e6)
    std::snprintf(buf.data(), buf.size(), "%gM", v / 1e6);
  else if (v >= 1e3)
    std::snprintf(buf.data(), buf.size(), "%gk", v / 1e3);
  else
    std::snprintf(buf.data(), buf.size(), "%g", v);
  return buf.data();
}

// Tics for a log axis over [lo, hi]: 1, 2, 5 x 10^k over up to three decades, 1 and 3
// x 10^k over more (minor tics between).
std::string log_tics(double lo, double hi) {
  const bool fine = hi / lo <= 1000;
  std::string s = "set ytics (";
  bool first = true;
  for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10)
    for (const double m : fine ? std::vector<double>{1, 2, 5} : std::vector<double>{1, 3}) {
      const double v = m * decade;
      if (v < lo || v > hi) continue;
      s += (first ? "" : ", ") + gnuplot_quote(short_number(v)) + " " + num(v);
      first = false;
    }
  return s + ")\n";
}

void axis_labels(std::string& s, const Axis& x, const Axis& y) {
  if (!x.label.empty()) s += "set xlabel " + gnuplot_quote(x.label) + " offset 0,0.3\n";
  if (!y.label.empty()) s += "set ylabel " + gnuplot_quote(y.label) + " offset 0.5,0\n";
  if (!x.format.empty()) s += "set format x " + gnuplot_quote(x.format) + "\n";
  if (!y.format.empty()) s += "set format y " + gnuplot_quote(y.format) + "\n";
}

std::string datablock(const std::string& name, const std::vector<std::vector<double>>& columns) {
  std::string s = "$" + name + " << EOD\n";
  const std::size_t rows = columns.empty() ? 0 : columns[0].size();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) s += ' ';
      s += num(columns[c][r]);
    }
    s += '\n';
  }
  return s + "EOD\n";
}

// gnuplot stops on a plot with no points at all; this draws an empty frame instead.
std::string empty_plot(const std::string& message) {
  return "unset key\nset xrange [0:1]\nset yrange [0:1]\nunset xtics\nunset ytics\n"
         "set label " +
         gnuplot_quote(message) + " at graph 0.5, graph 0.5 center\nplot NaN notitle\n";
}

bool any_finite(const std::vector<double>& v) {
  return std::any_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

std::string colour_of(const std::string& colour, std::size_t index) {
  return colour.empty() ? palette_colour(index) : colour;
}

}  // namespace

std::string palette_colour(std::size_t index) {
  return std::string(kPalette[index % kPalette.size()]);
}

int palette_dash(std::size_t index) { return index < kPalette.size() ? 1 : 2; }

Axis linear_axis(std::string label, double min, double max) {
  Axis a;
  a.label = std::move(label);
  a.min = min;
  a.max = max;
  return a;
}

Axis log_axis(std::string label) {
  Axis a;
  a.label = std::move(label);
  a.log = true;
  return a;
}

Series line_series(std::string title, std::string colour, std::vector<double> x,
                   std::vector<double> y, int dash) {
  Series s;
  s.title = std::move(title);
  s.colour = std::move(colour);
  s.x = std::move(x);
  s.y = std::move(y);
  s.dash = dash;
  return s;
}

std::string gnuplot_quote(std::string_view text) {
  std::string clean = clean_text(text);
  std::replace(clean.begin(), clean.end(), '\t', ' ');
  // "]]>" may not appear in XML text, and gnuplot writes labels into the SVG as they are.
  for (std::size_t p = 0; (p = clean.find("]]>", p)) != std::string::npos; p += 3)
    clean.insert(p + 2, " ");
  std::string out = "'";
  for (const char c : clean) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// ---------------------------------------------------------------------------
// Lines over x (weeks), with event markers and optional bands
// ---------------------------------------------------------------------------

std::string gnuplot_script(const LineChart& chart) {
  std::string s = preamble(chart.width, chart.height);
  axis_labels(s, chart.x, chart.y);
  set_range(s, "x", chart.x);
  set_range(s, "y", chart.y);
  if (!chart.key)
    s += "unset key\n";
  else if (chart.key_below)
    s += "set key outside below center horizontal Left reverse width 1 maxrows 3\n";
  else
    s += "set key outside right top vertical Left reverse width 1\n";
  s += "set lmargin 11\n";

  // Data, with y <= 0 left out on a log axis; the y extent for the log tics.
  double lo = kInf, hi = -kInf, x_lo = kInf, x_hi = -kInf;
  std::vector<std::size_t> drawn;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& series = chart.series[i];
    std::vector<double> y = series.y;
    if (chart.y.log)
      for (double& v : y)
        if (!(v > 0)) v = kNoValue;
    if (!any_finite(y)) continue;
    for (std::size_t k = 0; k < y.size() && k < series.x.size(); ++k)
      if (std::isfinite(y[k]) && std::isfinite(series.x[k])) {
        lo = std::min(lo, y[k]), hi = std::max(hi, y[k]);
        x_lo = std::min(x_lo, series.x[k]), x_hi = std::max(x_hi, series.x[k]);
      }
    std::vector<std::vector<double>> columns{series.x, y};
    if (!series.lo.empty() && series.lo.size() == series.x.size() &&
        series.hi.size() == series.x.size()) {
      columns.push_back(series.lo);
      columns.push_back(series.hi);
    }
    s += datablock("d" + std::to_string(i), columns);
    drawn.push_back(i);
  }
  if (drawn.empty()) return s + empty_plot("no data");
  if (chart.y.log) {
    // An explicit range: gnuplot would widen an automatic one to whole decades.
    const double y_lo = std::isnan(chart.y.min) ? lo / 1.25 : chart.y.min;
    const double y_hi = std::isnan(chart.y.max) ? hi * 1.25 : chart.y.max;
    s += "set logscale y 10\nset yrange [" + num(y_lo) + ":" + num(y_hi) + "]\n";
    if (chart.y.format.empty()) s += log_tics(y_lo, y_hi);
  }
  if (!std::isnan(chart.x.min)) x_lo = chart.x.min;
  if (!std::isnan(chart.x.max)) x_hi = chart.x.max;

  // Markers: dashed verticals, labels above the plot; labels closer than ~4% of the
  // axis to the previous one go up a row so they do not overlap.
  int rows = 0;
  double last_x = -kInf;
  int row = 0;
  for (const Marker& m : chart.markers) {
    if (m.x < x_lo || m.x > x_hi) continue;
    row = (m.x - last_x) < 0.045 * (x_hi - x_lo) ? row + 1 : 0;
    if (row > 2) row = 0;
    last_x = m.x;
    rows = std::max(rows, row + 1);
    s += "set arrow from " + num(m.x) + ", graph 0 to " + num(m.x) +
         ", graph 1 nohead back lc rgb '#8a929c' lw 1 dt 2\n";
    s += "set label " + gnuplot_quote(m.label) + " at " + num(m.x) + ", graph 1 offset 0," +
         num(0.8 + 1.1 * row) + " center font ',10' textcolor rgb '#5b6573'\n";
  }
  s += "set tmargin " + num(rows > 0 ? 0.6 + 1.1 * rows : 1.0) + "\n";

  std::string plot = "plot ";
  bool first = true;
  for (const std::size_t i : drawn) {
    const Series& series = chart.series[i];
    const std::string colour = gnuplot_quote(colour_of(series.colour, i));
    const std::string block = "$d" + std::to_string(i);
    if (!series.lo.empty() && series.lo.size() == series.x.size()) {
      append(plot, {first ? "" : ", \\\n     ", block,
                    " using 1:3:4 with filledcurves fs transparent solid 0.18 noborder lc rgb ",
                    colour, " notitle"});
      first = false;
    }
    std::string style;
    switch (series.style) {
      case Series::Style::kLines:
        style = "lines";
        break;
      case Series::Style::kPoints:
        style = "points pt 7 ps 0.55";
        break;
      case Series::Style::kLinesPoints:
        style = "linespoints pt 7 ps 0.6";
        break;
    }
    append(plot, {first ? "" : ", \\\n     ", block, " using 1:2 with ", style, " lw ",
                  num(series.width), " lc rgb ", colour, " dt ", std::to_string(series.dash),
                  " title ", gnuplot_quote(series.title)});
    first = false;
  }
  return s + plot + "\n";
}

// ---------------------------------------------------------------------------
// Horizontal grouped bars
// ---------------------------------------------------------------------------

std::string gnuplot_script(const BarChart& chart) {
  const std::size_t n = chart.categories.size();
  const std::size_t groups = std::max<std::size_t>(chart.groups.size(), 1);
  const int per_row = std::max(24, static_cast<int>(14 * groups + 10));
  const int height = chart.height > 0
                         ? chart.height
                         : 90 + per_row * static_cast<int>(std::max<std::size_t>(n, 1));
  std::string s = preamble(chart.width, height);
  bool has_data = false;
  double lo = 0.0, hi = 0.0;
  for (const BarChart::Group& g : chart.groups)
    for (const double v : g.values)
      if (std::isfinite(v)) {
        has_data = true;
        lo = std::min(lo, v), hi = std::max(hi, v);
      }
  if (!has_data || n == 0) return s + empty_plot("no data");
  if (!chart.value.label.empty()) s += "set xlabel " + gnuplot_quote(chart.value.label) + "\n";
  if (!chart.value.format.empty()) s += "set format x " + gnuplot_quote(chart.value.format) + "\n";
  Axis value = chart.value;
  // Room at the ends for the value labels.
  if (std::isnan(value.min)) value.min = lo < 0 ? lo * 1.18 : 0.0;
  if (std::isnan(value.max)) value.max = hi > 0 ? hi * 1.18 : 0.0;
  if (value.max <= value.min) value.max = value.min + 1;
  set_range(s, "x", value);
  s += "set yrange [" + num(static_cast<double>(n) - 0.5) + ":-0.5]\n";
  s += "set ytics scale 0 (";
  for (std::size_t i = 0; i < n; ++i)
    s += (i > 0 ? ", " : "") + gnuplot_quote(chart.categories[i]) + " " + std::to_string(i);
  s += ")\n";
  s += "set grid noytics xtics\n";
  s += "set border 1 lc rgb '#6b7480'\n";
  if (chart.groups.size() > 1)
    s += "set key outside top center horizontal Left reverse\n";
  else
    s += "unset key\n";

  const double thickness = 0.78 / static_cast<double>(groups);
  std::string plot = "plot ";
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const BarChart::Group& group = chart.groups[g];
    std::vector<double> values(n, kNoValue), rows(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (i < group.values.size()) values[i] = group.values[i];
      rows[i] = static_cast<double>(i) - 0.39 + thickness * (static_cast<double>(g) + 0.5);
    }
    const std::string name = "b" + std::to_string(g);
    s += datablock(name, {values, rows});
    const std::string block = "$" + name;
    const std::string shape = " using ($1/2):2:(abs($1)/2):(" + num(thickness * 0.46) +
                              ") with boxxyerror fs solid 0.9 noborder lc rgb ";
    if (group.colours.size() >= n) {
      // One colour per bar (a firm's own): one plot element per bar.
      for (std::size_t i = 0; i < n; ++i)
        append(plot, {g + i > 0 ? ", \\\n     " : "", block, " every ::", std::to_string(i),
                      "::", std::to_string(i), shape, gnuplot_quote(group.colours[i]), " title ",
                      gnuplot_quote(chart.categories[i])});
    } else {
      append(plot,
             {g > 0 ? ", \\\n     " : "", block, shape, gnuplot_quote(colour_of(group.colour, g)),
              " title ", gnuplot_quote(group.title)});
    }
    plot += ", \\\n     $" + name + " using 1:2:(sprintf(" + gnuplot_quote(chart.value_format) +
            ", $1)) with labels left offset 0.5,0 font ',10' textcolor rgb '#39424e' notitle";
  }
  return s + plot + "\n";
}

// ---------------------------------------------------------------------------
// Heat map of counts
// ---------------------------------------------------------------------------

std::string gnuplot_script(const HeatMap& chart) {
  const std::size_t rows = chart.rows.size(), cols = chart.columns.size();
  const double cell = std::clamp(
      (chart.width - 330.0) / static_cast<double>(std::max<std::size_t>(cols, 1)), 24.0, 70.0);
  const int height =
      chart.height > 0
          ? chart.height
          : static_cast<int>(0.75 * cell * static_cast<double>(std::max<std::size_t>(rows, 1))) +
                170;
  std::string s = preamble(chart.width, height);
  double max = 0;
  std::vector<double> xs, ys, vs;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const std::size_t k = r * cols + c;
      const double v = k < chart.values.size() ? chart.values[k] : 0.0;
      if (!(v > 0)) continue;
      xs.push_back(static_cast<double>(c));
      ys.push_back(static_cast<double>(r));
      vs.push_back(v);
      max = std::max(max, v);
    }
  if (vs.empty() || rows == 0 || cols == 0) return s + empty_plot("no moves");
  s += "unset key\nset grid noxtics noytics\nset border 0\nset tics scale 0\n";
  s += "set xrange [-0.5:" + num(static_cast<double>(cols) - 0.5) + "]\n";
  s += "set yrange [" + num(static_cast<double>(rows) - 0.5) + ":-0.5]\n";
  s += "set xtics rotate by 35 right (";
  for (std::size_t c = 0; c < cols; ++c)
    s += (c > 0 ? ", " : "") + gnuplot_quote(chart.columns[c]) + " " + std::to_string(c);
  s += ")\nset ytics (";
  for (std::size_t r = 0; r < rows; ++r)
    s += (r > 0 ? ", " : "") + gnuplot_quote(chart.rows[r]) + " " + std::to_string(r);
  s += ")\n";
  if (!chart.column_label.empty()) s += "set xlabel " + gnuplot_quote(chart.column_label) + "\n";
  if (!chart.row_label.empty()) s += "set ylabel " + gnuplot_quote(chart.row_label) + "\n";
  if (!chart.value_label.empty()) s += "set cblabel " + gnuplot_quote(chart.value_label) + "\n";
  s += "set logscale cb 10\nset cbrange [1:" + num(std::max(max, 10.0)) + "]\n";
  s += "set palette defined (0 '#f2f6fb', 0.35 '#a9c8e6', 0.7 '#3f7fbf', 1 '#0b2f5e')\n";
  s += "set colorbox user origin graph 1.03, graph 0 size character 1.5, graph 1\n";
  s += "set tmargin 1\nset rmargin 14\nset cbtics (";
  for (double v = 1; v <= std::max(max, 10.0); v *= 10)
    s += (v > 1 ? ", " : "") + gnuplot_quote(short_number(v)) + " " + num(v);
  s += ")\n";
  s += datablock("cells", {xs, ys, vs});
  // Dark cells get white numbers.
  const std::string threshold = num(std::pow(std::max(max, 10.0), 0.55));
  const std::string font = cell < 40 ? "',9'" : "',10.5'";
  s += "plot $cells using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1 noborder fc palette, \\\n"
       "     $cells using 1:2:($3 >= " +
       threshold + " ? sprintf('%d', $3) : '') with labels font " + font +
       " textcolor rgb '#ffffff', \\\n"
       "     $cells using 1:2:($3 < " +
       threshold + " ? sprintf('%d', $3) : '') with labels font " + font +
       " textcolor rgb '#1d232b'\n";
  return s;
}

// ---------------------------------------------------------------------------
// Intervals: band, target, values, point and whisker per row
// ---------------------------------------------------------------------------

std::string gnuplot_script(const IntervalChart& chart) {
  const std::size_t n = chart.rows.size();
  const int height =
      chart.height > 0 ? chart.height : 130 + 40 * static_cast<int>(std::max<std::size_t>(n, 1));
  std::string s = preamble(chart.width, height);
  if (n == 0) return s + empty_plot("no rows");

  // The x range: the axis's, or everything drawn, with a margin.
  double lo = kInf, hi = -kInf;
  for (const IntervalChart::Row& r : chart.rows)
    for (const double v : {r.band_lo, r.band_hi, r.target, r.point, r.lo, r.hi})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!std::isfinite(lo)) lo = 0, hi = 1;
  if (hi <= lo) hi = lo + 1;
  const double pad = 0.06 * (hi - lo);
  const double x_min = std::isnan(chart.x.min) ? lo - pad : chart.x.min;
  const double x_max = std::isnan(chart.x.max) ? hi + pad : chart.x.max;
  const auto clamp = [&](double v) { return std::clamp(v, x_min, x_max); };

  std::vector<double> band_x, band_y, band_dx;
  std::vector<double> target_x, target_y;
  std::vector<double> value_x, value_y;
  std::array<std::vector<double>, 2> point_x, point_y, whisker_lo, whisker_hi;  // bad, good
  std::string arrows;
  std::size_t label_chars = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const IntervalChart::Row& r = chart.rows[i];
    const auto y = static_cast<double>(i);
    if (std::isfinite(r.band_lo) && std::isfinite(r.band_hi)) {
      band_x.push_back((clamp(r.band_lo) + clamp(r.band_hi)) / 2);
      band_y.push_back(y);
      band_dx.push_back((clamp(r.band_hi) - clamp(r.band_lo)) / 2);
    }
    if (std::isfinite(r.target) && r.target >= x_min && r.target <= x_max) {
      target_x.push_back(r.target);
      target_y.push_back(y);
    }
    for (std::size_t k = 0; k < r.values.size(); ++k) {
      if (!std::isfinite(r.values[k])) continue;
      value_x.push_back(clamp(r.values[k]));
      value_y.push_back(y + 0.045 * (static_cast<double>((k * 7) % 11) - 5.0));
    }
    if (std::isfinite(r.point)) {
      const std::size_t g = r.good ? 1 : 0;
      const double p = clamp(r.point);
      point_x[g].push_back(p);
      point_y[g].push_back(y);
      whisker_lo[g].push_back(std::isfinite(r.lo) ? clamp(r.lo) : p);
      whisker_hi[g].push_back(std::isfinite(r.hi) ? clamp(r.hi) : p);
      // Off the scale: an arrow at the edge points to where it is.
      for (const double v : {r.point, r.lo, r.hi}) {
        if (!std::isfinite(v) || (v >= x_min && v <= x_max)) continue;
        const double edge = v < x_min ? x_min : x_max;
        const double from = edge + (v < x_min ? 1 : -1) * 0.04 * (x_max - x_min);
        arrows += "set arrow from " + num(from) + "," + num(y) + " to " + num(edge) + "," + num(y) +
                  " head filled size screen 0.012,25 lw 2 lc rgb " +
                  (r.good ? "'#2e7d32'" : "'#c62828'") + " front\n";
      }
    }
    label_chars = std::max(label_chars, r.annotation.size());
  }
  s += "set xrange [" + num(x_min) + ":" + num(x_max) + "]\n";
  s += "set yrange [" + num(static_cast<double>(n) - 0.5) + ":-0.5]\n";
  s += "set ytics scale 0 (";
  for (std::size_t i = 0; i < n; ++i)
    s += (i > 0 ? ", " : "") + gnuplot_quote(chart.rows[i].label) + " " + std::to_string(i);
  s += ")\n";
  if (!chart.x.label.empty()) s += "set xlabel " + gnuplot_quote(chart.x.label) + "\n";
  if (!chart.x.format.empty()) s += "set format x " + gnuplot_quote(chart.x.format) + "\n";
  s += "set grid xtics noytics\n";
  s += "set key outside top center horizontal Left reverse width 1\n";
  s += "set rmargin " + std::to_string(std::min<std::size_t>(label_chars, 60) * 6 / 7 + 3) + "\n";
  for (std::size_t i = 0; i < n; ++i)
    if (!chart.rows[i].annotation.empty())
      s += "set label " + gnuplot_quote(chart.rows[i].annotation) + " at graph 1, first " +
           std::to_string(i) + " offset 1.2,0 left font ',10.5' textcolor rgb '#39424e'\n";
  s += arrows;

  std::string plot = "plot ";
  bool first = true;
  const auto add = [&](const std::string& clause) {
    plot += (first ? "" : ", \\\n     ") + clause;
    first = false;
  };
  if (!band_x.empty()) {
    s += datablock("band", {band_x, band_y, band_dx});
    add("$band using 1:2:3:(0.36) with boxxyerror fs solid 1 noborder lc rgb '#d7ecd9' title " +
        gnuplot_quote(chart.band_title));
  }
  if (!value_x.empty()) {
    s += datablock("values", {value_x, value_y});
    add("$values using 1:2 with points pt 7 ps 0.32 lc rgb '#708b96a0' title " +
        gnuplot_quote(chart.values_title));
  }
  if (!target_x.empty()) {
    s += datablock("target", {target_x, target_y});
    add("$target using 1:($2-0.3):(0):(0.6) with vectors nohead lw 2 lc rgb '#1b5e20' title " +
        gnuplot_quote(chart.target_title));
  }
  for (const std::size_t g : {std::size_t{1}, std::size_t{0}}) {
    if (point_x[g].empty()) continue;
    const std::string name = g == 1 ? "good" : "bad";
    s += datablock(name, {point_x[g], point_y[g], whisker_lo[g], whisker_hi[g]});
    add("$" + name + " using 1:2:3:4 with xerrorbars pt 7 ps 1.1 lw 2 lc rgb " +
        (g == 1 ? "'#2e7d32'" : "'#c62828'") + " title " +
        gnuplot_quote(g == 1 ? chart.good_title : chart.bad_title));
  }
  if (first) return s + empty_plot("nothing to draw");
  return s + plot + "\n";
}

// ---------------------------------------------------------------------------
// SVG for inlining
// ---------------------------------------------------------------------------

std::string inline_svg(std::string_view svg, std::string_view id_prefix) {
  const std::size_t start = svg.find("<svg");
  if (start == std::string_view::npos) return {};
  svg.remove_prefix(start);
  // gnuplot's tooltips name its own objects ("Gnuplot", "gnuplot_plot_3"): drop them.
  std::string text;
  text.reserve(svg.size());
  for (std::size_t i = 0; i < svg.size();) {
    if (svg.compare(i, 7, "<title>") == 0) {
      const std::size_t end = svg.find("</title>", i);
      if (end != std::string_view::npos) {
        const std::string_view inner = svg.substr(i + 7, end - i - 7);
        if (inner == "Gnuplot" || inner.starts_with("gnuplot_plot_")) {
          i = end + 8;
          continue;
        }
      }
    }
    text += svg[i++];
  }
  // Prefix ids and references to them, inside tags only (text may hold anything).
  constexpr std::array<std::string_view, 5> kPatterns{" id='", " id=\"", "href='#", "href=\"#",
                                                      "url(#"};
  std::string out;
  out.reserve(text.size() + 4096);
  bool in_tag = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (!in_tag) {
      in_tag = c == '<';
      out += c;
      ++i;
      continue;
    }
    if (c == '>') {
      in_tag = false;
      out += c;
      ++i;
      continue;
    }
    bool matched = false;
    for (const std::string_view p : kPatterns)
      if (text.compare(i, p.size(), p) == 0) {
        out += p;
        out += id_prefix;
        i += p.size();
        matched = true;
        break;
      }
    if (!matched) out += text[i++];
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out + "\n";
}

std::string ChartRenderer::render_script(const std::string& script) {
  ++count_;
  return inline_svg(run_gnuplot(script), "c" + std::to_string(count_) + "-");
}

}  // namespace talentsim::report
