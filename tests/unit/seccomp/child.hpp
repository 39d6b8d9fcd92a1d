// Test support: profiles from the spec fixtures, and children that install a compiled program
// and report what their syscalls returned through a pipe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler.hpp"

namespace keel::seccomp::test {

// linux.seccomp of tests/fixtures/specs/<name>.json, as JSON text.
std::string fixture_profile(const std::string& name);

// Compiles or fails the test.
Compiled must_compile(const std::string& json);

// -errno on failure, the result otherwise.
long result_of(long rc);

class Reporter {
 public:
  Reporter(int fd, int listener) : fd_(fd), listener_(listener) {}
  void report(int64_t value) const;
  int fd() const { return fd_; }
  int listener() const { return listener_; }  // -1 unless the program asked for one

 private:
  int fd_, listener_;
};

struct ChildOutcome {
  int status = 0;  // waitpid status
  std::vector<int64_t> reports;
  bool exited_ok() const;
  int term_signal() const;  // 0 unless killed by a signal
};

// Forks; the child sets no_new_privs, installs `program` (exit 100 + errno on failure), runs
// `body` and exits 0. The parent runs `parent` (if any) with the child's pid, then collects the
// reports and the wait status.
ChildOutcome run_filtered(const Compiled& program, const std::function<void(const Reporter&)>& body,
                          const std::function<void(pid_t)>& parent = {});

// A private directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace keel::seccomp::test
