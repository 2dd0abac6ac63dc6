// The report page: one HTML file, inline CSS and system fonts, no script and nothing
// fetched, well-formed XML so that XML tools can check it.
#include "talentsim/report/report.hpp"

#include <cstdint>

namespace talentsim::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The page's style. Figures scale with the page; svg text takes the page's font.
constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { margin: 0; background: #f6f7f9; color: #1d232b;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif;
  font-size: 15px; line-height: 1.45; }
main { max-width: 1140px; margin: 0 auto; padding: 28px 28px 40px; }
header h1 { font-size: 26px; margin: 0 0 4px; }
header .subtitle { color: #4a5563; margin: 0 0 16px; }
nav { margin: 12px 0 8px; font-size: 14px; }
nav a { color: #2456a6; text-decoration: none; margin-right: 14px; white-space: nowrap; }
nav a:hover { text-decoration: underline; }
section { background: #fff; border: 1px solid #e1e4e8; border-radius: 8px;
  padding: 18px 22px 20px; margin: 18px 0; }
section h2 { font-size: 20px; margin: 0 0 6px; }
section > p.intro { margin: 0 0 12px; color: #39424e; max-width: 900px; }
figure { margin: 14px 0 8px; }
figure h3 { font-size: 15px; font-weight: 600; margin: 0 0 4px; }
figure svg { display: block; width: 100%; height: auto; }
figure svg text { font-family: inherit; }
figcaption { font-size: 13px; color: #5b6573; margin-top: 2px; }
.grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 24px; }
table { border-collapse: collapse; font-size: 13.5px; margin: 12px 0 4px;
  font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e8eaed; text-align: left;
  vertical-align: top; }
th { background: #f1f3f5; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.facts th { background: none; color: #5b6573; font-weight: 500; padding-left: 0; }
table.facts td { font-weight: 500; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px;
  margin-right: 7px; vertical-align: -1px; }
p.note { font-size: 13.5px; color: #6b4e16; background: #fff8e6; border-left: 3px solid #e0b341;
  padding: 6px 10px; margin: 8px 0; }
footer { color: #6b7480; font-size: 12.5px; margin-top: 24px; }
@media (max-width: 800px) { .grid { grid-template-columns: 1fr; } }
@media print { body { background: #fff; } section { break-inside: avoid; border: none; } }
)css";

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 if it is invalid.
std::size_t utf8_length(std::string_view text, std::size_t i, std::uint32_t& code) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  std::uint32_t min = 0;
  if (c < 0x80) {
    code = c;
    return 1;
  }
  if ((c & 0xE0) == 0xC0) {
    n = 2, code = c & 0x1Fu, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, code = c & 0x0Fu, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, code = c & 0x07u, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF) || code == 0xFFFE ||
      code == 0xFFFF)
    return 0;
  return n;
}

void open_table(std::string& out, const Table& table, const char* css_class) {
  out += "<table";
  if (css_class != nullptr) out += std::string(" class=\"") + css_class + "\"";
  out += ">\n";
  if (!table.caption.empty()) out += "<caption>" + escape_html(table.caption) + "</caption>\n";
}

bool is_numeric_column(const Table& table, std::size_t column) {
  if (column < table.numeric.size()) return table.numeric[column];
  return table.numeric.empty() && column > 0;
}

void render_table(std::string& out, const Table& table) {
  open_table(out, table, nullptr);
  if (!table.header.empty()) {
    out += "<thead><tr>";
    for (std::size_t c = 0; c < table.header.size(); ++c)
      out += std::string(is_numeric_column(table, c) ? "<th class=\"num\">" : "<th>") +
             escape_html(table.header[c]) + "</th>";
    out += "</tr></thead>\n";
  }
  out += "<tbody>\n";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    out += "<tr>";
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      out += is_numeric_column(table, c) ? "<td class=\"num\">" : "<td>";
      if (c == 0 && r < table.swatches.size() && !table.swatches[r].empty())
        out += "<span class=\"swatch\" style=\"background:" + escape_html(table.swatches[r]) +
               "\"></span>";
      out += escape_html(table.rows[r][c]);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void render_figure(std::string& out, const Figure& figure) {
  out += "<figure>\n";
  if (!figure.title.empty()) out += "<h3>" + escape_html(figure.title) + "</h3>\n";
  out += figure.svg;
  if (!figure.svg.empty() && figure.svg.back() != '\n') out += '\n';
  if (!figure.caption.empty())
    out += "<figcaption>" + escape_html(figure.caption) + "</figcaption>\n";
  out += "</figure>\n";
}

void render_section(std::string& out, const Section& section) {
  out += "<section id=\"" + escape_html(section.id) + "\">\n";
  out += "<h2>" + escape_html(section.title) + "</h2>\n";
  if (!section.intro.empty()) out += "<p class=\"intro\">" + escape_html(section.intro) + "</p>\n";
  for (const std::string& note : section.notes)
    out += "<p class=\"note\">" + escape_html(note) + "</p>\n";
  if (!section.figures.empty()) {
    const bool grid = section.columns > 1 && section.figures.size() > 1;
    if (grid) out += "<div class=\"grid\">\n";
    for (const Figure& figure : section.figures) render_figure(out, figure);
    if (grid) out += "</div>\n";
  }
  for (const Table& table : section.tables) render_table(out, table);
  out += "</section>\n";
}

}  // namespace

Section make_section(std::string id, std::string title) {
  Section s;
  s.id = std::move(id);
  s.title = std::move(title);
  return s;
}

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code = 0;
    const std::size_t n = utf8_length(text, i, code);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (code < 0x20 || code == 0x7F)
      out += code == '\t' ? '\t' : ' ';
    else
      out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t code = 0;
    const std::size_t n = utf8_length(text, i, code);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    switch (code) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((code < 0x20 && code != '\t' && code != '\n') || code == 0x7F) break;
        out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string render_html(const Report& report) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out += "<title>" + escape_html(report.title) + "</title>\n";
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n<header>\n";
  out += "<h1>" + escape_html(report.title) + "</h1>\n";
  if (!report.subtitle.empty())
    out += "<p class=\"subtitle\">" + escape_html(report.subtitle) + "</p>\n";
  if (!report.facts.empty()) {
    open_table(out, Table{}, "facts");
    out += "<tbody>\n";
    for (const auto& [key, value] : report.facts)
      out += "<tr><th>" + escape_html(key) + "</th><td>" + escape_html(value) + "</td></tr>\n";
    out += "</tbody>\n</table>\n";
  }
  if (report.sections.size() > 1) {
    out += "<nav>";
    for (const Section& s : report.sections)
      out += "<a href=\"#" + escape_html(s.id) + "\">" + escape_html(s.title) + "</a> ";
    out += "</nav>\n";
  }
  out += "</header>\n";
  for (const Section& section : report.sections) render_section(out, section);
  if (!report.footer.empty()) out += "<footer>" + escape_html(report.footer) + "</footer>\n";
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace talentsim::report
