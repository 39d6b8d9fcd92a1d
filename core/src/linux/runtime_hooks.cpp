// TEMPORARY minimal hook runner until keel_process's run_hooks lands.
#include "runtime_hooks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "keel/fd.hpp"
#include "process_handle.hpp"

namespace keel::runtime {
namespace {

Result<void> run_one(const spec::Hook& hook, const std::string& state) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return sys_error("pipe");
  UniqueFd rd(p[0]), wr(p[1]);
  std::vector<char*> argv, envp;
  for (const auto& a : hook.args) argv.push_back(const_cast<char*>(a.c_str()));
  if (argv.empty()) argv.push_back(const_cast<char*>(hook.path.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : hook.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return sys_error("fork");
  if (pid == 0) {
    ::dup2(rd.get(), 0);
    ::execve(hook.path.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  rd.reset();
  (void)!::write(wr.get(), state.data(), state.size());
  wr.reset();
  auto pidfd = open_pidfd(pid);
  auto timeout = std::chrono::seconds(hook.timeout.value_or(3600));
  if (pidfd && !wait_pidfd_exit(pidfd->get(), timeout)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return fail("timeout after " + std::to_string(timeout.count()) + "s", ETIMEDOUT);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  if (WIFSIGNALED(status)) return fail("signal: " + std::to_string(WTERMSIG(status)));
  return fail("exit status " + std::to_string(WEXITSTATUS(status)));
}

}  // namespace

Result<void> run_runtime_hooks(const std::vector<spec::Hook>& hooks, const std::string& state,
                               std::string_view stage) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    if (auto r = run_one(hooks[i], state); !r)
      return std::unexpected(
          r.error().context("error running " + std::string(stage) + " hook #" + std::to_string(i)));
  }
  return {};
}

}  // namespace keel::runtime
