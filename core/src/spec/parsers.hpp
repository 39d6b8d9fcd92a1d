// Internal: one converter per model struct (found by the Reader's generic array/map readers through
// argument-dependent lookup), plus the checks that need the whole config.
#pragma once

#include "json_reader.hpp"
#include "keel/spec/model.hpp"

namespace keel::spec::detail {

// parse_process.cpp
Status get(Reader& r, const Value& v, Process& out);
Status get(Reader& r, const Value& v, Capabilities& out);
Status get(Reader& r, const Value& v, Rlimit& out);
Status get(Reader& r, const Value& v, User& out);
Status get(Reader& r, const Value& v, ConsoleSize& out);
Status get(Reader& r, const Value& v, Scheduler& out);
Status get(Reader& r, const Value& v, IoPriority& out);
Status get(Reader& r, const Value& v, CpuAffinity& out);

// parse_linux.cpp
Status get(Reader& r, const Value& v, Linux& out);
Status get(Reader& r, const Value& v, IdMapping& out);
Status get(Reader& r, const Value& v, Namespace& out);
Status get(Reader& r, const Value& v, Device& out);
Status get(Reader& r, const Value& v, IntelRdt& out);
Status get(Reader& r, const Value& v, TimeOffset& out);
Status get(Reader& r, const Value& v, Personality& out);
Status get(Reader& r, const Value& v, MemoryPolicy& out);
Status get(Reader& r, const Value& v, NetDevice& out);

// parse_resources.cpp
Status get(Reader& r, const Value& v, Resources& out);
Status get(Reader& r, const Value& v, DeviceRule& out);
Status get(Reader& r, const Value& v, Memory& out);
Status get(Reader& r, const Value& v, Cpu& out);
Status get(Reader& r, const Value& v, Pids& out);
Status get(Reader& r, const Value& v, BlockIo& out);
Status get(Reader& r, const Value& v, WeightDevice& out);
Status get(Reader& r, const Value& v, ThrottleDevice& out);
Status get(Reader& r, const Value& v, HugepageLimit& out);
Status get(Reader& r, const Value& v, Network& out);
Status get(Reader& r, const Value& v, NetPriority& out);
Status get(Reader& r, const Value& v, Rdma& out);

// parse_seccomp.cpp
Status get(Reader& r, const Value& v, Seccomp& out);
Status get(Reader& r, const Value& v, SeccompSyscall& out);
Status get(Reader& r, const Value& v, SeccompArg& out);

// parse_config.cpp
Status get(Reader& r, const Value& v, Root& out);
Status get(Reader& r, const Value& v, Mount& out);
Status get(Reader& r, const Value& v, Hooks& out);
Status get(Reader& r, const Value& v, Hook& out);

// validate_config.cpp: rules that relate several fields (namespaces vs. hostname, sysctl, ...).
Status validate_config(Reader& r, const Config& c);

// Small shared predicates.
inline bool is_abs(std::string_view p) {
  return !p.empty() && p.front() == '/';
}

}  // namespace keel::spec::detail
