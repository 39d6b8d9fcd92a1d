// Helpers for the robustness tests: keel started in the background, leak inventories, rounds.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "harness.hpp"

namespace keel::test::robustness {

// How many times the load, race and crash tests repeat their whole scenario
// (KEEL_ROBUSTNESS_ROUNDS, default 3: issue 9 asks for three passes in one CI run).
int rounds();

// `keel <args>` started without waiting; stdout and stderr go to files.
struct Background {
  pid_t pid = -1;
  std::string out_path, err_path;
};
Background start_keel(const std::vector<std::string>& args, const std::vector<std::string>& env);
// Waits until `path` contains `text`; false on timeout.
bool wait_for_text(const std::string& path, const std::string& text,
                   std::chrono::milliseconds timeout);
// SIGKILLs and reaps it; returns its wait status.
int kill_and_reap(const Background& bg);

// What container `id` left behind, one readable line per leak (empty: nothing):
// its dir under `state_root`, /sys/fs/cgroup/*/keel-test/<id>, mountinfo lines mentioning
// `bundle_dir` or `id`, and processes with `id` as an argument. Waits up to ~1 s for
// processes to die (an init whose runtime was killed dies of PDEATHSIG).
std::vector<std::string> leftovers(const std::string& id, const std::string& state_root,
                                   const std::string& bundle_dir);
// mountinfo lines of this process that mention `needle`.
std::vector<std::string> mounts_mentioning(const std::string& needle);
// The lines joined with newlines, for a check's message.
std::string joined(const std::vector<std::string>& lines);

// A tmpfs mounted on a fresh temp dir (options as for mount(2)), lazily unmounted and removed on
// destruction.
class Tmpfs {
 public:
  explicit Tmpfs(const std::string& options);
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;
  ~Tmpfs();
  const std::string& path() const { return dir_.path(); }

 private:
  TempDir dir_;
  bool mounted_ = false;
};

}  // namespace keel::test::robustness
