// runc's starter config.json, root and rootless variants.
#pragma once

namespace keel::commands {

extern const char* const kSpecTemplate;
extern const char* const kRootlessSpecTemplate;

}  // namespace keel::commands
