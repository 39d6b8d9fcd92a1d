// The one way a command reports failure: one level=error log line (what engines show users),
// plus the bare message on stderr when the log goes to a file, as runc does. Returns exit code 1.
#pragma once

#include <string_view>

#include "keel/error.hpp"

namespace keel::cli {

int report_error(std::string_view message);
inline int report_error(const Error& e) {
  return report_error(e.message);
}

// Writes `text` to stderr as is, outside the log (runc's "load container x: ..." notes in list).
void print_stderr(std::string_view text);

// Writes all of `text` to stdout (unbuffered write(2): output must be complete before exit).
void print(std::string_view text);

}  // namespace keel::cli
