// The keel_host a plugin receives: its log callback forwards to keel::log, prefixed with the
// plugin's name (the ctx is the name, owned by the loader's registry).
#include "host_log.hpp"

#include <string>

#include "keel/log.hpp"

namespace keel::plugin_loader {

namespace {

void forward(void* ctx, int level, const char* message) noexcept {
  if (message == nullptr) return;
  try {
    auto* name = static_cast<const std::string*>(ctx);
    std::string text = (name ? *name : std::string("plugin")) + ": " + message;
    log::Level l = level <= 0   ? log::Level::debug
                   : level == 1 ? log::Level::info
                   : level == 2 ? log::Level::warning
                                : log::Level::error;
    log::write(l, text);
  } catch (...) {  // logging must never throw into a plugin
  }
}

}  // namespace

keel_host make_host(const std::string* plugin_name) {
  return keel_host{sizeof(keel_host), const_cast<std::string*>(plugin_name), &forward};
}

}  // namespace keel::plugin_loader
