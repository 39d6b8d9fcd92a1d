// One log line in runc's (logrus's) shapes. Shared by the Boost.Log sink in libkeel-log.so and by
// the built-in fallback writer, so both produce identical bytes.
#pragma once

#include <ctime>
#include <string>
#include <string_view>

#include "keel/log.hpp"

namespace keel::log {

// "debug" / "info" / "warning" / "error", as logrus names them.
std::string_view level_name(Level level);
// RFC3339 in UTC with second precision: 2026-11-27T22:10:00Z.
std::string format_time(std::time_t t);
// text: time="..." level=error msg="..."   json: {"level":"error","msg":"...","time":"..."}
// Both end with '\n'.
std::string format_line(Format format, Level level, std::string_view message, std::time_t t);

}  // namespace keel::log
