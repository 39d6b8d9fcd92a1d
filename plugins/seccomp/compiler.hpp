// compile(): linux.seccomp JSON -> ready BPF program + seccomp(2) flags, through the cache.
// This is everything the plugin's compile entry point does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "filter_builder.hpp"
#include "keel/error.hpp"

namespace keel::seccomp {

struct Compiled {
  std::string bpf;     // raw struct sock_filter[]; empty when the profile disables seccomp
  uint32_t flags = 0;  // SECCOMP_FILTER_FLAG_*, never NEW_LISTENER
  bool needs_listener = false;
  bool from_cache = false;
};

Result<Compiled> compile(std::string_view seccomp_json, std::string_view cache_dir,
                         const DebugLog& debug);

// The flags seccomp(2) will get: the spec's list, or runc's default (SPEC_ALLOW when the kernel
// has it) when the list is absent. Refuses flags this kernel does not know.
Result<uint32_t> filter_flags(const Profile& profile, const DebugLog& debug);

}  // namespace keel::seccomp
