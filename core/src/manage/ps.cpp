// ps: the container's pids from its cgroup, as runc's JSON, keel's detailed JSON, or ps(1) rows.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "keel/fd.hpp"
#include "keel/manage.hpp"
#include "managed.hpp"
#include "proc_read.hpp"

extern char** environ;

namespace keel::manage {

Result<std::vector<pid_t>> container_pids(const GlobalOptions& g, const std::string& id) {
  StateStore store(g.root);
  auto c = detail::open_container(store, id);
  if (!c) return std::unexpected(c.error());
  auto manager = detail::recorded_manager(c->state);
  if (!manager) return std::unexpected(manager.error());
  auto pids = manager->pids(c->state.cgroup_state);
  // A stopped container whose cgroup is gone has no processes (runc's Processes()).
  if (!pids && c->status == Status::stopped && pids.error().code == ENOENT)
    return std::vector<pid_t>{};
  if (!pids) return std::unexpected(pids.error().context("unable to get all container pids"));
  std::sort(pids->begin(), pids->end());
  return pids;
}

std::string pids_json(const std::vector<pid_t>& pids) {
  if (pids.empty()) return "null\n";  // Go encodes a nil []int as null
  std::string out = "[";
  for (std::size_t i = 0; i < pids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(pids[i]);
  }
  return out + "]\n";
}

std::string processes_json(const std::vector<pid_t>& pids) {
  std::string out = "[";
  bool first = true;
  for (pid_t pid : pids) {
    auto info = detail::read_process(pid);
    if (!info) continue;  // exited since the cgroup was read
    if (!first) out += ',';
    first = false;
    out += "{\"pid\":" + std::to_string(pid) + ",\"ppid\":" + std::to_string(info->ppid) +
           ",\"uid\":" + std::to_string(info->uid) +
           ",\"state\":" + detail::json_string(std::string(1, info->state)) +
           ",\"command\":" + detail::json_string(info->command) + "}";
  }
  return out + "]\n";
}

Result<std::string> run_ps(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"ps"};
  if (args.empty())
    argv.push_back("-ef");
  else
    argv.insert(argv.end(), args.begin(), args.end());
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return sys_error("creating a pipe for ps");
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), STDERR_FILENO);
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  pid_t child = -1;
  int err = ::posix_spawnp(&child, "ps", &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) return sys_error("exec: \"ps\"", err);
  write_end.reset();
  std::string output;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return output;
  std::string why = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                                      : "signal: " + std::to_string(WTERMSIG(status));
  return fail(why + ": " + output);
}

Result<std::string> filter_ps_table(std::string_view ps_output, const std::vector<pid_t>& pids) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in{std::string(ps_output)};
  while (std::getline(in, line)) lines.push_back(line);
  if (lines.empty()) return fail("couldn't find PID field in ps output");
  std::istringstream header(lines[0]);
  std::string title;
  int pid_index = -1;
  for (int i = 0; header >> title; ++i)
    if (title == "PID") {
      pid_index = i;
      break;
    }
  if (pid_index < 0) return fail("couldn't find PID field in ps output");
  std::string out = lines[0] + "\n";
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::istringstream fields(lines[i]);
    std::string field;
    for (int k = 0; k <= pid_index && fields >> field; ++k) {
    }
    pid_t pid = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), pid);
    if (ec != std::errc() || end != field.data() + field.size())
      return fail("unable to parse pid: strconv.Atoi: parsing \"" + field + "\": invalid syntax");
    if (std::binary_search(pids.begin(), pids.end(), pid)) out += lines[i] + "\n";
  }
  return out;
}

}  // namespace keel::manage
