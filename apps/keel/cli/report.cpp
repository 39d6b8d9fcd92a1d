#include "cli/report.hpp"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "keel/log.hpp"

namespace keel::cli {
namespace {

void write_fd(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

int report_error(std::string_view message) {
  log::error(message);
  if (!log::writes_to_stderr()) write_fd(STDERR_FILENO, std::string(message) + "\n");
  return 1;
}

void print(std::string_view text) {
  write_fd(STDOUT_FILENO, text);
}

void print_stderr(std::string_view text) {
  write_fd(STDERR_FILENO, text);
}

}  // namespace keel::cli
