// runc's -ENOSYS stub, our own implementation: a BPF prologue placed before libseccomp's program
// so that syscalls newer than every syscall the profile names fail with ENOSYS instead of the
// default action. glibc only falls back from clone3/faccessat2/... on ENOSYS, never on EPERM.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "bpf.hpp"
#include "keel/error.hpp"

namespace keel::seccomp {

// The x32 ABI shares AUDIT_ARCH_X86_64 and marks its syscall numbers with this bit.
inline constexpr uint32_t kX32SyscallBit = 0x40000000u;

struct ArchLimit {
  uint32_t audit_arch = 0;             // seccomp_data.arch as the kernel reports it
  std::optional<uint32_t> max_nr;      // largest number the profile names (x86_64: non-x32 calls)
  std::optional<uint32_t> max_x32_nr;  // AUDIT_ARCH_X86_64 only: largest x32 number (bit included)
  bool zero_is_multiplexer = false;    // s390(x): nr 0 carries syscalls the kernel does not know
};

// The stub, or an empty program when no arch has a limit. Every path through the stub ends
// either in `ret ERRNO(ENOSYS)` or by falling through to the instruction right after it, so it
// can be prepended to any program without touching that program's (relative) jumps.
Program enosys_stub(const std::vector<ArchLimit>& limits);

// stub + filter, refusing a result the kernel would refuse (more than BPF_MAXINSNS).
Result<Program> splice(const Program& stub, const Program& filter);

}  // namespace keel::seccomp
