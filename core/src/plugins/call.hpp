// Calling into a plugin's C table: a sink that appends to a std::string, the host-owned error
// slot turned into keel::Error, and a guard so nothing a plugin throws escapes into the host.
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/plugin_abi.h"

namespace keel::plugin_call {

// Owns the bytes a plugin writes; not movable because the C sink points at the string.
class StringSink {
 public:
  StringSink() : sink_{&text_, &append} {}
  StringSink(const StringSink&) = delete;
  StringSink& operator=(const StringSink&) = delete;
  keel_sink* get() { return &sink_; }
  std::string take() { return std::move(text_); }

 private:
  static void append(void* ctx, const char* data, size_t len) noexcept {
    if (data == nullptr || len == 0) return;
    try {
      static_cast<std::string*>(ctx)->append(data, len);
    } catch (...) {  // out of memory: the result is truncated, the plugin must not see a throw
    }
  }
  std::string text_;
  keel_sink sink_;
};

// The plugin's error as keel::Error. Its message is passed through when it has one (plugins
// write runc-style messages with their own context); an empty message or an exception caught
// by the SDK is prefixed with the plugin name and the operation, so the user can tell who failed.
inline Error to_error(keel_error& raw, std::string_view plugin, std::string_view op) {
  raw.message[sizeof(raw.message) - 1] = '\0';  // a plugin may forget to terminate
  int code = raw.err != 0 ? raw.err : EIO;
  std::string message(raw.message);
  std::string who = "plugin " + std::string(plugin);
  if (message.empty())
    return Error{code, who + ": " + std::string(op) + ": " + std::strerror(code)};
  if (message.starts_with("plugin raised")) {
    return Error{code, who + message.substr(6) + " (in " + std::string(op) + ")"};
  }
  return Error{code, std::move(message)};
}

// Calls fn(args..., &error) and maps -1 to an Error. A NULL function means the plugin does not
// implement the operation.
template <class Fn, class... Args>
Result<void> invoke(std::string_view plugin, std::string_view op, Fn fn, Args... args) {
  if (fn == nullptr) {
    return fail("plugin " + std::string(plugin) + " does not implement " + std::string(op), ENOSYS);
  }
  keel_error error{};
  int rc = -1;
  try {
    rc = fn(args..., &error);
  } catch (...) {  // a hand-written plugin that lets an exception cross the C ABI
    return fail("plugin " + std::string(plugin) + ": exception crossed the plugin ABI in " +
                    std::string(op),
                EIO);
  }
  if (rc == 0) return {};
  return std::unexpected(to_error(error, plugin, op));
}

}  // namespace keel::plugin_call
