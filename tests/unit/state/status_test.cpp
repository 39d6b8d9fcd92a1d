#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "keel/state.hpp"

namespace {

// A real child that stays alive until killed.
struct Child {
  pid_t pid = -1;
  Child() {
    pid = ::fork();
    if (pid == 0) {
      for (;;) ::pause();
    }
  }
  ~Child() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

keel::ContainerState for_pid(pid_t pid) {
  keel::ContainerState st;
  st.id = "s";
  st.init_pid = pid;
  st.init_start_time = keel::process_start_time(pid).value_or(0);
  return st;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/keel-status-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("a live init is running, or created while exec.fifo exists, or paused when recorded") {
  Child c;
  TempDir dir;
  auto st = for_pid(c.pid);
  REQUIRE(st.init_start_time != 0);
  CHECK(keel::init_alive(st));
  CHECK(keel::derive_status(st, dir.path) == keel::Status::running);
  std::ofstream(dir.path + "/exec.fifo").put('x');
  CHECK(keel::derive_status(st, dir.path) == keel::Status::created);
  std::filesystem::remove(dir.path + "/exec.fifo");
  st.paused = true;
  CHECK(keel::derive_status(st, dir.path) == keel::Status::paused);
}

TEST_CASE("an init whose pid now has another start time is stopped (pid reuse)") {
  Child c;
  auto st = for_pid(c.pid);
  st.init_start_time += 1;
  CHECK(!keel::init_alive(st));
  CHECK(keel::derive_status(st, "/nonexistent") == keel::Status::stopped);
}

TEST_CASE("a zombie init is stopped, and so is a reaped one") {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(0);
  auto st = for_pid(pid);
  REQUIRE(st.init_start_time != 0);
  // Wait for the exit without reaping, so the child stays a zombie.
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) == 0);
  CHECK(!keel::init_alive(st));
  CHECK(keel::derive_status(st, "/nonexistent") == keel::Status::stopped);
  ::waitpid(pid, nullptr, 0);
  CHECK(!keel::process_start_time(pid).has_value());
  CHECK(keel::derive_status(st, "/nonexistent") == keel::Status::stopped);
}

TEST_CASE("a pid of 0 is never alive") {
  keel::ContainerState st;
  CHECK(!keel::init_alive(st));
  CHECK(keel::to_string(keel::Status::stopped) == "stopped");
}

TEST_CASE("pid 0 with the lock held is creating; once the lock is free it is stopped") {
  TempDir dir;
  keel::StateStore store(dir.path);
  auto lock = store.create_dir_locked("c");  // what `create` holds until it finishes
  REQUIRE(lock);
  keel::ContainerState st;
  st.id = "c";
  const std::string cdir = store.dir_of("c");
  CHECK(keel::observed_status(st, cdir) == keel::Status::creating);
  CHECK(keel::derive_status(st, cdir) == keel::Status::stopped);  // lock holders ask this one
  lock->reset();  // the create died: nobody holds the lock any more
  CHECK(keel::observed_status(st, cdir) == keel::Status::stopped);
}
