// Shared pieces of the seccomp integration tests: the static probe in a bundle, profiles built
// from the engine fixtures, and a seccomp agent (the test process) for SCMP_ACT_NOTIFY.
#pragma once

#include <linux/seccomp.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace keel::test {

// Copies seccomp_probe to <rootfs>/bin/probe and links busybox applets the harness lacks.
void add_probe(Bundle& b);
void add_applets(Bundle& b, const std::vector<std::string>& applets);

// The text of linux.seccomp in tests/fixtures/specs/<file>.
std::string fixture_seccomp(const std::string& file);
// The text of any JSON pointer in that fixture (e.g. "/process/capabilities").
std::string fixture_value(const std::string& file, const std::string& pointer);

// Docker's rules from its fixture (conditional ones and clone3 -> ENOSYS included), minus the names
// in `drop` and every syscall whose x86_64 number is >= below_nr, x86_64 only, with the given
// default; `extra_rules` (JSON objects, comma-separated) are appended to syscalls.
std::string allowlist_profile(const std::set<std::string>& drop, int below_nr,
                              const std::string& default_action, int default_errno,
                              const std::string& extra_rules = "");

// The x86_64 number of a syscall (libseccomp's table); -1 when unknown.
int syscall_number(const std::string& name);

// Lines of a file, last first is handy for logs.
std::vector<std::string> file_lines(const std::string& path);

// A seccomp agent listening at <tmp>/agent.sock. A thread accepts the runtime's connection,
// keeps the state JSON and the listener fd, then answers each notification with `answer`
// until the last filter user exits or the agent is destroyed.
class SeccompAgent {
 public:
  // Returns the response for one notification (id is filled in by the agent).
  using Answer = std::function<seccomp_notif_resp(const seccomp_notif&)>;
  explicit SeccompAgent(Answer answer);
  ~SeccompAgent();
  SeccompAgent(const SeccompAgent&) = delete;
  SeccompAgent& operator=(const SeccompAgent&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  // Waits (up to 10 s) until the listener hung up or `count` notifications were answered.
  bool wait_notifications(int count);
  // Stops the thread; afterwards the accessors below are stable.
  void stop();

  std::string state_json() const;  // what the runtime sent ("" if nothing)
  int fds_received() const;        // SCM_RIGHTS fds in that message
  std::vector<seccomp_notif> notifications() const;

 private:
  void serve(int listen_fd);
  void answer_until_hangup(int listener);

  TempDir dir_{"keel-agent"};
  std::string socket_path_;
  Answer answer_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> hung_up_{false};
  mutable std::mutex mu_;
  std::string state_json_;
  int fds_received_ = 0;
  std::vector<seccomp_notif> notifications_;
  std::thread thread_;
};

// A response that fails the syscall with `err` (positive errno) or fakes success (err == 0).
seccomp_notif_resp reply(int err, long long val = 0);

}  // namespace keel::test
