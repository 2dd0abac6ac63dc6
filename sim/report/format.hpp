// Numbers and names as the report's tables and legends show them (private to sim/report/).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace talentsim::report {

/// "7,760"; "-" for NaN.
std::string format_count(double value);
/// A share 0..1 as "78.3%"; "-" for NaN.
std::string format_percent(double share);
/// USD as "$447k"; "-" for NaN.
std::string format_money_k(double usd);
/// Any value, readably: "401,235", "12.3", "0.183"; "-" for NaN.
std::string format_value(double value);
/// A name cut to at most `max_chars` characters (UTF-8 aware), with an ellipsis.
std::string legend_name(std::string_view name, std::size_t max_chars = 30);

}  // namespace talentsim::report
