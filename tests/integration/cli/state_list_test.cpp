#include <doctest/doctest.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "keel/state.hpp"
#include "run_binary.hpp"

namespace {

// A hand-made container: state.json recorded for a real, live child process.
struct HandMade {
  TempDir dir;
  pid_t child = -1;
  HandMade() {
    child = ::fork();
    if (child == 0) {
      for (;;) ::pause();
    }
    keel::StateStore store(dir.path + "/root");
    keel::ContainerState st;
    st.oci_version = "1.3.0";
    st.id = "c1";
    st.init_pid = child;
    st.init_start_time = keel::process_start_time(child).value_or(0);
    st.bundle = "/bundles/c1";
    st.rootfs = "/bundles/c1/rootfs";
    st.created = "2026-11-27T22:10:00.5Z";
    st.annotations = {{"org.example", "yes"}};
    auto lock = store.create_dir_locked("c1");
    REQUIRE(lock.has_value());
    REQUIRE(store.write(st).has_value());
  }
  ~HandMade() { stop(); }
  void stop() {
    if (child > 0) {
      ::kill(child, SIGKILL);
      ::waitpid(child, nullptr, 0);
      child = -1;
    }
  }
  std::string root() const { return dir.path + "/root"; }
};

}  // namespace

TEST_CASE("state and list on an empty root") {
  TempDir dir;
  auto list = run_keel({"--root", dir.path, "list"});
  CHECK(list.code == 0);
  CHECK(list.out == "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
  auto json = run_keel({"--root", dir.path, "list", "--format", "json"});
  CHECK(json.out == "null\n");
  CHECK(run_keel({"--root", dir.path, "list", "-q"}).out.empty());
  auto state = run_keel({"--root", dir.path, "state", "nope"});
  CHECK(state.code == 1);
  CHECK(state.out.empty());
  CHECK(state.err.find("level=error msg=\"container does not exist\"") != std::string::npos);
}

TEST_CASE("state prints runc's JSON for a live hand-made container, pid 0 once it is gone") {
  HandMade c;
  auto r = run_keel({"--root", c.root(), "state", "c1"});
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with("{\n  \"ociVersion\": \"1.3.0\",\n  \"id\": \"c1\",\n  \"pid\": " +
                          std::to_string(c.child) + ",\n  \"status\": \"running\","));
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(std::string(doc["owner"].GetString()).empty());
  CHECK(std::string(doc["annotations"]["org.example"].GetString()) == "yes");
  c.stop();
  doc.Parse(run_keel({"--root", c.root(), "state", "c1"}).out.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(doc["pid"].GetInt() == 0);
  CHECK(std::string(doc["status"].GetString()) == "stopped");
}

TEST_CASE("list shows a hand-made container as a table, ids and JSON with its owner") {
  HandMade c;
  auto table = run_keel({"--root", c.root(), "list"});
  CHECK(table.code == 0);
  CHECK(table.out.find("\nc1          " + std::to_string(c.child)) != std::string::npos);
  CHECK(table.out.find("running     /bundles/c1   2026-11-27T22:10:00.5Z   root\n") !=
        std::string::npos);
  CHECK(run_keel({"--root", c.root(), "list", "-q"}).out == "c1\n");
  auto json = run_keel({"--root", c.root(), "list", "-f", "json"});
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 1);
  const auto& e = doc[0];
  CHECK(std::string(e["id"].GetString()) == "c1");
  CHECK(e["pid"].GetInt() == c.child);
  CHECK(std::string(e["status"].GetString()) == "running");
  CHECK(std::string(e["owner"].GetString()) == "root");
  CHECK(std::string(e["created"].GetString()) == "2026-11-27T22:10:00.5Z");
}

TEST_CASE("created is reported while exec.fifo exists") {
  HandMade c;
  ::close(::creat((c.root() + "/c1/exec.fifo").c_str(), 0600));
  rapidjson::Document doc;
  doc.Parse(run_keel({"--root", c.root(), "state", "c1"}).out.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(std::string(doc["status"].GetString()) == "created");
}

TEST_CASE("list skips a broken entry with a note on stderr and still succeeds") {
  HandMade c;
  std::filesystem::create_directory(c.root() + "/broken");
  ::close(::creat((c.root() + "/broken/state.json").c_str(), 0600));  // empty: not JSON
  auto r = run_keel({"--root", c.root(), "list", "-q"});
  CHECK(r.code == 0);
  CHECK(r.out == "c1\n");
  CHECK(r.err.starts_with("load container broken: "));
  CHECK(r.err.find("level=error") == std::string::npos);
}
