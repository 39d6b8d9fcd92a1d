// ps: runc's JSON array of host pids, ps(1) rows filtered to the container, keel's json-full.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <sstream>

#include "harness.hpp"
#include "manage_util.hpp"

using namespace keel::test;

namespace {

// Init (sh) with one child (sleep) that it waits for.
void start_with_child(Bundle& b) {
  b.set_command("sleep 30 & wait");
  start_running(b);
  std::string procs = cgroup_dir("pids", b.cgroup_path()) + "/cgroup.procs";
  REQUIRE(eventually([&] {
    std::string text = read_file(procs);
    return text.find('\n') != text.rfind('\n');
  }));
}

pid_t ppid_of(pid_t pid) {
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  char state;
  pid_t ppid = 0;
  rest >> state >> ppid;
  return ppid;
}

}  // namespace

TEST_CASE("ps --format json lists the init pid and its child as a JSON array") {
  Bundle b("ps");
  start_with_child(b);
  auto r = b.keel({"ps", "--format", "json", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.back() == '\n');
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 2);
  std::vector<pid_t> pids{doc[0].GetInt(), doc[1].GetInt()};
  CHECK(std::find(pids.begin(), pids.end(), b.pid()) != pids.end());
  pid_t child = pids[0] == b.pid() ? pids[1] : pids[0];
  CHECK(ppid_of(child) == b.pid());
  CHECK(r.out == "[" + std::to_string(pids[0]) + "," + std::to_string(pids[1]) + "]\n");
}

TEST_CASE("ps table prints the header and only the container's rows") {
  Bundle b("ps");
  start_with_child(b);
  auto r = b.keel({"ps", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::istringstream lines(r.out);
  std::string header, line;
  std::getline(lines, header);
  CHECK(contains(header, "PID"));
  CHECK(contains(header, "CMD"));
  int rows = 0;
  bool saw_init = false;
  while (std::getline(lines, line)) {
    ++rows;
    std::istringstream f(line);
    std::string uid, pid;
    f >> uid >> pid;  // ps -ef: UID PID PPID ...
    if (pid == std::to_string(b.pid())) saw_init = true;
  }
  CHECK(rows == 2);
  CHECK(saw_init);

  auto custom = b.keel({"ps", b.id(), "-o", "pid,comm"});
  REQUIRE_MESSAGE(custom.exit_code == 0, custom.err);
  CHECK(contains(custom.out, "sleep"));
  CHECK(std::count(custom.out.begin(), custom.out.end(), '\n') == 3);
}

TEST_CASE("ps --format json-full gives pid, ppid, uid, state and command") {
  Bundle b("ps");
  start_with_child(b);
  auto r = b.keel({"ps", "--format", "json-full", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE(doc.IsArray());
  REQUIRE(doc.Size() == 2);
  bool saw_sleep = false;
  for (auto& p : doc.GetArray()) {
    REQUIRE(p.IsObject());
    for (const char* key : {"pid", "ppid", "uid", "state", "command"}) CHECK(p.HasMember(key));
    CHECK(p["uid"].GetInt() == 0);
    if (std::string(p["command"].GetString()) == "sleep 30") {
      saw_sleep = true;
      CHECK(p["ppid"].GetInt() == b.pid());
    }
  }
  CHECK(saw_sleep);
}

TEST_CASE("ps with an unknown format and on a missing container") {
  Bundle b("ps");
  b.set_command("sleep 30");
  start_running(b);
  auto bad = b.keel({"ps", "--format", "yaml", b.id()});
  CHECK(bad.exit_code == 1);
  CHECK(contains(bad.err, "invalid format option"));
  auto missing = b.keel({"ps", "nope-" + b.id()});
  CHECK(missing.exit_code == 1);
  CHECK(contains(missing.err, "container does not exist"));
}
