#include "go_errors.hpp"

#include <signal.h>

#include <cctype>
#include <cstring>

namespace keel::process::detail {
namespace {

std::string lower_first(const char* text) {
  std::string s = text ? text : "";
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

std::string go_errno_text(int err) {
  return lower_first(std::strerror(err));
}

std::string go_wait_status_text(int code, int status) {
  if (code == CLD_EXITED) return "exit status " + std::to_string(status);
  std::string text = "signal: " + lower_first(strsignal(status));
  if (code == CLD_DUMPED) text += " (core dumped)";
  return text;
}

}  // namespace keel::process::detail
