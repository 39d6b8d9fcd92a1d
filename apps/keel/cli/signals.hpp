// Signal names and numbers as `kill` accepts them: "KILL", "SIGKILL", "9", "SIGRTMIN+3", "RTMAX-1".
#pragma once

#include <string_view>

#include "keel/error.hpp"

namespace keel::cli {

// runc's wording on failure: "unknown signal \"FOO\"" / "invalid signal: 99".
Result<int> parse_signal(std::string_view text);

}  // namespace keel::cli
