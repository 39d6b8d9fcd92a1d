// The shared integration-test harness: busybox bundles in temp dirs, running the keel binary
// with a timeout and captured output, and cleanup guards so a failing test leaves nothing behind
// (container, state dir, /keel-test cgroups). Every bundle gets its own --root.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace keel::test {

using namespace std::chrono_literals;

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  bool timed_out = false;
  std::string out, err;
  // Files the command's stdout/stderr went to. Processes it started (a container init created
  // by `create` inherits its stdio) may keep writing there: re-read them with read_out().
  std::string out_path, err_path;
  std::string read_out() const;
  std::string read_err() const;
};

struct RunOptions {
  std::chrono::milliseconds timeout = 30s;
  std::string stdin_text;              // fed through a file
  std::vector<std::string> extra_env;  // NAME=VALUE added to the environment
};

// RunOptions with only a timeout (designated initializers trip -Wmissing-field-initializers).
inline RunOptions with_timeout(std::chrono::milliseconds timeout) {
  RunOptions o;
  o.timeout = timeout;
  return o;
}

// Runs KEEL_BINARY with `args` (argv[1..]). stdout/stderr go to fresh temp files (not pipes: a
// container init inheriting a pipe would make EOF wait for the container).
CommandResult run_keel(const std::vector<std::string>& args, const RunOptions& options = {});
// Runs any program the same way (argv[0] is the path).
CommandResult run_program(const std::vector<std::string>& argv, const RunOptions& options = {});

// A directory under $TMPDIR (or /tmp) removed recursively on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "keel-test");
  TempDir(TempDir&&) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A unique id for this test process: "<prefix>-<pid>-<counter>".
std::string unique_id(const std::string& prefix = "t");

// A bundle: <dir>/config.json from a runc-like template with a busybox-static rootfs at
// <dir>/rootfs (hard links to one copy per test process), cgroupsPath /keel-test/<id>, and a
// private state root <dir>/state. The destructor is the cleanup guard: `keel delete --force`,
// then every /sys/fs/cgroup/*/keel-test/<id> left behind is removed, then the directory.
class Bundle {
 public:
  explicit Bundle(const std::string& id_prefix = "t");
  Bundle(const Bundle&) = delete;
  Bundle& operator=(const Bundle&) = delete;
  ~Bundle();

  const std::string& id() const { return id_; }
  const std::string& dir() const { return dir_.path(); }
  std::string rootfs() const { return dir() + "/rootfs"; }
  std::string state_root() const { return dir() + "/state"; }
  std::string cgroup_path() const { return "/keel-test/" + id_; }
  std::string config_path() const { return dir() + "/config.json"; }

  // Edits config.json: sets the value at a JSON pointer ("/process/args") to `json` (text),
  // creating parents; remove() deletes it. append() adds to an array.
  void set(const std::string& pointer, const std::string& json);
  void remove(const std::string& pointer);
  void append(const std::string& pointer, const std::string& json);
  std::string config() const;  // current config.json text
  void set_args(const std::vector<std::string>& args);
  // Shell command run by /bin/sh -c.
  void set_command(const std::string& shell);

  // `keel --root <state_root> <args...>`.
  CommandResult keel(const std::vector<std::string>& args, const RunOptions& options = {}) const;
  // Shorthands with the bundle's id.
  CommandResult create(const std::vector<std::string>& extra = {}) const;  // --bundle dir
  CommandResult start() const;
  CommandResult state() const;
  CommandResult run(const std::vector<std::string>& extra = {}, const RunOptions& = {}) const;
  CommandResult kill(const std::string& signal = "", bool all = false) const;
  CommandResult del(bool force = false) const;

  // Parsed fields of `keel state`: status ("" when it fails) and pid.
  std::string status() const;
  pid_t pid() const;
  // Waits until `keel state` reports `status`; false on timeout.
  bool wait_status(const std::string& status, std::chrono::milliseconds timeout = 10s) const;

  // A file under the bundle dir that is bind-mounted at `container_path` (read-write).
  std::string bind_file(const std::string& container_path);

 private:
  std::string id_;
  TempDir dir_;
};

// ---- leak checks -----------------------------------------------------------------------------
int open_fd_count();  // entries in /proc/self/fd
std::vector<std::string> keel_test_cgroups(
    const std::string& id);  // /sys/fs/cgroup/*/keel-test/<id>
int mount_count();           // lines in /proc/self/mountinfo
bool path_exists(const std::string& path);
bool process_exists(pid_t pid);  // alive and not a zombie
// Pids (other than this process) with an argument equal to `needle`: an init that never reached
// execve still runs keel's code with keel's argv, which names the container id.
std::vector<pid_t> processes_with_argument(const std::string& needle);
// A listening unix stream socket at `path` (like the console socket containerd's shim or conmon
// creates); the caller closes it.
int listen_at(const std::string& path);
// Accepts one connection on a listening unix socket and receives one fd (SCM_RIGHTS) from it,
// its payload in *payload when given; -1 when nothing or no fd came. The test's own receiver
// (not keel's), so the runtime's side of the wire format is checked independently.
int accept_fd(int listener, std::string* payload = nullptr);
// Receives one message on `sock` (a connection, or a datagram socket) and the fd it carries,
// -1 when it carried none; the payload in *payload when given. Waits at most `timeout_ms` (-1:
// no limit); -1 and an empty payload when nothing came in time.
int receive_fd(int sock, std::string* payload = nullptr, int timeout_ms = -1);
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text, int mode = 0644);
// Removes a cgroup dir and everything below it (children first), in every hierarchy.
void remove_keel_test_cgroups(const std::string& id);

// ---- host layout -----------------------------------------------------------------------------
// True when /sys/fs/cgroup is itself a cgroup2 mount (pure v2, as in the VM guest); false on
// v1 and hybrid hosts (this development machine).
bool cgroup_v2_host();
// The directory of `cgroup_path` (e.g. "/keel-test/<id>") for `controller`:
// /sys/fs/cgroup<cgroup_path> on pure v2, /sys/fs/cgroup/<controller><cgroup_path> otherwise.
std::string cgroup_dir(const std::string& controller, const std::string& cgroup_path);
// True when KEEL_TEST_SLOW_HOST is set and not "0" (the VM guest sets it: commands run about
// ten times slower there), for tests that cut repetition counts, never coverage.
bool slow_host();

}  // namespace keel::test
