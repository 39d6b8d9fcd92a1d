// Error text in the shape Go (and therefore runc) prints it, so engines that match on runc's
// messages see the same words from keel.
#pragma once

#include <string>

namespace keel::process::detail {

// strerror(err) with a lower-case first letter: Go's syscall.Errno strings ("no such file or
// directory") are glibc's with that one difference.
std::string go_errno_text(int err);

// Go's os.ProcessState text for a wait status: "exit status 3", "signal: killed".
std::string go_wait_status_text(int code, int status);

}  // namespace keel::process::detail
