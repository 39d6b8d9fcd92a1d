// The host services handed to a plugin's init (only logging in ABI 1.0).
#pragma once

#include <string>

#include "keel/plugin_abi.h"

namespace keel::plugin_loader {

// A keel_host whose log callback writes "<plugin_name>: <message>" through keel::log.
// `plugin_name` must outlive every use of the returned struct.
keel_host make_host(const std::string* plugin_name);

}  // namespace keel::plugin_loader
