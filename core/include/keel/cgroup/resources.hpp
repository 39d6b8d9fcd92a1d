// runtime-spec 1.3 linux.resources as plain optionals, parsed from its JSON text.
// Absent fields stay empty, so writers touch only what the caller asked for.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"

namespace keel::cgroup {

struct DeviceRule {
  bool allow = false;
  char type = 'a';     // a, c, b
  int64_t major = -1;  // -1 = wildcard
  int64_t minor = -1;
  std::string access = "rwm";
};

struct Memory {
  std::optional<int64_t> limit, reservation, swap, kernel, kernel_tcp;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disable_oom_killer, use_hierarchy, check_before_update;
};

struct Cpu {
  std::optional<uint64_t> shares, period, realtime_period, burst;
  std::optional<int64_t> quota, realtime_runtime, idle;
  std::optional<std::string> cpus, mems;
};

struct WeightDevice {
  int64_t major = 0, minor = 0;
  std::optional<uint16_t> weight, leaf_weight;
};
struct ThrottleDevice {
  int64_t major = 0, minor = 0;
  uint64_t rate = 0;
};
struct BlockIo {
  std::optional<uint16_t> weight, leaf_weight;
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> read_bps, write_bps, read_iops, write_iops;
  bool empty() const;
};

struct HugepageLimit {
  std::string page_size;  // "2MB"
  uint64_t limit = 0;
};

struct Network {
  std::optional<uint32_t> class_id;
  std::vector<std::pair<std::string, uint32_t>> priorities;
};

struct Rdma {
  std::optional<uint32_t> hca_handles, hca_objects;
};

struct Resources {
  std::optional<std::vector<DeviceRule>> devices;
  std::optional<Memory> memory;
  std::optional<Cpu> cpu;
  std::optional<int64_t> pids_limit;
  std::optional<BlockIo> block_io;
  std::vector<HugepageLimit> hugepage_limits;
  std::optional<Network> network;
  std::map<std::string, Rdma> rdma;
  std::map<std::string, std::string> unified;
};

Result<Resources> parse_resources(std::string_view json);

}  // namespace keel::cgroup
