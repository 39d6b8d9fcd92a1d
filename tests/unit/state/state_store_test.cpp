#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "keel/state.hpp"

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/keel-state-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

keel::ContainerState sample(const std::string& id) {
  keel::ContainerState st;
  st.oci_version = "1.3.0";
  st.id = id;
  st.init_pid = 4242;
  st.init_start_time = 987654321;
  st.bundle = "/b/" + id;
  st.rootfs = "/b/" + id + "/rootfs";
  st.created = "2026-01-02T03:04:05.123456789Z";
  st.annotations = {{"k", "v"}, {"q\"uote", "line\nbreak"}};
  st.paused = true;
  st.use_systemd = true;
  st.cgroup_manager = "cgroupfs";
  st.cgroup_state = R"({"path":"/keel/x"})";
  st.config_json = R"({"ociVersion":"1.3.0"})";
  st.extra = {{"future", "field"}};
  return st;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().filename());
  return out;
}

}  // namespace

TEST_CASE("state.json round-trips every recorded field") {
  TempDir root;
  keel::StateStore store(root.path + "/root");
  auto st = sample("c1");
  REQUIRE(store.create_dir_locked("c1").has_value());
  REQUIRE(store.write(st).has_value());
  auto back = store.read("c1");
  REQUIRE(back.has_value());
  CHECK(back->oci_version == st.oci_version);
  CHECK(back->init_pid == st.init_pid);
  CHECK(back->init_start_time == st.init_start_time);
  CHECK(back->bundle == st.bundle);
  CHECK(back->rootfs == st.rootfs);
  CHECK(back->created == st.created);
  CHECK(back->annotations == st.annotations);
  CHECK(back->paused);
  CHECK(back->use_systemd);
  CHECK(back->cgroup_manager == st.cgroup_manager);
  CHECK(back->cgroup_state == st.cgroup_state);
  CHECK(back->config_json == st.config_json);
  CHECK(back->extra == st.extra);
}

TEST_CASE("the state root is created 0700 and a write leaves only state.json and lock") {
  TempDir root;
  keel::StateStore store(root.path + "/root");
  REQUIRE(store.create_dir_locked("c1").has_value());
  for (int i = 0; i < 3; ++i) REQUIRE(store.write(sample("c1")).has_value());
  struct stat sb;
  REQUIRE(::stat((root.path + "/root").c_str(), &sb) == 0);
  CHECK((sb.st_mode & 07777) == 0700);
  auto names = entries(store.dir_of("c1"));
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"lock", "state.json"});
}

TEST_CASE("a second create of the same id fails with runc's message") {
  TempDir root;
  keel::StateStore store(root.path);
  REQUIRE(store.create_dir_locked("dup").has_value());
  auto again = store.create_dir_locked("dup");
  REQUIRE(!again.has_value());
  CHECK(again.error().message == "container with id exists: dup");
}

TEST_CASE("of concurrent creators of one id exactly one wins") {
  TempDir root;
  keel::StateStore store(root.path + "/r");
  constexpr int kProcs = 16;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcs; ++i) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      auto r = store.create_dir_locked("race");
      ::_exit(r.has_value() ? 0 : 1);
    }
    pids.push_back(pid);
  }
  int winners = 0;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++winners;
  }
  CHECK(winners == 1);
}

TEST_CASE("reading or locking a missing container says it does not exist") {
  TempDir root;
  keel::StateStore store(root.path);
  auto st = store.read("nope");
  REQUIRE(!st.has_value());
  CHECK(st.error().message == "container does not exist");
  auto lk = store.lock("nope");
  REQUIRE(!lk.has_value());
  CHECK(lk.error().message == "container does not exist");
}

TEST_CASE("bad ids never touch the disk") {
  TempDir root;
  keel::StateStore store(root.path + "/r");
  CHECK(!store.create_dir_locked("../escape").has_value());
  CHECK(!store.create_dir_locked("a/b").has_value());
  CHECK(!std::filesystem::exists(root.path + "/r"));
  CHECK(!std::filesystem::exists(root.path + "/escape"));
}

TEST_CASE("ids lists container directories sorted, and remove deletes one") {
  TempDir root;
  keel::StateStore store(root.path);
  CHECK(keel::StateStore(root.path + "/missing").ids()->empty());
  for (const char* id : {"b", "a", "c"}) REQUIRE(store.create_dir_locked(id).has_value());
  ::close(::creat((root.path + "/stray-file").c_str(), 0600));
  CHECK(*store.ids() == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(store.remove("b").has_value());
  CHECK(*store.ids() == std::vector<std::string>{"a", "c"});
}

TEST_CASE(
    "the runc views have runc's field order, omit empty annotations, and zero a stopped pid") {
  auto st = sample("c1");
  CHECK(keel::state_json(st, keel::Status::running, false) ==
        R"({"ociVersion":"1.3.0","id":"c1","pid":4242,"status":"running","bundle":"/b/c1",)"
        R"("rootfs":"/b/c1/rootfs","created":"2026-01-02T03:04:05.123456789Z",)"
        R"("annotations":{"k":"v","q\"uote":"line\nbreak"},"owner":""})");
  st.annotations.clear();
  st.owner = "root";
  CHECK(keel::state_json(st, keel::Status::stopped, false) ==
        R"({"ociVersion":"1.3.0","id":"c1","pid":0,"status":"stopped","bundle":"/b/c1",)"
        R"("rootfs":"/b/c1/rootfs","created":"2026-01-02T03:04:05.123456789Z","owner":"root"})");
  std::string pretty = keel::state_json(st, keel::Status::created, true);
  CHECK(pretty.starts_with("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"c1\",\n  \"pid\": 4242,"));
  CHECK(pretty.back() == '}');
}

TEST_CASE("created timestamps look like Go's RFC3339Nano in UTC") {
  std::string t = keel::rfc3339_nano_now();
  CHECK(t.size() >= 20);
  CHECK(t.back() == 'Z');
  CHECK(t[4] == '-');
  CHECK(t[10] == 'T');
  if (t.size() > 20) CHECK(t[t.size() - 2] != '0');  // trailing zeros trimmed
}

TEST_CASE("an existing state root keeps its mode") {
  TempDir root;
  ::chmod(root.path.c_str(), 0711);
  keel::StateStore store(root.path);
  REQUIRE(store.create_dir_locked("c1").has_value());
  struct stat sb;
  REQUIRE(::stat(root.path.c_str(), &sb) == 0);
  CHECK((sb.st_mode & 07777) == 0711);
}
