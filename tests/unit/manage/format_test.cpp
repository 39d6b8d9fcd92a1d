// ps and events output formats.
#include <doctest/doctest.h>
#include <unistd.h>

#include "keel/manage.hpp"

using namespace keel::manage;

TEST_CASE("pids_json is Go's encoding of []int: null when empty") {
  CHECK(pids_json({}) == "null\n");
  CHECK(pids_json({42}) == "[42]\n");
  CHECK(pids_json({1234, 1240}) == "[1234,1240]\n");
}

TEST_CASE("filter_ps_table keeps the header and the rows of the given pids") {
  std::string ps =
      "UID          PID    PPID  C STIME TTY          TIME CMD\n"
      "root           1       0  0 10:00 ?        00:00:01 /sbin/init\n"
      "root        1234       1  0 10:00 ?        00:00:00 sh -c sleep 30\n"
      "root        1240    1234  0 10:00 ?        00:00:00 sleep 30\n"
      "root        2000       1  0 10:00 ?        00:00:00 other 1234\n";
  auto t = filter_ps_table(ps, {1234, 1240});
  REQUIRE(t.has_value());
  CHECK(*t ==
        "UID          PID    PPID  C STIME TTY          TIME CMD\n"
        "root        1234       1  0 10:00 ?        00:00:00 sh -c sleep 30\n"
        "root        1240    1234  0 10:00 ?        00:00:00 sleep 30\n");
  // The PID column is found from the header, wherever it is.
  auto custom = filter_ps_table("CMD PID\nsh 7\nls 8\n", {8});
  CHECK(custom.value() == "CMD PID\nls 8\n");
}

TEST_CASE("filter_ps_table: runc's errors without a PID column or with a bad pid") {
  CHECK(filter_ps_table("USER CMD\nroot sh\n", {1}).error().message ==
        "couldn't find PID field in ps output");
  CHECK(filter_ps_table("PID CMD\nabc sh\n", {1}).error().message ==
        "unable to parse pid: strconv.Atoi: parsing \"abc\": invalid syntax");
}

TEST_CASE("run_ps runs ps(1) and reports its failure like runc") {
  auto ok = run_ps({"-o", "pid", "-p", std::to_string(::getpid())});
  REQUIRE(ok.has_value());
  CHECK(ok->find(std::to_string(::getpid())) != std::string::npos);
  auto bad = run_ps({"--no-such-ps-option"});
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.starts_with("exit status "));
}

TEST_CASE("processes_json describes live processes from /proc and skips gone ones") {
  std::string self = std::to_string(::getpid());
  std::string json = processes_json({::getpid(), 999999999});
  CHECK(json.starts_with("[{\"pid\":" + self + ",\"ppid\":" + std::to_string(::getppid()) +
                         ",\"uid\":" + std::to_string(::getuid()) + ",\"state\":\"R\""));
  CHECK(json.find("unit_manage") != std::string::npos);
  CHECK(json.ends_with("}]\n"));
  CHECK(processes_json({}) == "[]\n");
}

TEST_CASE("network_interfaces_json reads /proc/net/dev into runc's CamelCase, without lo") {
  std::string dev =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
      "drop fifo colls carrier compressed\n"
      "    lo:     100       2    0    0    0     0          0         0      100       2    0 "
      "   0    0     0       0          0\n"
      "  eth0: 1000 10 1 2 0 0 0 0 2000 20 3 4 0 0 0 0\n";
  CHECK(network_interfaces_json(dev) ==
        R"([{"Name":"eth0","RxBytes":1000,"RxPackets":10,"RxErrors":1,"RxDropped":2,)"
        R"("TxBytes":2000,"TxPackets":20,"TxErrors":3,"TxDropped":4}])");
  CHECK(network_interfaces_json("") == "null");
}
