// Built twice (libkeel-twin-a.so, libkeel-twin-b.so): two files claiming the same name.
#include "cgroup_base.hpp"

class Twin : public EchoCgroupManager {};

KEEL_PLUGIN(KEEL_PLUGIN_CGROUP_MANAGER, Twin, "twin", TWIN_VERSION)
