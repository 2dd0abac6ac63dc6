#include "talentsim/report/csv.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "talentsim/core/text.hpp"
#include "talentsim/report/report.hpp"

namespace talentsim::report {
namespace {

// CSVs the report reads are a few MB at most; a far larger file is not a run's output.
constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{1} << 30;

// Splits one record; `quoted` fields may hold commas and doubled quotes. Returns false
// on an unterminated quote.
bool split_record(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '"' && field.empty() && !was_quoted) {
      in_quotes = true;
      was_quoted = true;
    } else {
      field += c;
    }
  }
  fields.push_back(std::move(field));
  return !in_quotes;
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw InputError(path.string() + ": no such file");
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxCsvBytes) throw InputError(path.string() + ": cannot read (or too large)");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path.string() + ": cannot read");
  return parse(text.str(), path.string());
}

CsvTable CsvTable::parse(std::string_view text, std::string source) {
  CsvTable t;
  t.source_ = std::move(source);
  std::vector<std::string> fields;
  int line_number = 0;
  bool header = true;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;  // blank lines (a trailing newline) carry nothing
    const std::string where = t.source_ + ":" + std::to_string(line_number);
    if (!split_record(line, fields)) throw InputError(where + ": unterminated quoted field");
    if (header) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].empty()) throw InputError(where + ": empty column name in the header");
        if (std::find(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(i), fields[i]) !=
            fields.begin() + static_cast<std::ptrdiff_t>(i))
          throw InputError(where + ": column '" + fields[i] + "' appears twice in the header");
      }
      t.columns_ = fields;
      header = false;
      continue;
    }
    if (fields.size() != t.columns_.size())
      throw InputError(where + ": expected " + std::to_string(t.columns_.size()) +
                       " fields as in the header, found " + std::to_string(fields.size()));
    t.rows_.push_back(fields);
    t.lines_.push_back(line_number);
  }
  if (header) throw InputError(t.source_ + ": empty file (no header)");
  return t;
}

bool CsvTable::has(std::string_view column) const {
  return std::find(columns_.begin(), columns_.end(), column) != columns_.end();
}

void CsvTable::require(std::initializer_list<std::string_view> columns) const {
  for (const std::string_view c : columns)
    if (!has(c))
      throw InputError(source_ + ":1: missing column '" + std::string(c) + "' in the header");
}

std::size_t CsvTable::index(std::string_view column) const {
  const auto it = std::find(columns_.begin(), columns_.end(), column);
  if (it == columns_.end())
    throw InputError(source_ + ":1: missing column '" + std::string(column) + "' in the header");
  return static_cast<std::size_t>(it - columns_.begin());
}

const std::string& CsvTable::text(std::size_t row, std::string_view column) const {
  return rows_[row][index(column)];
}

double CsvTable::number(std::size_t row, std::string_view column) const {
  const std::string& field = text(row, column);
  const std::optional<double> v = parse_double(field);
  if (!v)
    throw InputError(source_ + ":" + std::to_string(lines_[row]) + ": column '" +
                     std::string(column) + "': " +
                     (field.empty() ? std::string("empty, expected a number")
                                    : "'" + field + "' is not a finite number"));
  return *v;
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::string_view column) const {
  if (!has(column) || text(row, column).empty()) return std::nullopt;
  return number(row, column);
}

}  // namespace talentsim::report
