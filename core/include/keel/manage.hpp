// Managing a running container through its recorded cgroup manager: update, pause, resume, ps,
// events. Each command loads only the cgroup plugin named in the container's state.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"
#include "keel/lifecycle.hpp"

namespace keel::manage {

// ---- value syntax ---------------------------------------------------------------------------

// go-units RAMInBytes: "64m", "1.5G", "512 KiB", "100b"; k m g t p are powers of 1024.
// Error: "invalid size: '<text>'".
Result<int64_t> ram_in_bytes(std::string_view text);
// Go's time.ParseDuration: "5s", "500ms", "1m30s", "1.5h", "-1s".
// Error: "time: invalid duration \"<text>\"".
Result<std::chrono::nanoseconds> parse_go_duration(std::string_view text);

// ---- update ---------------------------------------------------------------------------------

// The runc `update` flags that were given (long name without dashes -> value text), turned into
// a LinuxResources JSON patch. Errors are runc's ("invalid value for memory: invalid size: 'x'").
Result<std::string> patch_from_flags(const std::map<std::string, std::string>& flags);

// A LinuxResources JSON (from --resources or patch_from_flags) reduced to what runc's update
// applies, with runc's "0 / empty string = unchanged" rule: memory limit/reservation/swap,
// checkBeforeUpdate; cpu shares/quota/period/burst/realtime*/cpus/mems/idle; blockIO weight;
// pids limit; unified. Everything else (devices, hugepages, throttles...) is dropped, as runc does.
Result<std::string> normalize_patch(std::string_view resources_json);

// Objects merge key by key (recursively); any other patch value replaces the base's.
Result<std::string> merge_json(std::string_view base, std::string_view patch);

// linux.resources of a config.json text ("{}" when absent), and the config with it replaced.
Result<std::string> config_resources(std::string_view config_json);
Result<std::string> config_with_resources(std::string_view config_json,
                                          std::string_view resources_json);

struct UpdateRequest {
  std::string patch_json;  // normalized LinuxResources patch
  std::string l3_cache_schema, mem_bw_schema;
};

// Checks Intel RDT, writes the merged resources with the container's cgroup manager and stores
// them in the container's config under its lock. "container not running" when stopped.
Result<void> update_container(const GlobalOptions&, const std::string& id, const UpdateRequest&);

// ---- pause / resume -------------------------------------------------------------------------

// Freezes a running or created container and records it ("container not running" otherwise).
Result<void> pause_container(const GlobalOptions&, const std::string& id);
// Thaws a paused container ("container not paused" otherwise).
Result<void> resume_container(const GlobalOptions&, const std::string& id);

// ---- ps -------------------------------------------------------------------------------------

// Every pid in the container's cgroup (host pid namespace), sorted.
Result<std::vector<pid_t>> container_pids(const GlobalOptions&, const std::string& id);
// runc's `ps --format json`: Go's encoding of []int plus a newline ("null\n" when empty).
std::string pids_json(const std::vector<pid_t>& pids);
// keel's `ps --format json-full`: [{"pid","ppid","uid","state","command"}] from /proc, newline.
std::string processes_json(const std::vector<pid_t>& pids);
// Runs ps(1) with `args` ("-ef" when empty) and returns its combined output.
// Error like runc: "exit status 1: <output>".
Result<std::string> run_ps(const std::vector<std::string>& args);
// The header line and the rows whose PID column is one of `pids`, each with a newline.
Result<std::string> filter_ps_table(std::string_view ps_output, const std::vector<pid_t>& pids);

// ---- events ---------------------------------------------------------------------------------

// /proc/<pid>/net/dev text -> runc's network_interfaces JSON array (CamelCase, "lo" skipped).
std::string network_interfaces_json(std::string_view net_dev);

// One `{"type":"stats","id":...,"data":{...}}` line (without the newline).
Result<std::string> stats_event(const GlobalOptions&, const std::string& id);

// runc's `events`: a stats line every `interval` and `{"type":"oom","id":...}` as OOM kills
// happen, each handed to `emit` without a newline; returns when the container stops.
Result<void> watch_events(const GlobalOptions&, const std::string& id,
                          std::chrono::nanoseconds interval,
                          const std::function<void(const std::string&)>& emit);

}  // namespace keel::manage
