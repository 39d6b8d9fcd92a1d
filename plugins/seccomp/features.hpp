// The "seccomp" object of `keel features` (runc's shape) plus libseccomp's version.
#pragma once

#include <string>

namespace keel::seccomp {

// {"enabled":true,"actions":[...],"operators":[...],"archs":[...],"knownFlags":[...],
//  "supportedFlags":[...],"libseccompVersion":"2.5.4"}
std::string features_json();
std::string libseccomp_version();

}  // namespace keel::seccomp
