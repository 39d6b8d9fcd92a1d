#include "filter_builder.hpp"

#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <memory>

#include "keel/fd.hpp"
#include "text.hpp"

namespace keel::seccomp {
namespace {

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

// libseccomp returns -errno.
std::unexpected<Error> lib_error(std::string_view what, int rc) {
  return sys_error(what, -rc);
}

// runc enables libseccomp's binary tree above this many rules (libseccomp <= 2.5.4 misbehaves
// with the tree and no rules at all).
constexpr size_t kBinaryTreeThreshold = 32;

Result<Ctx> new_context(const Profile& p) {
  Ctx ctx(seccomp_init(p.default_action));
  if (!ctx) return fail("creating seccomp filter: libseccomp refused the default action");
  for (uint32_t arch : p.arches) {
    int rc = seccomp_arch_add(ctx.get(), arch);
    if (rc < 0 && rc != -EEXIST) return lib_error("adding architecture to seccomp filter", rc);
  }
  // The kernel gets no_new_privs from the core, not from the filter.
  seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
  if (p.rules.size() > kBinaryTreeThreshold)
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2);
  return ctx;
}

// runc's rule: conditions on distinct arguments are ANDed in one rule; as soon as two conditions
// test the same argument, each condition becomes a rule of its own (so they are ORed).
bool repeats_an_argument(const std::vector<Condition>& conditions) {
  std::array<int, 6> seen{};
  for (auto& c : conditions)
    if (++seen[c.index] > 1) return true;
  return false;
}

Result<void> add_rule(scmp_filter_ctx ctx, const Rule& r, int nr) {
  std::vector<scmp_arg_cmp> cmps;
  for (auto& c : r.conditions) cmps.push_back(scmp_arg_cmp{c.index, c.op, c.value, c.value_two});
  auto add = [&](unsigned count, const scmp_arg_cmp* args) -> Result<void> {
    int rc = seccomp_rule_add_array(ctx, r.action, nr, count, args);
    if (rc < 0)
      return lib_error(cat("linux.seccomp.syscalls[", r.entry, "]: adding rule for ", r.name), rc);
    return {};
  };
  if (!repeats_an_argument(r.conditions)) return add(unsigned(cmps.size()), cmps.data());
  for (auto& cmp : cmps)
    if (auto res = add(1, &cmp); !res) return res;
  return {};
}

Result<Program> export_program(scmp_filter_ctx ctx) {
  UniqueFd fd(memfd_create("keel-seccomp", MFD_CLOEXEC));
  if (!fd) return sys_error("creating memfd for the seccomp program");
  if (int rc = seccomp_export_bpf(ctx, fd.get()); rc < 0)
    return lib_error("exporting seccomp program", rc);
  off_t size = lseek(fd.get(), 0, SEEK_END);
  if (size < 0) return sys_error("reading seccomp program");
  if (size == 0 || size % sizeof(Insn) != 0)
    return fail(cat("exporting seccomp program: unexpected size ", size), EIO);
  std::string bytes(size_t(size), '\0');
  if (pread(fd.get(), bytes.data(), bytes.size(), 0) != size)
    return sys_error("reading seccomp program");
  return from_bytes(bytes);
}

// seccomp_data.arch for a libseccomp token: the same value except for x32's private token.
uint32_t audit_arch_of(uint32_t token) {
  return token == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : token;
}

}  // namespace

Result<Program> build_filter(const Profile& p, const DebugLog& debug) {
  auto ctx = new_context(p);
  if (!ctx) return std::unexpected(ctx.error());
  for (const Rule& r : p.rules) {
    if (r.action == p.default_action) continue;  // redundant, and libseccomp refuses it
    int nr = seccomp_syscall_resolve_name(r.name.c_str());
    if (nr == __NR_SCMP_ERROR) {
      if (debug) debug(cat("seccomp: unknown syscall \"", r.name, "\" ignored"));
      continue;
    }
    if (auto res = add_rule(ctx->get(), r, nr); !res) return std::unexpected(res.error());
  }
  return export_program(ctx->get());
}

std::vector<ArchLimit> syscall_limits(const Profile& p) {
  std::vector<uint32_t> tokens = {seccomp_arch_native()};
  for (uint32_t t : p.arches)
    if (std::find(tokens.begin(), tokens.end(), t) == tokens.end()) tokens.push_back(t);

  std::map<uint32_t, ArchLimit> by_audit;
  for (uint32_t token : tokens) {
    std::optional<uint32_t> max;
    for (const Rule& r : p.rules) {
      int nr = seccomp_syscall_resolve_name_arch(token, r.name.c_str());
      if (nr < 0) continue;  // unknown here, or a pseudo number of a multiplexed call
      if (!max || uint32_t(nr) > *max) max = uint32_t(nr);
    }
    if (!max) continue;
    ArchLimit& l = by_audit[audit_arch_of(token)];
    l.audit_arch = audit_arch_of(token);
    (token == SCMP_ARCH_X32 ? l.max_x32_nr : l.max_nr) = max;
    l.zero_is_multiplexer = token == SCMP_ARCH_S390 || token == SCMP_ARCH_S390X;
  }
  std::vector<ArchLimit> out;
  for (auto& [_, l] : by_audit) out.push_back(l);
  return out;
}

bool needs_enosys_stub(const Profile& p) {
  switch (p.default_kind) {
    case ActionKind::allow:
    case ActionKind::log:
    case ActionKind::trace:
      return false;
    case ActionKind::errno_:
      return p.default_errno_ret.value_or(EPERM) != ENOSYS;
    default:
      return !p.rules.empty();
  }
}

}  // namespace keel::seccomp
