// A classic-BPF interpreter for seccomp programs (the subset libseccomp and our stub emit), so
// tests can ask what a program answers for architectures this machine cannot run (x86, x32).
#pragma once

#include <linux/seccomp.h>

#include <cstdint>
#include <optional>

#include "bpf.hpp"

namespace keel::seccomp::test {

// The program's return value for `data`, or nullopt when it runs off the end, jumps out of
// range or uses an instruction outside the subset.
std::optional<uint32_t> run_bpf(const Program& program, const seccomp_data& data);

seccomp_data syscall_data(uint32_t arch, int nr, uint64_t arg0 = 0);

}  // namespace keel::seccomp::test
