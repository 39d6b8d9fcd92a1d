// cgroup v1 writers: one file per value, in runc's order.
#include <string>

#include "keel/cgroup/devices.hpp"
#include "keel/cgroup/fs.hpp"
#include "keel/cgroup/writers.hpp"

namespace keel::cgroup {

namespace {

std::string str(auto v) {
  return std::to_string(v);
}

// The dir of a controller we are about to write, or an error naming the controller.
Result<std::string> require(const CgroupSet& set, const std::string& controller) {
  std::string dir = set.dir_for(controller);
  if (dir.empty())
    return fail("cannot set " + controller + " limits: the " + controller +
                    " cgroup controller is not available on this host",
                ENOENT);
  return dir;
}

Result<void> check_usage(const std::string& dir, const char* usage_file, int64_t limit) {
  if (limit <= 0) return {};
  auto usage = read_u64(join(dir, usage_file));
  if (!usage) return std::unexpected(usage.error());
  if (static_cast<uint64_t>(limit) < *usage)
    return fail("cannot set memory limit to " + str(limit) + ": it is below the current usage " +
                    str(*usage),
                EBUSY);
  return {};
}

Result<void> memory_and_swap(const std::string& dir, int64_t limit, int64_t swap) {
  const char* limit_file = "memory.limit_in_bytes";
  const char* swap_file = "memory.memsw.limit_in_bytes";
  if (limit == -1 && swap == 0 && exists(join(dir, swap_file))) swap = -1;
  auto write_limit = [&]() -> Result<void> {
    return limit == 0 ? Result<void>{} : write_file(dir, limit_file, str(limit));
  };
  auto write_swap = [&]() -> Result<void> {
    return swap == 0 ? Result<void>{} : write_file(dir, swap_file, str(swap));
  };
  // memsw must stay >= limit at every step: raise swap first when it grows.
  if (limit != 0 && swap != 0) {
    auto cur = read_u64(join(dir, limit_file));
    if (!cur) return std::unexpected(cur.error());
    if (swap == -1 || *cur < static_cast<uint64_t>(swap)) {
      if (auto r = write_swap(); !r) return r;
      return write_limit();
    }
  }
  if (auto r = write_limit(); !r) return r;
  return write_swap();
}

Result<void> memory(const CgroupSet& set, const Memory& m) {
  auto dir = require(set, "memory");
  if (!dir) return std::unexpected(dir.error());
  if (m.check_before_update.value_or(false)) {
    if (auto r = check_usage(*dir, "memory.usage_in_bytes", m.limit.value_or(0)); !r) return r;
  }
  if (auto r = memory_and_swap(*dir, m.limit.value_or(0), m.swap.value_or(0)); !r) return r;
  Result<void> r;
  if (m.reservation && *m.reservation != 0)
    r = write_file(*dir, "memory.soft_limit_in_bytes", str(*m.reservation));
  // kmem limits are gone from newer kernels: write them only where the files still exist.
  if (r && m.kernel && *m.kernel != 0 && exists(join(*dir, "memory.kmem.limit_in_bytes")))
    r = write_file(*dir, "memory.kmem.limit_in_bytes", str(*m.kernel));
  if (r && m.kernel_tcp && *m.kernel_tcp != 0 &&
      exists(join(*dir, "memory.kmem.tcp.limit_in_bytes")))
    r = write_file(*dir, "memory.kmem.tcp.limit_in_bytes", str(*m.kernel_tcp));
  if (r && m.swappiness) {
    if (*m.swappiness > 100)
      return fail("invalid memory swappiness value: " + str(*m.swappiness) + " (range 0-100)");
    r = write_file(*dir, "memory.swappiness", str(*m.swappiness));
  }
  if (r && m.disable_oom_killer.value_or(false)) r = write_file(*dir, "memory.oom_control", "1");
  if (r && m.use_hierarchy)
    r = write_file(*dir, "memory.use_hierarchy", *m.use_hierarchy ? "1" : "0");
  return r;
}

Result<void> cpu_bandwidth(const std::string& dir, const Cpu& c) {
  std::string period;
  if (c.period && *c.period != 0) {
    period = str(*c.period);
    auto r = write_file(dir, "cpu.cfs_period_us", period);
    // A smaller period can be refused while the old quota is in place: retry after the quota.
    if (!r && (r.error().code != EINVAL || !c.quota || *c.quota == 0)) return r;
    if (r) period.clear();
  }
  if (c.quota && *c.quota != 0) {
    if (auto r = write_file(dir, "cpu.cfs_quota_us", str(*c.quota)); !r) return r;
    if (!period.empty()) {
      if (auto r = write_file(dir, "cpu.cfs_period_us", period); !r) return r;
    }
  }
  if (c.burst) {
    if (auto r = write_file(dir, "cpu.cfs_burst_us", str(*c.burst)); !r) return r;
  }
  return {};
}

Result<void> cpu(const CgroupSet& set, const Cpu& c) {
  bool wants_cpu = c.shares || c.period || c.quota || c.burst || c.realtime_period ||
                   c.realtime_runtime || c.idle;
  if (wants_cpu) {
    auto dir = require(set, "cpu");
    if (!dir) return std::unexpected(dir.error());
    if (c.shares && *c.shares != 0) {
      if (auto r = write_file(*dir, "cpu.shares", str(*c.shares)); !r) return r;
      // The kernel clamps silently; say so instead of running with another value.
      auto got = read_u64(join(*dir, "cpu.shares"));
      if (got && *got != *c.shares && *got != 0)
        return fail("the " + std::string(*c.shares > *got ? "maximum" : "minimum") +
                    " allowed cpu-shares is " + str(*got));
    }
    if (auto r = cpu_bandwidth(*dir, c); !r) return r;
    if (c.realtime_period && *c.realtime_period != 0) {
      if (auto r = write_file(*dir, "cpu.rt_period_us", str(*c.realtime_period)); !r) return r;
    }
    if (c.realtime_runtime && *c.realtime_runtime != 0) {
      if (auto r = write_file(*dir, "cpu.rt_runtime_us", str(*c.realtime_runtime)); !r) return r;
    }
    if (c.idle) {
      if (auto r = write_file(*dir, "cpu.idle", str(*c.idle)); !r) return r;
    }
  }
  if ((c.cpus && !c.cpus->empty()) || (c.mems && !c.mems->empty())) {
    auto dir = require(set, "cpuset");
    if (!dir) return std::unexpected(dir.error());
    if (c.cpus && !c.cpus->empty()) {
      if (auto r = write_file(*dir, "cpuset.cpus", *c.cpus); !r) return r;
    }
    if (c.mems && !c.mems->empty()) {
      if (auto r = write_file(*dir, "cpuset.mems", *c.mems); !r) return r;
    }
  }
  return {};
}

std::string dev(int64_t major, int64_t minor) {
  return str(major) + ":" + str(minor);
}

Result<void> block_io(const CgroupSet& set, const BlockIo& b) {
  auto dir = require(set, "blkio");
  if (!dir) return std::unexpected(dir.error());
  // BFQ kernels have blkio.bfq.weight instead of blkio.weight.
  std::string weight_file = "blkio.weight", weight_device_file = "blkio.weight_device";
  if (!exists(join(*dir, weight_file)) && exists(join(*dir, "blkio.bfq.weight"))) {
    weight_file = "blkio.bfq.weight";
    weight_device_file = "blkio.bfq.weight_device";
  }
  Result<void> r;
  if (b.weight && *b.weight != 0) r = write_file(*dir, weight_file, str(*b.weight));
  if (r && b.leaf_weight && *b.leaf_weight != 0)
    r = write_file(*dir, "blkio.leaf_weight", str(*b.leaf_weight));
  for (const WeightDevice& w : b.weight_device) {
    if (r && w.weight)
      r = write_file(*dir, weight_device_file, dev(w.major, w.minor) + " " + str(*w.weight));
    if (r && w.leaf_weight)
      r = write_file(*dir, "blkio.leaf_weight_device",
                     dev(w.major, w.minor) + " " + str(*w.leaf_weight));
  }
  auto throttle = [&](const std::vector<ThrottleDevice>& list, const char* file) {
    for (const ThrottleDevice& t : list) {
      if (r) r = write_file(*dir, file, dev(t.major, t.minor) + " " + str(t.rate));
    }
  };
  throttle(b.read_bps, "blkio.throttle.read_bps_device");
  throttle(b.write_bps, "blkio.throttle.write_bps_device");
  throttle(b.read_iops, "blkio.throttle.read_iops_device");
  throttle(b.write_iops, "blkio.throttle.write_iops_device");
  return r;
}

Result<void> hugetlb(const CgroupSet& set, const std::vector<HugepageLimit>& limits) {
  if (set.in_unified("hugetlb")) return set_v2_hugetlb(set.dir_for("hugetlb"), limits);
  auto dir = require(set, "hugetlb");
  if (!dir) return std::unexpected(dir.error());
  for (const HugepageLimit& l : limits) {
    std::string file = "hugetlb." + l.page_size + ".limit_in_bytes";
    if (auto r = write_file(*dir, file, str(l.limit)); !r) return r;
    std::string rsvd = "hugetlb." + l.page_size + ".rsvd.limit_in_bytes";
    if (exists(join(*dir, rsvd))) {
      if (auto r = write_file(*dir, rsvd, str(l.limit)); !r) return r;
    }
  }
  return {};
}

Result<void> network(const CgroupSet& set, const Network& n) {
  if (n.class_id) {
    auto dir = require(set, "net_cls");
    if (!dir) return std::unexpected(dir.error());
    if (auto r = write_file(*dir, "net_cls.classid", str(*n.class_id)); !r) return r;
  }
  if (!n.priorities.empty()) {
    auto dir = require(set, "net_prio");
    if (!dir) return std::unexpected(dir.error());
    for (const auto& [name, prio] : n.priorities) {
      if (auto r = write_file(*dir, "net_prio.ifpriomap", name + " " + str(prio)); !r) return r;
    }
  }
  return {};
}

Result<void> unified_on_hybrid(const CgroupSet& set, const std::map<std::string, std::string>& kv) {
  if (set.mode == Mode::v1 || set.dir_for("unified").empty())
    return fail("linux.resources.unified needs cgroup v2, and this host has only cgroup v1",
                EOPNOTSUPP);
  for (const auto& [key, value] : kv) {
    std::string controller = key.substr(0, key.find('.'));
    if (!set.unified_controllers.contains(controller))
      return fail("linux.resources.unified: cannot set \"" + key + "\": the " + controller +
                      " controller is not on the cgroup v2 hierarchy of this hybrid host",
                  EOPNOTSUPP);
  }
  return set_v2_unified(set.dir_for("unified"), kv);
}

}  // namespace

Result<void> set_v1_rdma(const std::string& dir, const std::map<std::string, Rdma>& rdma);

Result<void> set_v1(const CgroupSet& set, const Resources& r, const SetOptions& opts) {
  if (r.devices || opts.at_create) {
    auto dir = require(set, "devices");
    if (!dir) return std::unexpected(dir.error());
    auto policy =
        compile_device_rules(effective_device_rules(r.devices.value_or(std::vector<DeviceRule>{})));
    if (!policy) return std::unexpected(policy.error());
    // From the cgroup's current list, so an update never passes through deny-all (runc's
    // transition); a new cgroup inherits allow-all and gets the full sequence.
    auto current = read_file(join(*dir, "devices.list"));
    auto listed =
        current ? parse_devices_list(*current) : Result<DevicePolicy>(DevicePolicy{true, {}});
    auto writes = listed ? v1_device_transition(*listed, *policy) : v1_device_writes(*policy);
    // Runs of writes to the same file share one open (a new cgroup's eleven allow rules).
    for (size_t i = 0; i < writes.size();) {
      std::vector<std::string> run;
      size_t j = i;
      for (; j < writes.size() && writes[j].first == writes[i].first; ++j)
        run.push_back(writes[j].second);
      if (auto w = write_each(*dir, writes[i].first, run); !w) return w;
      i = j;
    }
  }
  if (r.memory) {
    if (auto w = memory(set, *r.memory); !w) return w;
  }
  if (r.cpu) {
    if (auto w = cpu(set, *r.cpu); !w) return w;
  }
  if (r.pids_limit) {
    auto dir = require(set, "pids");
    if (!dir) return std::unexpected(dir.error());
    std::string v = *r.pids_limit > 0 ? str(*r.pids_limit) : "max";
    if (auto w = write_file(*dir, "pids.max", v); !w) return w;
  }
  if (r.block_io && !r.block_io->empty()) {
    if (auto w = block_io(set, *r.block_io); !w) return w;
  }
  if (!r.hugepage_limits.empty()) {
    if (auto w = hugetlb(set, r.hugepage_limits); !w) return w;
  }
  if (r.network) {
    if (auto w = network(set, *r.network); !w) return w;
  }
  if (!r.rdma.empty()) {
    auto dir = require(set, "rdma");
    if (!dir) return std::unexpected(dir.error());
    if (auto w = set_v1_rdma(*dir, r.rdma); !w) return w;
  }
  if (!r.unified.empty()) return unified_on_hybrid(set, r.unified);
  return {};
}

// rdma.max has the same spelling on v1 and v2.
Result<void> set_v1_rdma(const std::string& dir, const std::map<std::string, Rdma>& rdma) {
  for (const auto& [device, limits] : rdma) {
    std::string line = device;
    line += " hca_handle=" + (limits.hca_handles ? str(*limits.hca_handles) : "max");
    line += " hca_object=" + (limits.hca_objects ? str(*limits.hca_objects) : "max");
    if (auto r = write_file(dir, "rdma.max", line); !r) return r;
  }
  return {};
}

}  // namespace keel::cgroup
