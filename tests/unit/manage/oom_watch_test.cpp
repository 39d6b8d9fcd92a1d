// The cgroup v2 OOM watch reads memory.events' oom_kill counter. This host has memory on v1
// only, so the v2 path runs against a temp dir laid out like a v2 memory cgroup.
#include "oom_watch.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using keel::manage::detail::OomWatch;

namespace {

struct TempCgroup {
  std::string dir;
  TempCgroup() {
    char tmpl[] = "/tmp/keel-oomwatch-XXXXXX";
    dir = ::mkdtemp(tmpl);
  }
  ~TempCgroup() { std::filesystem::remove_all(dir); }
  void events(int oom_kill) const {
    std::ofstream(dir + "/memory.events") << "low 0\nhigh 0\nmax 3\noom " << oom_kill
                                          << "\noom_kill " << oom_kill << "\noom_group_kill 0\n";
  }
};

}  // namespace

TEST_CASE("oom_kill_count reads the oom_kill line of memory.events") {
  CHECK(OomWatch::oom_kill_count("low 0\noom 2\noom_kill 5\noom_group_kill 0\n") == 5);
  CHECK(OomWatch::oom_kill_count("oom_kill 7") == 7);
  CHECK(OomWatch::oom_kill_count("oom 1\n") == 0);
}

TEST_CASE("v2 watch: an oom_kill increase is one OOM, an unchanged counter none") {
  TempCgroup cg;
  cg.events(2);  // OOMs before events started are not reported
  auto w = OomWatch::open(cg.dir);
  REQUIRE(w.has_value());
  CHECK(w->fd() >= 0);
  CHECK_FALSE(w->take().oom);
  cg.events(3);
  auto seen = w->take();
  CHECK(seen.oom);
  CHECK_FALSE(seen.gone);
  CHECK_FALSE(w->take().oom);
}

TEST_CASE("no memory controller: nothing to watch") {
  auto w = OomWatch::open("");
  REQUIRE(w.has_value());
  CHECK(w->fd() == -1);
  CHECK_FALSE(w->take().oom);
}

TEST_CASE("a memory dir with neither v1 nor v2 files is an error naming the file") {
  TempCgroup cg;
  auto w = OomWatch::open(cg.dir);
  REQUIRE_FALSE(w.has_value());
  CHECK(w.error().message == "open " + cg.dir + "/memory.events: No such file or directory");
}
