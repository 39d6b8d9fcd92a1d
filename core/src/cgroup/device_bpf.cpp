// Loads and attaches the v2 device filter with the raw bpf(2) syscall.
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "keel/cgroup/devices.hpp"
#include "keel/fd.hpp"

namespace keel::cgroup {

namespace {

long bpf(int cmd, bpf_attr* attr) {
  return ::syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

Result<UniqueFd> load(const std::vector<bpf_insn>& program) {
  static const char license[] = "Apache";
  bpf_attr attr{};
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = reinterpret_cast<uint64_t>(program.data());
  attr.insn_cnt = static_cast<uint32_t>(program.size());
  attr.license = reinterpret_cast<uint64_t>(license);
  long fd = bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  int err = errno;
  // Load again with the verifier log so the error says why.
  std::string log(16384, '\0');
  attr.log_level = 1;
  attr.log_buf = reinterpret_cast<uint64_t>(log.data());
  attr.log_size = static_cast<uint32_t>(log.size());
  fd = bpf(BPF_PROG_LOAD, &attr);
  if (fd >= 0) return UniqueFd(static_cast<int>(fd));
  log.resize(std::strlen(log.c_str()));
  return std::unexpected(Error{err, std::string("loading the device eBPF program: ") +
                                        std::strerror(err) + (log.empty() ? "" : ": " + log)});
}

// Device programs already attached to the cgroup, as fds.
Result<std::vector<UniqueFd>> attached(int cgroup_fd) {
  uint32_t ids[64] = {};
  bpf_attr attr{};
  attr.query.target_fd = static_cast<uint32_t>(cgroup_fd);
  attr.query.attach_type = BPF_CGROUP_DEVICE;
  attr.query.prog_ids = reinterpret_cast<uint64_t>(ids);
  attr.query.prog_cnt = 64;
  if (bpf(BPF_PROG_QUERY, &attr) != 0) return sys_error("querying device eBPF programs");
  std::vector<UniqueFd> out;
  for (uint32_t i = 0; i < attr.query.prog_cnt && i < 64; ++i) {
    bpf_attr get{};
    get.prog_id = ids[i];
    long fd = bpf(BPF_PROG_GET_FD_BY_ID, &get);
    if (fd < 0) return sys_error("opening attached device eBPF program " + std::to_string(ids[i]));
    out.emplace_back(static_cast<int>(fd));
  }
  return out;
}

}  // namespace

Result<void> attach_device_filter(const std::string& cgroup_dir,
                                  const std::vector<bpf_insn>& program) {
  UniqueFd dir(::open(cgroup_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return sys_error("opening cgroup " + cgroup_dir);
  auto old = attached(dir.get());
  if (!old) return std::unexpected(old.error().context("cgroup " + cgroup_dir));
  auto prog = load(program);
  if (!prog) return std::unexpected(prog.error().context("cgroup " + cgroup_dir));
  bpf_attr attr{};
  attr.target_fd = static_cast<uint32_t>(dir.get());
  attr.attach_bpf_fd = static_cast<uint32_t>(prog->get());
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf(BPF_PROG_ATTACH, &attr) != 0)
    return sys_error("attaching the device eBPF program to " + cgroup_dir);
  // The new filter is in place: only now drop the old ones, so there is never a gap.
  for (const UniqueFd& o : *old) {
    bpf_attr detach{};
    detach.target_fd = static_cast<uint32_t>(dir.get());
    detach.attach_bpf_fd = static_cast<uint32_t>(o.get());
    detach.attach_type = BPF_CGROUP_DEVICE;
    if (bpf(BPF_PROG_DETACH, &detach) != 0 && errno != ENOENT)
      return sys_error("detaching the previous device eBPF program from " + cgroup_dir);
  }
  return {};
}

}  // namespace keel::cgroup
