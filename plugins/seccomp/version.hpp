// The plugin's own version, reported in its descriptor and part of every cache key.
#pragma once

namespace keel::seccomp {
inline constexpr const char* kPluginVersion = "0.1.0";
}
