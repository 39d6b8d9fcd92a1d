#include "robustness_util.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;

namespace keel::test::robustness {

int rounds() {
  const char* v = std::getenv("KEEL_ROBUSTNESS_ROUNDS");
  int n = v && *v ? std::atoi(v) : 3;
  return n > 0 ? n : 1;
}

Background start_keel(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  static TempDir io_dir("keel-robust-io");
  static std::atomic<int> counter{0};
  int n = counter++;
  Background bg;
  bg.out_path = io_dir.path() + "/" + std::to_string(n) + ".out";
  bg.err_path = io_dir.path() + "/" + std::to_string(n) + ".err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, bg.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, bg.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_store{KEEL_BINARY};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_store) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  env_store.insert(env_store.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  int rc = posix_spawn(&bg.pid, argv[0], &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("spawning keel: " + std::string(strerror(rc)));
  return bg;
}

bool wait_for_text(const std::string& path, const std::string& text,
                   std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    if (read_file(path).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

int kill_and_reap(const Background& bg) {
  ::kill(bg.pid, SIGKILL);
  int status = 0;
  ::waitpid(bg.pid, &status, 0);
  return status;
}

std::vector<std::string> leftovers(const std::string& id, const std::string& state_root,
                                   const std::string& bundle_dir) {
  std::vector<std::string> left;
  if (path_exists(state_root + "/" + id)) left.push_back("state dir " + state_root + "/" + id);
  for (const auto& cg : keel_test_cgroups(id)) left.push_back("cgroup " + cg);
  for (const auto& line : mounts_mentioning(bundle_dir)) left.push_back("mount " + line);
  for (const auto& line : mounts_mentioning(id)) left.push_back("mount " + line);
  auto procs = processes_with_argument(id);
  for (int i = 0; i < 50 && !procs.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    procs = processes_with_argument(id);
  }
  for (pid_t p : procs) left.push_back("process " + std::to_string(p));
  return left;
}

std::vector<std::string> mounts_mentioning(const std::string& needle) {
  std::vector<std::string> found;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) found.push_back(line);
  return found;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

Tmpfs::Tmpfs(const std::string& options) : dir_("keel-robust-tmpfs") {
  if (::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
    throw std::runtime_error("mounting tmpfs on " + dir_.path() + ": " + strerror(errno));
  mounted_ = true;
}

Tmpfs::~Tmpfs() {
  if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
}

}  // namespace keel::test::robustness
