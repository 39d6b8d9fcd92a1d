// logrus's TextFormatter and JSONFormatter output, byte for byte for the fields runc uses.
#include "log_format.hpp"

#include <cstdio>

namespace keel::log {
namespace {

void append_hex_escape(std::string& out, const char* prefix, unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%0*x", prefix, digits, value);
  out += buf;
}

// encoding/json with HTML escaping on (logrus's default): <, > and & become \u00XX.
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
        append_hex_escape(out, "\\u", c, 4);
        break;
      default:
        if (c < 0x20)
          append_hex_escape(out, "\\u", c, 4);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// logrus quotes a text value unless it is made only of these characters.
bool needs_quoting(std::string_view s) {
  if (s.empty()) return true;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
    if (!plain) return true;
  }
  return false;
}

// Go's %q for the ASCII range; other bytes pass through (messages are UTF-8).
std::string go_quote(std::string_view s) {
  if (!needs_quoting(s)) return std::string(s);
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          append_hex_escape(out, "\\x", c, 2);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string_view level_name(Level level) {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warning:
      return "warning";
    case Level::error:
      return "error";
  }
  return "error";
}

std::string format_time(std::time_t t) {
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  // snprintf, not strftime: strftime loads the time zone (/etc/localtime) on every call.
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return {buf, n > 0 ? static_cast<std::size_t>(n) : 0};
}

std::string format_line(Format format, Level level, std::string_view message, std::time_t t) {
  std::string time = format_time(t);
  if (format == Format::json) {
    return "{\"level\":\"" + std::string(level_name(level)) + "\",\"msg\":" + json_string(message) +
           ",\"time\":\"" + time + "\"}\n";
  }
  return "time=\"" + time + "\" level=" + std::string(level_name(level)) +
         " msg=" + go_quote(message) + "\n";
}

}  // namespace keel::log
