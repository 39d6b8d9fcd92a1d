// The shared name tables agree with the kernel headers and stay sorted/unique where promised.
#include "keel/spec/names.hpp"

#include <doctest/doctest.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/resource.h>

#include <algorithm>
#include <set>

namespace names = keel::spec::names;

TEST_CASE("capability numbers match linux/capability.h up to CAP_LAST_CAP") {
  CHECK(names::capabilities.size() == names::kLastCap + 1);
  for (std::size_t i = 0; i < names::capabilities.size(); ++i)
    CHECK(names::capabilities[i].value == static_cast<int>(i));
  CHECK(names::capability("CAP_SYS_ADMIN") == CAP_SYS_ADMIN);
  CHECK(names::capability("CAP_NET_RAW") == CAP_NET_RAW);
  CHECK(names::capability("CAP_CHECKPOINT_RESTORE") == 40);
  CHECK(names::name_of(names::capabilities, CAP_AUDIT_READ) == "CAP_AUDIT_READ");
  CHECK_FALSE(names::capability("CAP_FOO"));
}

TEST_CASE("rlimit numbers match sys/resource.h") {
  CHECK(names::rlimit("RLIMIT_NOFILE") == RLIMIT_NOFILE);
  CHECK(names::rlimit("RLIMIT_AS") == RLIMIT_AS);
  CHECK(names::rlimit("RLIMIT_MEMLOCK") == RLIMIT_MEMLOCK);
  CHECK(names::rlimit("RLIMIT_NPROC") == RLIMIT_NPROC);
  CHECK(names::rlimit("RLIMIT_RTTIME") == RLIMIT_RTTIME);
  CHECK_FALSE(names::rlimit("RLIMIT_FOO"));
}

TEST_CASE("namespace types map to their clone flags and /proc/<pid>/ns names") {
  CHECK(names::namespace_by_type("network")->clone_flag == CLONE_NEWNET);
  CHECK(names::namespace_by_type("network")->proc_ns == "net");
  CHECK(names::namespace_by_type("mount")->clone_flag == CLONE_NEWNS);
  CHECK(names::namespace_by_type("mount")->proc_ns == "mnt");
  CHECK(names::namespace_by_type("pid")->clone_flag == CLONE_NEWPID);
  CHECK(names::namespace_by_type("ipc")->clone_flag == CLONE_NEWIPC);
  CHECK(names::namespace_by_type("uts")->clone_flag == CLONE_NEWUTS);
  CHECK(names::namespace_by_type("user")->clone_flag == CLONE_NEWUSER);
  CHECK(names::namespace_by_type("cgroup")->clone_flag == CLONE_NEWCGROUP);
  CHECK(names::namespace_by_type("time")->clone_flag == 0x80);
  CHECK(names::namespace_by_type("net") == nullptr);
}

TEST_CASE("the mount option list for keel features is sorted, unique and has runc's names") {
  CHECK(std::ranges::is_sorted(names::mount_options));
  CHECK(std::set(names::mount_options.begin(), names::mount_options.end()).size() ==
        names::mount_options.size());
  for (auto o : {"bind", "rbind", "rro", "tmpcopyup", "idmap", "ridmap", "nosymfollow",
                 "rnostrictatime", "runbindable"})
    CHECK(names::contains(names::mount_options, o));
}
