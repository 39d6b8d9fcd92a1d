// Signal parsing for `kill`. The table is Linux's; SIGRTMIN/SIGRTMAX come from libc at run time
// because glibc reserves the first real-time signals for itself.
#include "cli/signals.hpp"

#include <signal.h>

#include <array>
#include <charconv>
#include <optional>
#include <string>
#include <utility>

namespace keel::cli {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 34> kSignals{{
    {"ABRT", SIGABRT}, {"ALRM", SIGALRM}, {"BUS", SIGBUS},       {"CHLD", SIGCHLD},
    {"CLD", SIGCHLD},  {"CONT", SIGCONT}, {"FPE", SIGFPE},       {"HUP", SIGHUP},
    {"ILL", SIGILL},   {"INT", SIGINT},   {"IO", SIGIO},         {"IOT", SIGIOT},
    {"KILL", SIGKILL}, {"PIPE", SIGPIPE}, {"POLL", SIGPOLL},     {"PROF", SIGPROF},
    {"PWR", SIGPWR},   {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV},     {"STKFLT", SIGSTKFLT},
    {"STOP", SIGSTOP}, {"SYS", SIGSYS},   {"TERM", SIGTERM},     {"TRAP", SIGTRAP},
    {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
}};

std::optional<int> to_int(std::string_view s) {
  int n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return n;
}

// "RTMIN", "RTMIN+3", "RTMAX-2".
std::optional<int> realtime(std::string_view name) {
  for (auto [base_name, base] : {std::pair<std::string_view, int>{"RTMIN", SIGRTMIN},
                                 std::pair<std::string_view, int>{"RTMAX", SIGRTMAX}}) {
    if (!name.starts_with(base_name)) continue;
    std::string_view rest = name.substr(base_name.size());
    if (rest.empty()) return base;
    if (rest.size() < 2 || (rest[0] != '+' && rest[0] != '-')) return std::nullopt;
    auto offset = to_int(rest.substr(1));
    if (!offset) return std::nullopt;
    int sig = rest[0] == '+' ? base + *offset : base - *offset;
    if (sig < SIGRTMIN || sig > SIGRTMAX) return std::nullopt;
    return sig;
  }
  return std::nullopt;
}

}  // namespace

Result<int> parse_signal(std::string_view text) {
  if (auto n = to_int(text)) {
    if (*n <= 0 || *n > SIGRTMAX) return fail("invalid signal: " + std::string(text));
    return *n;
  }
  std::string name;
  for (char c : text) name += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  std::string_view bare = name;
  if (bare.starts_with("SIG")) bare.remove_prefix(3);
  for (auto [n, sig] : kSignals)
    if (n == bare) return sig;
  if (auto sig = realtime(bare)) return *sig;
  return fail("unknown signal \"" + std::string(text) + "\"");
}

}  // namespace keel::cli
