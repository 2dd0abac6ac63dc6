#include "format.hpp"

#include <array>
#include <cmath>
#include <cstdio>

#include "talentsim/report/report.hpp"

namespace talentsim::report {
namespace {

constexpr std::string_view kMissing = "\u2013";  // en dash

std::string printed(const char* format, double value) {
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), format, value);
  return buf.data();
}

}  // namespace

std::string format_count(double value) {
  if (!std::isfinite(value)) return std::string(kMissing);
  const double rounded = std::round(value);
  std::string digits = printed("%.0f", std::fabs(rounded));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (rounded < 0 ? "-" : "") + out;
}

std::string format_percent(double share) {
  if (!std::isfinite(share)) return std::string(kMissing);
  return printed("%.1f%%", 100.0 * share);
}

std::string format_money_k(double usd) {
  if (!std::isfinite(usd)) return std::string(kMissing);
  return "$" + format_count(usd / 1000.0) + "k";
}

std::string format_value(double value) {
  if (!std::isfinite(value)) return std::string(kMissing);
  const double a = std::fabs(value);
  if (a >= 1000) return format_count(value);
  if (a >= 10) return printed("%.1f", value);
  if (a == 0) return "0";
  return printed("%.3g", value);
}

std::string legend_name(std::string_view name, std::size_t max_chars) {
  std::string clean = clean_text(name);
  std::size_t chars = 0;
  for (std::size_t i = 0; i < clean.size(); ++i) {
    if ((static_cast<unsigned char>(clean[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (++chars > max_chars) {
      std::string cut = clean.substr(0, i);
      while (!cut.empty() && cut.back() == ' ') cut.pop_back();
      return cut + "\u2026";
    }
  }
  return clean;
}

}  // namespace talentsim::report
