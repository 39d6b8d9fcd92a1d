// keel's log facade: runc's --log/--log-format contract (text or one JSON object per line).
// Nothing is set up until a message is actually written, so quiet commands pay nothing.
#pragma once

#include <string>
#include <string_view>

namespace keel::log {

enum class Level { debug, info, warning, error };
enum class Format { text, json };

// Called once by the app from the global flags. path empty = stderr.
void configure(std::string path, Format format, bool debug);

void write(Level level, std::string_view message);
inline void debug(std::string_view m) {
  write(Level::debug, m);
}
inline void info(std::string_view m) {
  write(Level::info, m);
}
inline void warning(std::string_view m) {
  write(Level::warning, m);
}
inline void error(std::string_view m) {
  write(Level::error, m);
}

bool debug_enabled();
// True when messages go to stderr (no --log). With --log FILE, runc also prints a fatal error's
// message alone on stderr; the app does the same when this is false.
bool writes_to_stderr();

}  // namespace keel::log
