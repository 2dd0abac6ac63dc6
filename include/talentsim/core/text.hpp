// Small text helpers shared by the scenario reader, event settings and the CLI.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace talentsim {

/// Edit distance (insertions, deletions, substitutions, adjacent transpositions).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` by edit distance, if it is close enough to be a
/// plausible typo (distance <= max(1, |word| / 3)); empty otherwise.
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

/// Strict parsers: the whole text must be the value (surrounding blanks allowed).
std::optional<double> parse_double(std::string_view text);  ///< finite values only
std::optional<std::int64_t> parse_int(std::string_view text);
std::optional<std::uint64_t> parse_uint(std::string_view text);
std::optional<bool> parse_bool(std::string_view text);  ///< true/false/yes/no/on/off

/// Whether `text` is an identifier: [a-z][a-z0-9_]*, at most 64 characters.
bool is_identifier(std::string_view text);

/// Shortest decimal text that reads back as exactly `value` (std::to_chars).
std::string format_double(double value);

}  // namespace talentsim
