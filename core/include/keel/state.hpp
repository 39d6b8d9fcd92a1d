// The container state store: <root>/<id>/state.json (atomic writes), a per-id flock, and the
// runc-compatible view of a container (state/list JSON) with its status derived from the kernel.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel {

enum class Status { creating, created, running, paused, stopped };
std::string_view to_string(Status);

// What keel records about a container. Serialised to <root>/<id>/state.json.
struct ContainerState {
  std::string oci_version;
  std::string id;
  pid_t init_pid = 0;
  uint64_t init_start_time = 0;  // field 22 of /proc/<pid>/stat, guards against pid reuse
  std::string bundle;            // absolute
  std::string rootfs;            // absolute
  std::string created;           // RFC3339Nano UTC, e.g. 2026-01-02T03:04:05.123456789Z
  std::map<std::string, std::string> annotations;
  std::string owner;    // "" for state; username for list
  bool paused = false;  // set by pause, cleared by resume
  bool use_systemd = false;
  std::string cgroup_manager;  // plugin name, "" when the container has no cgroup
  std::string cgroup_state;    // the plugin's own JSON state, verbatim
  std::string config_json;     // the config.json used at create (exec and hooks read it)
  std::map<std::string, std::string> extra;  // forward-compatible additions
};

// Validates a container id with runc's rule (^[\w+\-\.]+$, not "." or ".."), at most 255 bytes
// (NAME_MAX: the id is a directory name). Error: "invalid container ID format: <id>".
Result<void> validate_container_id(std::string_view id);

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); nullopt when the process
// does not exist. Record it at create so a recycled pid is never mistaken for init.
std::optional<uint64_t> process_start_time(pid_t pid);

// Is the recorded init still the same process (alive, same start time, not a zombie)?
bool init_alive(const ContainerState&);
// created / running / paused / stopped, from the kernel (pid + start time + exec.fifo).
Status derive_status(const ContainerState&, const std::string& container_dir);
// derive_status for callers that do not hold the container's lock (`state`, `list`): also
// reports "creating" while a `create` is still under way (its lock held, no init pid yet).
Status observed_status(const ContainerState&, const std::string& container_dir);

class StateStore {
 public:
  explicit StateStore(std::string root);  // created 0700 on first write
  const std::string& root() const { return root_; }
  std::string dir_of(std::string_view id) const;  // <root>/<id>

  // Creates <root>/<id>/ (fails with "container with id exists: <id>" if present) and
  // returns the held lock. Used by create/run.
  Result<UniqueFd> create_dir_locked(std::string_view id);
  // Locks an existing container ("container does not exist" when absent). Blocks.
  Result<UniqueFd> lock(std::string_view id);
  Result<void> write(const ContainerState&);  // temp + rename (atomic for readers; not synced)
  Result<ContainerState> read(std::string_view id) const;
  Result<std::vector<std::string>> ids() const;
  Result<void> remove(std::string_view id);  // removes the dir and everything in it

 private:
  std::string root_;
};

// runc's JSON for `state` (2-space indented) and one element of `list --format json`.
// The pid is reported as 0 when the status is stopped, like runc.
std::string state_json(const ContainerState&, Status, bool pretty);

// state.json itself (keel's private, complete record) and back.
std::string serialize_state(const ContainerState&);
Result<ContainerState> parse_state(std::string_view json);

// Current time as RFC3339Nano UTC with trailing zeros trimmed, like Go's time.RFC3339Nano.
std::string rfc3339_nano_now();

}  // namespace keel
