// keel::log facade. Configuration is only remembered; the first message that passes the level
// filter dlopens libkeel-log.so (Boost.Log). If that library is missing or untrusted, a built-in
// writer with the same line format takes over so an error is never lost.
#include "keel/log.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <string>

#include "keel/fd.hpp"
#include "log_format.hpp"
#include "log_sink_abi.h"

namespace keel::log {
namespace {

struct Config {
  std::string path;
  Format format = Format::text;
  bool debug = false;
};

enum class Backend { unopened, boost, fallback };

struct State {
  Config config;
  Backend backend = Backend::unopened;
  keel_log_sink_write_fn boost_write = nullptr;
  UniqueFd fallback_fd;  // --log file for the fallback writer; stderr when empty
};

State& state() {
  static State s;
  return s;
}

// <exe dir>/../lib/keel/libkeel-log.so: the same layout in the build tree and when installed.
std::string sink_path() {
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return {};
  std::string dir(exe, static_cast<std::size_t>(n));
  dir.erase(dir.rfind('/'));
  return dir + "/../lib/keel/libkeel-log.so";
}

// Running as root, a library anyone else could have written must not be loaded.
bool trusted(const std::string& path) {
  struct stat sb;
  if (::stat(path.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
  if (::geteuid() != 0) return true;
  return sb.st_uid == 0 && (sb.st_mode & 022) == 0;
}

bool open_boost(State& s) {
  std::string path = sink_path();
  if (path.empty() || !trusted(path)) return false;
  void* lib = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed: Boost.Log keeps state
  if (lib == nullptr) return false;
  auto open = reinterpret_cast<keel_log_sink_open_fn>(::dlsym(lib, KEEL_LOG_SINK_OPEN));
  auto write = reinterpret_cast<keel_log_sink_write_fn>(::dlsym(lib, KEEL_LOG_SINK_WRITE));
  if (open == nullptr || write == nullptr) return false;
  if (open(s.config.path.c_str(), s.config.format == Format::json ? 1 : 0, s.config.debug) != 0)
    return false;
  s.boost_write = write;
  return true;
}

void open_backend(State& s) {
  if (open_boost(s)) {
    s.backend = Backend::boost;
    return;
  }
  s.backend = Backend::fallback;
  if (!s.config.path.empty())
    s.fallback_fd.reset(
        ::open(s.config.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644));
}

void fallback_write(State& s, Level level, std::string_view message) {
  std::string line = format_line(s.config.format, level, message, std::time(nullptr));
  int fd = s.fallback_fd ? s.fallback_fd.get() : STDERR_FILENO;
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

void configure(std::string path, Format format, bool debug) {
  State& s = state();
  s.config = Config{std::move(path), format, debug};
}

bool debug_enabled() {
  return state().config.debug;
}

bool writes_to_stderr() {
  return state().config.path.empty();
}

void write(Level level, std::string_view message) {
  State& s = state();
  if (level == Level::debug && !s.config.debug) return;  // decided before anything is loaded
  if (s.backend == Backend::unopened) open_backend(s);
  if (s.backend == Backend::boost) {
    s.boost_write(static_cast<int>(level), message.data(), message.size());
  } else {
    fallback_write(s, level, message);
  }
}

}  // namespace keel::log
