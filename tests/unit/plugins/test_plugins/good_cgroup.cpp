// A well-behaved cgroup manager built with the SDK.
#include "cgroup_base.hpp"

class GoodCgroup : public EchoCgroupManager {};

KEEL_PLUGIN(KEEL_PLUGIN_CGROUP_MANAGER, GoodCgroup, "testcg", "1.2.3")
