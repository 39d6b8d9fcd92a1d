// Many containers at once: no leaks, and one id can be created only once.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("50 containers created, started and deleted concurrently leave nothing behind") {
  int fds_before = open_fd_count();
  constexpr int kCount = 50;
  std::vector<std::unique_ptr<Bundle>> bundles;
  for (int i = 0; i < kCount; ++i) {
    bundles.push_back(std::make_unique<Bundle>("conc"));
    bundles.back()->set_command("true");
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < kCount; i += 5) {
        auto& b = *bundles[i];
        if (b.create().exit_code != 0 || b.start().exit_code != 0 || !b.wait_status("stopped") ||
            b.del().exit_code != 0)
          ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  for (auto& b : bundles) {
    CHECK(keel_test_cgroups(b->id()).empty());
    CHECK_FALSE(path_exists(b->state_root() + "/" + b->id()));
  }
  bundles.clear();
  CHECK(open_fd_count() == fds_before);
}

TEST_CASE("concurrent creates of one id: exactly one wins") {
  Bundle b;
  b.set_command("sleep 30");
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      if (b.create().exit_code == 0) ++wins;
    });
  for (auto& th : threads) th.join();
  CHECK(wins == 1);
  CHECK(b.status() == "created");
}
