// Small helpers shared by the security tests (the shared harness is not modified).
#pragma once

#include <string>
#include <vector>

#include "harness.hpp"

namespace keel::test::security {

// Path on the host under $TMPDIR or /tmp, unique to this test process; not created.
std::string host_path(const std::string& name);
// Every line of this process's mountinfo that mentions `needle`.
std::vector<std::string> host_mounts_mentioning(const std::string& needle);
// Entries of a directory (names only); empty when it is missing.
std::vector<std::string> dir_entries(const std::string& dir);
// Replaces the spec's namespaces list (JSON array text).
void set_namespaces(Bundle& b, const std::string& json_array);
// Drops the /dev tmpfs (and everything mounted under /dev) from the spec, so the rootfs's own
// /dev is used: a hostile bundle controls what is in it.
void use_rootfs_dev(Bundle& b, bool keep_devpts = false);

}  // namespace keel::test::security
