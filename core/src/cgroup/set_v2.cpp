// cgroup v2 writers: one dir, v2 file names, runc's conversions from v1-style values.
#include "keel/cgroup/convert.hpp"
#include "keel/cgroup/devices.hpp"
#include "keel/cgroup/fs.hpp"
#include "keel/cgroup/writers.hpp"

namespace keel::cgroup {

Result<void> set_v1_rdma(const std::string& dir, const std::map<std::string, Rdma>& rdma);

namespace {

std::string str(auto v) {
  return std::to_string(v);
}

Result<void> memory(const std::string& dir, const Memory& m) {
  int64_t limit = m.limit.value_or(0);
  if (m.check_before_update.value_or(false) && limit > 0) {
    auto usage = read_u64(join(dir, "memory.current"));
    if (!usage) return std::unexpected(usage.error());
    if (static_cast<uint64_t>(limit) < *usage)
      return fail("cannot set memory limit to " + str(limit) + ": it is below the current usage " +
                      str(*usage),
                  EBUSY);
  }
  auto swap = swap_to_v2(m.swap.value_or(0), limit);
  if (!swap) return std::unexpected(swap.error());
  if (!swap->empty()) {
    auto r = write_file(dir, "memory.swap.max", *swap);
    // Without swap accounting the file is missing; "unlimited" then needs no write.
    if (!r && !(r.error().code == ENOENT && *swap == "max")) return r;
  }
  if (limit != 0) {
    if (auto r = write_file(dir, "memory.max", limit_to_v2(limit)); !r) return r;
  }
  if (m.reservation && *m.reservation != 0) {
    if (auto r = write_file(dir, "memory.low", limit_to_v2(*m.reservation)); !r) return r;
  }
  return {};
}

Result<void> cpu(const std::string& dir, const Cpu& c) {
  if ((c.realtime_period && *c.realtime_period != 0) ||
      (c.realtime_runtime && *c.realtime_runtime != 0))
    return fail("cpu.realtimePeriod and cpu.realtimeRuntime are not supported on cgroup v2",
                EOPNOTSUPP);
  Result<void> r;
  if (c.idle) r = write_file(dir, "cpu.idle", str(*c.idle));
  if (r && c.shares && *c.shares != 0)
    r = write_file(dir, "cpu.weight", str(shares_to_weight(*c.shares)));
  int64_t quota = c.quota.value_or(0);
  uint64_t period = c.period.value_or(0);
  if (r && (quota != 0 || period != 0)) {
    std::string v = quota > 0 ? str(quota) : "max";
    if (period != 0) v += " " + str(period);
    r = write_file(dir, "cpu.max", v);
  }
  if (r && c.burst) r = write_file(dir, "cpu.max.burst", str(*c.burst));
  if (r && c.cpus && !c.cpus->empty()) r = write_file(dir, "cpuset.cpus", *c.cpus);
  if (r && c.mems && !c.mems->empty()) r = write_file(dir, "cpuset.mems", *c.mems);
  return r;
}

Result<void> io(const std::string& dir, const BlockIo& b) {
  // With BFQ, io.bfq.weight takes the v1 range as is; else io.weight takes the converted value.
  bool bfq = exists(join(dir, "io.bfq.weight"));
  Result<void> r;
  if (b.weight && *b.weight != 0) {
    r = bfq ? write_file(dir, "io.bfq.weight", str(*b.weight))
            : write_file(dir, "io.weight", "default " + str(blkio_weight_to_io_weight(*b.weight)));
  }
  for (const WeightDevice& w : b.weight_device) {
    if (!r || !w.weight) continue;
    std::string d = str(w.major) + ":" + str(w.minor) + " ";
    r = bfq ? write_file(dir, "io.bfq.weight", d + str(*w.weight))
            : write_file(dir, "io.weight", d + str(blkio_weight_to_io_weight(*w.weight)));
  }
  auto throttle = [&](const std::vector<ThrottleDevice>& list, const char* key) {
    for (const ThrottleDevice& t : list) {
      if (r)
        r = write_file(dir, "io.max",
                       str(t.major) + ":" + str(t.minor) + " " + key + "=" + str(t.rate));
    }
  };
  throttle(b.read_bps, "rbps");
  throttle(b.write_bps, "wbps");
  throttle(b.read_iops, "riops");
  throttle(b.write_iops, "wiops");
  return r;
}

}  // namespace

Result<void> set_v2_hugetlb(const std::string& dir, const std::vector<HugepageLimit>& limits) {
  if (dir.empty())
    return fail("cannot set hugetlb limits: the hugetlb cgroup controller is not available",
                ENOENT);
  for (const HugepageLimit& l : limits) {
    if (auto r = write_file(dir, "hugetlb." + l.page_size + ".max", str(l.limit)); !r) return r;
    std::string rsvd = "hugetlb." + l.page_size + ".rsvd.max";
    if (exists(join(dir, rsvd))) {
      if (auto r = write_file(dir, rsvd, str(l.limit)); !r) return r;
    }
  }
  return {};
}

Result<void> set_v2_unified(const std::string& dir, const std::map<std::string, std::string>& kv) {
  for (const auto& [key, value] : kv) {
    if (key.find('/') != std::string::npos || key.empty() || key[0] == '.')
      return fail("linux.resources.unified: invalid key \"" + key + "\"");
    auto r = write_file(dir, key, value);
    if (!r && r.error().code == ENOENT)
      return fail("linux.resources.unified: cannot set \"" + key + "\": cgroup controller \"" +
                      key.substr(0, key.find('.')) + "\" not available",
                  ENOENT);
    if (!r) return r;
  }
  return {};
}

Result<void> set_v2(const std::string& dir, const Resources& r, const SetOptions& opts) {
  if (r.pids_limit) {
    std::string v = *r.pids_limit > 0 ? str(*r.pids_limit) : "max";
    if (auto w = write_file(dir, "pids.max", v); !w) return w;
  }
  if (r.memory) {
    if (auto w = memory(dir, *r.memory); !w) return w;
  }
  if (r.block_io && !r.block_io->empty()) {
    if (auto w = io(dir, *r.block_io); !w) return w;
  }
  if (r.cpu) {
    if (auto w = cpu(dir, *r.cpu); !w) return w;
  }
  if (r.devices || opts.at_create) {
    auto program = device_filter_program(
        effective_device_rules(r.devices.value_or(std::vector<DeviceRule>{})));
    if (!program) return std::unexpected(program.error());
    if (!opts.skip_device_bpf) {
      if (auto w = attach_device_filter(dir, *program); !w) return w;
    }
  }
  if (!r.hugepage_limits.empty()) {
    if (auto w = set_v2_hugetlb(dir, r.hugepage_limits); !w) return w;
  }
  if (r.network)
    return fail(
        "cannot set network limits: the net_cls and net_prio controllers exist only on "
        "cgroup v1",
        EOPNOTSUPP);
  if (!r.rdma.empty()) {
    if (auto w = set_v1_rdma(dir, r.rdma); !w) return w;
  }
  return set_v2_unified(dir, r.unified);
}

}  // namespace keel::cgroup
