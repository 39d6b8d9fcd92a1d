// Turns a validated Profile into the raw BPF libseccomp generates (seccomp_export_bpf), plus
// the per-architecture syscall limits the ENOSYS stub needs. Nothing is loaded here.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "bpf.hpp"
#include "enosys_stub.hpp"
#include "keel/error.hpp"
#include "profile.hpp"

namespace keel::seccomp {

using DebugLog = std::function<void(std::string_view)>;

Result<Program> build_filter(const Profile& profile, const DebugLog& debug);

// The largest syscall number the profile names on each architecture of the filter (the
// native one included), folded by seccomp_data.arch (x86_64 and x32 share one).
std::vector<ArchLimit> syscall_limits(const Profile& profile);

// Does the profile need the stub at all? Not when unknown syscalls already get ENOSYS or are
// let through (ALLOW, LOG, TRACE: runc's rule), and not when it names no syscall.
bool needs_enosys_stub(const Profile& profile);

}  // namespace keel::seccomp
