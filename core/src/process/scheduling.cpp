// CPU scheduling: policy (sched_setattr), I/O priority, CPU affinity and personality.
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

#include "keel/linux/process.hpp"
#include "keel/spec/names.hpp"

namespace keel::process {
namespace {

// struct sched_attr (SCHED_ATTR_SIZE_VER1); glibc 2.36 has no wrapper for sched_setattr.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

// The policy and flag tables are indexed by their kernel numbers; keep them honest.
static_assert(spec::names::scheduler_policies[3] == "SCHED_BATCH");
static_assert(spec::names::scheduler_policies[6] == "SCHED_DEADLINE");
static_assert(spec::names::scheduler_flags[0] == "SCHED_FLAG_RESET_ON_FORK");
static_assert(spec::names::scheduler_flags[6] == "SCHED_FLAG_UTIL_CLAMP_MAX");

constexpr int kIoprioWhoProcess = 1;
constexpr int kIoprioClassShift = 13;

Result<uint64_t> scheduler_flag(const std::string& name) {
  // Bit i is the i-th flag of the spec's list (SCHED_FLAG_RESET_ON_FORK = 0x01 ...).
  const auto& flags = spec::names::scheduler_flags;
  for (size_t i = 0; i < flags.size(); ++i) {
    if (flags[i] == name) return uint64_t{1} << i;
  }
  return fail("invalid scheduler flag: " + name);
}

Result<SchedAttr> to_sched_attr(const spec::Scheduler& s) {
  SchedAttr attr{};
  attr.size = sizeof attr;
  const auto& policies = spec::names::scheduler_policies;  // index == policy number
  size_t policy = 0;
  while (policy < policies.size() && policies[policy] != s.policy) ++policy;
  if (policy == policies.size()) return fail("invalid scheduler policy: " + s.policy);
  attr.sched_policy = static_cast<uint32_t>(policy);
  for (const auto& f : s.flags) {
    auto bit = scheduler_flag(f);
    if (!bit) return std::unexpected(bit.error());
    attr.sched_flags |= *bit;
  }
  attr.sched_nice = s.nice.value_or(0);
  attr.sched_priority = static_cast<uint32_t>(s.priority.value_or(0));
  attr.sched_runtime = s.runtime.value_or(0);
  attr.sched_deadline = s.deadline.value_or(0);
  attr.sched_period = s.period.value_or(0);
  return attr;
}

bool parse_uint(std::string_view text, unsigned& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && !text.empty();
}

// "0-3,7" -> cpu_set_t.
Result<cpu_set_t> parse_cpu_list(const std::string& list) {
  cpu_set_t set;
  CPU_ZERO(&set);
  auto bad = [&] { return fail("invalid CPU affinity list \"" + list + "\""); };
  std::string_view rest = list;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (comma != std::string_view::npos && rest.empty()) return bad();
    unsigned first = 0, last = 0;
    const size_t dash = item.find('-');
    if (dash == std::string_view::npos) {
      if (!parse_uint(item, first)) return bad();
      last = first;
    } else if (!parse_uint(item.substr(0, dash), first) ||
               !parse_uint(item.substr(dash + 1), last) || last < first) {
      return bad();
    }
    if (last >= CPU_SETSIZE) return bad();
    for (unsigned cpu = first; cpu <= last; ++cpu) CPU_SET(cpu, &set);
  }
  return set;
}

}  // namespace

Result<void> apply_scheduler(const spec::Scheduler& scheduler) {
  auto attr = to_sched_attr(scheduler);
  if (!attr) return std::unexpected(attr.error());
  if (syscall(SYS_sched_setattr, 0, &*attr, 0) != 0) return sys_error("error setting scheduler");
  return {};
}

Result<void> apply_io_priority(const spec::IoPriority& io_priority) {
  auto io_class = spec::names::lookup(spec::names::io_priority_classes, io_priority.io_class);
  if (!io_class) return fail("invalid io priority class: " + io_priority.io_class);
  const int value = (*io_class << kIoprioClassShift) | io_priority.priority;
  if (syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, value) != 0) {
    return sys_error("failed to set io priority");
  }
  return {};
}

Result<void> apply_cpu_affinity(pid_t pid, const std::string& cpus) {
  if (cpus.empty()) return {};
  auto set = parse_cpu_list(cpus);
  if (!set) return std::unexpected(set.error());
  if (sched_setaffinity(pid, sizeof *set, &*set) != 0) {
    return sys_error("setting CPU affinity to " + cpus);
  }
  return {};
}

Result<void> apply_personality(const spec::Personality& p, std::vector<std::string>* warnings) {
  auto domain = spec::names::lookup(spec::names::personality_domains, p.domain);
  if (!domain) return fail("invalid personality domain " + p.domain);
  if (!p.flags.empty() && warnings) {
    warnings->push_back("ignoring unsupported personality flags");
  }
  if (personality(static_cast<unsigned long>(*domain)) == -1) {
    return sys_error("setting personality " + p.domain);
  }
  return {};
}

}  // namespace keel::process
