// Value syntax shared with runc's Go code: go-units sizes and time.ParseDuration.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "keel/manage.hpp"

namespace keel::manage {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Digits with an optional fraction ("1", "1.5", "1."); advances `i`. False when no digit.
bool scan_number(std::string_view s, std::size_t& i) {
  std::size_t start = i;
  while (i < s.size() && (is_digit(s[i]) || s[i] == '.')) ++i;
  for (std::size_t k = start; k < i; ++k)
    if (is_digit(s[k])) return true;
  return false;
}

}  // namespace

Result<int64_t> ram_in_bytes(std::string_view text) {
  auto invalid = [&] { return fail("invalid size: '" + std::string(text) + "'"); };
  // ^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$ as in go-units.
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) ++i;
  if (i == 0) return invalid();
  while (i < text.size() && text[i] == '.') {
    std::size_t j = i + 1;
    while (j < text.size() && is_digit(text[j])) ++j;
    if (j == i + 1) return invalid();
    i = j;
  }
  std::string number(text.substr(0, i));
  if (i < text.size() && text[i] == ' ') ++i;
  double mul = 1;
  if (i < text.size()) {
    switch (std::tolower(static_cast<unsigned char>(text[i]))) {
      case 'k':
        mul = 1024.0;
        break;
      case 'm':
        mul = 1024.0 * 1024;
        break;
      case 'g':
        mul = 1024.0 * 1024 * 1024;
        break;
      case 't':
        mul = 1024.0 * 1024 * 1024 * 1024;
        break;
      case 'p':
        mul = 1024.0 * 1024 * 1024 * 1024 * 1024;
        break;
      default:
        mul = 0;
    }
    if (mul != 0)
      ++i;
    else
      mul = 1;
  }
  if (i < text.size() && (text[i] == 'i' || text[i] == 'I')) ++i;
  if (i < text.size() && (text[i] == 'b' || text[i] == 'B')) ++i;
  if (i != text.size()) return invalid();
  // "1.2.3" passes the pattern but not strconv.ParseFloat.
  if (std::count(number.begin(), number.end(), '.') > 1)
    return fail("strconv.ParseFloat: parsing \"" + number + "\": invalid syntax");
  double v = std::strtod(number.c_str(), nullptr) * mul;
  if (v >= 9.2233720368547758e18) return fail("invalid size: '" + std::string(text) + "'", ERANGE);
  return static_cast<int64_t>(v);
}

Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text) {
  auto quoted = "\"" + std::string(text) + "\"";
  auto invalid = [&] { return fail("time: invalid duration " + quoted); };
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return invalid();
  long double total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    if (!scan_number(s, i)) return invalid();
    std::string number(s.substr(start, i - start));
    std::size_t unit_start = i;
    while (i < s.size() && !is_digit(s[i]) && s[i] != '.') ++i;
    std::string_view unit = s.substr(unit_start, i - unit_start);
    if (unit.empty()) return fail("time: missing unit in duration " + quoted);
    long double scale = 0;
    if (unit == "ns")
      scale = 1;
    else if (unit == "us" || unit == "\u00b5s" || unit == "\u03bcs")
      scale = 1e3;
    else if (unit == "ms")
      scale = 1e6;
    else if (unit == "s")
      scale = 1e9;
    else if (unit == "m")
      scale = 60e9;
    else if (unit == "h")
      scale = 3600e9;
    else
      return fail("time: unknown unit \"" + std::string(unit) + "\" in duration " + quoted);
    total += std::strtold(number.c_str(), nullptr) * scale;
    if (total > 9.2233720368547758e18L) return invalid();
  }
  auto ns = static_cast<int64_t>(total);
  return std::chrono::nanoseconds(negative ? -ns : ns);
}

}  // namespace keel::manage
