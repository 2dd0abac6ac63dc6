// A CSV file read by header name, for the report's input adapters. Columns are found by
// name, so files with extra or reordered columns read the same, and a column that does
// not exist yet can be asked about (has()) instead of failing.
#pragma once

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace talentsim::report {

class CsvTable {
 public:
  /// Reads and parses a file. A missing or unreadable file, an empty file, a duplicate
  /// column or a row with the wrong number of fields throws InputError naming the file
  /// (and line).
  static CsvTable read(const std::filesystem::path& path);
  /// Parses text; `source` names it in messages. Fields may be double-quoted ("a,b",
  /// "say ""hi""").
  static CsvTable parse(std::string_view text, std::string source);

  [[nodiscard]] const std::string& source() const { return source_; }
  [[nodiscard]] const std::vector<std::string>& columns() const { return columns_; }
  [[nodiscard]] std::size_t rows() const { return rows_.size(); }
  [[nodiscard]] bool has(std::string_view column) const;
  /// Throws InputError naming the file and the first missing column.
  void require(std::initializer_list<std::string_view> columns) const;
  /// Line number of a row in the file (the header is line 1).
  [[nodiscard]] int line(std::size_t row) const { return lines_[row]; }

  /// The field's text. Throws InputError if the column does not exist.
  [[nodiscard]] const std::string& text(std::size_t row, std::string_view column) const;
  /// The field as a finite number. Throws InputError naming file:line and column when
  /// the field is empty or not a number.
  [[nodiscard]] double number(std::size_t row, std::string_view column) const;
  /// As number(), but an empty field, or a column the file does not have, gives nullopt.
  [[nodiscard]] std::optional<double> optional_number(std::size_t row,
                                                      std::string_view column) const;

 private:
  [[nodiscard]] std::size_t index(std::string_view column) const;

  std::string source_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> lines_;
};

}  // namespace talentsim::report
