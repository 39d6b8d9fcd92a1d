// Load and races: many containers through the whole lifecycle with 8-way concurrency on one state
// root, and 20 concurrent creates of one id. Afterwards nothing may be left: no state dir,
// /keel-test cgroup, mount, process, or fd of this process.
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "robustness_util.hpp"

using namespace keel::test;
using namespace keel::test::robustness;

namespace {

constexpr int kContainers = 200;
constexpr int kWorkers = 8;
constexpr int kSameIdCreates = 20;

// Removes whatever a failed round left: containers under `root` and their cgroups.
struct Cleanup {
  std::string root;
  std::vector<std::string> ids;
  std::mutex mu;
  void add(const std::string& id) {
    std::lock_guard g(mu);
    ids.push_back(id);
  }
  ~Cleanup() {
    for (const auto& id : ids) {
      if (path_exists(root + "/" + id)) run_keel({"--root", root, "delete", "--force", id});
      remove_keel_test_cgroups(id);
    }
  }
};

// One container through create, start, exec and delete; returns what went wrong ("" when not).
std::string lifecycle(Bundle& b, const std::string& root, const std::string& id, pid_t* pid) {
  b.set("/linux/cgroupsPath", "\"/keel-test/" + id + "\"");
  std::string pid_file = b.dir() + "/" + id + ".pid";
  auto keel = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--root", root});
    return run_keel(args);
  };
  auto c = keel({"create", "--bundle", b.dir(), "--pid-file", pid_file, id});
  if (c.exit_code != 0) return "create " + id + ": " + c.err;
  *pid = std::stoi(read_file(pid_file));
  auto s = keel({"start", id});
  if (s.exit_code != 0) return "start " + id + ": " + s.err;
  auto e = keel({"exec", id, "echo", "exec-ok"});
  if (e.exit_code != 0 || e.out != "exec-ok\n") return "exec " + id + ": " + e.out + e.err;
  auto d = keel({"delete", "--force", id});
  if (d.exit_code != 0) return "delete " + id + ": " + d.err;
  return "";
}

}  // namespace

TEST_CASE(
    "200 containers created, started, exec'd and deleted 8 at a time leave no state dir, cgroup, "
    "mount, process or fd") {
  for (int round = 1; round <= rounds(); ++round) {
    CAPTURE(round);
    TempDir root_dir("keel-load-root");
    Cleanup cleanup;
    cleanup.root = root_dir.path() + "/state";
    int fds_before = open_fd_count();
    std::vector<std::unique_ptr<Bundle>> bundles;
    for (int w = 0; w < kWorkers; ++w) {
      bundles.push_back(std::make_unique<Bundle>("load"));
      bundles.back()->set_command("sleep 60");
    }
    std::atomic<int> next{0};
    std::mutex mu;
    std::vector<std::string> errors;
    std::vector<std::pair<std::string, pid_t>> done;  // id, init pid
    std::vector<std::thread> workers;
    for (int w = 0; w < kWorkers; ++w) {
      workers.emplace_back([&, w] {
        for (int i = next++; i < kContainers; i = next++) {
          std::string id = unique_id("load");
          cleanup.add(id);
          pid_t pid = 0;
          std::string err = lifecycle(*bundles[w], cleanup.root, id, &pid);
          std::lock_guard g(mu);
          if (!err.empty()) errors.push_back(err);
          done.emplace_back(id, pid);
        }
      });
    }
    for (auto& t : workers) t.join();
    CHECK_MESSAGE(errors.empty(), joined(errors));
    REQUIRE(done.size() == kContainers);

    auto list = run_keel({"--root", cleanup.root, "list", "-q"});
    CHECK(list.exit_code == 0);
    CHECK_MESSAGE(list.out.empty(), list.out);
    std::vector<std::string> leaks;
    for (const auto& [id, pid] : done) {
      for (auto& l : leftovers(id, cleanup.root, root_dir.path())) leaks.push_back(l);
      if (process_exists(pid)) leaks.push_back("init " + std::to_string(pid) + " of " + id);
    }
    for (const auto& b : bundles)
      for (auto& l : mounts_mentioning(b->dir())) leaks.push_back("mount " + l);
    CHECK_MESSAGE(leaks.empty(), joined(leaks));
    CHECK(open_fd_count() == fds_before);
  }
}

TEST_CASE(
    "20 concurrent creates of one id: exactly one wins, 19 get \"container with id exists\", the "
    "winner is intact and deletes cleanly") {
  for (int round = 1; round <= rounds(); ++round) {
    CAPTURE(round);
    Bundle b("same");
    b.set_command("sleep 60");
    // A root that does not exist yet: the creators also race to make it.
    TempDir root_dir("keel-race-root");
    std::string root = root_dir.path() + "/state";
    Cleanup cleanup;
    cleanup.root = root;
    cleanup.add(b.id());
    std::latch go(kSameIdCreates);
    std::vector<CommandResult> results(kSameIdCreates);
    std::vector<std::thread> threads;
    for (int i = 0; i < kSameIdCreates; ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        results[i] = run_keel({"--root", root, "create", "--bundle", b.dir(), b.id()});
      });
    }
    for (auto& t : threads) t.join();

    int won = 0, exists = 0;
    std::vector<std::string> other;
    for (const auto& r : results) {
      if (r.exit_code == 0) {
        ++won;
      } else if (r.exit_code == 1 &&
                 r.err.find("container with id exists: " + b.id()) != std::string::npos) {
        ++exists;
      } else {
        other.push_back("exit " + std::to_string(r.exit_code) + ": " + r.err);
      }
    }
    CHECK(won == 1);
    CHECK(exists == kSameIdCreates - 1);
    CHECK_MESSAGE(other.empty(), joined(other));

    // The losers touched nothing of the winner's.
    auto st = run_keel({"--root", root, "state", b.id()});
    CHECK_MESSAGE(st.exit_code == 0, st.err);
    CHECK(st.out.find("\"created\"") != std::string::npos);
    CHECK(keel_test_cgroups(b.id()).size() > 0);
    auto list = run_keel({"--root", root, "list", "-q"});
    CHECK(list.out == b.id() + "\n");
    auto d = run_keel({"--root", root, "delete", b.id()});
    CHECK_MESSAGE(d.exit_code == 0, d.err);
    auto left = leftovers(b.id(), root, b.dir());
    CHECK_MESSAGE(left.empty(), joined(left));
  }
}
