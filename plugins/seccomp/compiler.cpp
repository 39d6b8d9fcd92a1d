#include "compiler.hpp"

#include <linux/seccomp.h>

#include "cache.hpp"
#include "enosys_stub.hpp"
#include "kernel_probe.hpp"
#include "profile.hpp"
#include "text.hpp"

namespace keel::seccomp {
namespace {

constexpr uint32_t kWaitKillableRecv = 1u << 5;

Result<Compiled> compile_fresh(std::string_view json, const DebugLog& debug) {
  auto profile = parse_profile(json);
  if (!profile) return std::unexpected(profile.error());
  if (profile->disabled) return Compiled{};
  auto flags = filter_flags(*profile, debug);
  if (!flags) return std::unexpected(flags.error());
  auto filter = build_filter(*profile, debug);
  if (!filter) return std::unexpected(filter.error());
  Program stub;
  if (needs_enosys_stub(*profile)) stub = enosys_stub(syscall_limits(*profile));
  auto program = splice(stub, *filter);
  if (!program) return std::unexpected(program.error());
  return Compiled{to_bytes(*program), *flags, profile->uses_notify, false};
}

}  // namespace

Result<uint32_t> filter_flags(const Profile& p, const DebugLog& debug) {
  if (!p.flags_given)
    return kernel_supports_flag(SECCOMP_FILTER_FLAG_SPEC_ALLOW) ? SECCOMP_FILTER_FLAG_SPEC_ALLOW
                                                                : 0;
  uint32_t flags = 0;
  for (size_t i = 0; i < p.requested_flags.size(); ++i) {
    const FlagName& f = p.requested_flags[i];
    if (!kernel_supports_flag(f.bit))
      return fail(
          cat("linux.seccomp.flags[", i, "]: ", f.name, " is not supported by this kernel"));
    if (f.bit == kWaitKillableRecv && !p.uses_notify) {
      // The kernel refuses it without a listener; it has nothing to act on then anyway.
      if (debug)
        debug("seccomp: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV ignored (no SCMP_ACT_NOTIFY rule)");
      continue;
    }
    flags |= f.bit;
  }
  return flags;
}

Result<Compiled> compile(std::string_view json, std::string_view cache_dir, const DebugLog& debug) {
  if (cache_dir.empty()) return compile_fresh(json, debug);
  ProgramCache cache{std::string(cache_dir)};
  auto key = cache_key(json);
  if (auto hit = cache.load(key, debug))
    return Compiled{std::move(hit->bpf), hit->flags, hit->needs_listener, true};
  auto fresh = compile_fresh(json, debug);
  if (!fresh || fresh->bpf.empty()) return fresh;
  // A cache that cannot be written only costs speed: say why, keep the program.
  if (auto stored = cache.store(key, {fresh->bpf, fresh->flags, fresh->needs_listener}); !stored)
    if (debug) debug(cat("seccomp cache: not stored: ", stored.error().message));
  return fresh;
}

}  // namespace keel::seccomp
