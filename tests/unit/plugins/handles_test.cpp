// The typed handles over each kind's C table, reached through PluginHost by name.
#include <doctest/doctest.h>
#include <fcntl.h>

#include "keel/plugins.hpp"
#include "support.hpp"

using keel::PluginConfig;
using keel::PluginHost;

namespace {

PluginHost host_with_good_plugins() {
  PluginConfig cfg;
  cfg.plugin_dirs = {"/nonexistent/keel-plugins", good_plugins().path()};
  cfg.cgroup_manager = "testcg";
  cfg.systemd_cgroup_manager = "thrower";
  cfg.syscall_filter = "testfilter";
  cfg.checkpointer = "testcriu";
  cfg.options_json["testlabel"] = R"({"profile":"p"})";
  return PluginHost(cfg);
}

}  // namespace

TEST_CASE("the cgroup manager handle passes strings, pids and fds across the ABI") {
  auto cg = host_with_good_plugins().cgroup_manager(false);
  REQUIRE(cg);
  CHECK(cg->name() == "testcg");

  auto created = cg->create(R"({"id":"c1"})");
  REQUIRE(created);
  CHECK(created->state == R"({"request":{"id":"c1"}})");
  REQUIRE(created->clone_into);
  CHECK(::fcntl(created->clone_into.get(), F_GETFD) == FD_CLOEXEC);

  CHECK(cg->apply(created->state, 123));
  auto bad_pid = cg->apply(created->state, 0);
  REQUIRE_FALSE(bad_pid);
  CHECK(bad_pid.error().code == ESRCH);
  CHECK(bad_pid.error().message == "moving pid 0: not a process");

  auto bad_set = cg->set(created->state, R"({"memory":"bad"})");
  REQUIRE_FALSE(bad_set);
  CHECK(bad_set.error().code == EINVAL);
  CHECK(bad_set.error().message == "writing /x/memory.limit_in_bytes: Invalid argument");

  CHECK(cg->freezer_state(created->state) == "running");
  CHECK(cg->freeze(created->state, true));
  CHECK(cg->freezer_state(created->state) == "paused");
  CHECK(cg->stats("{}") == R"({"state":{}})");
  CHECK(cg->pids("{}") == std::vector<pid_t>{1, 42, 4194304});
  auto garbage = cg->pids("garbage");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().message ==
        "plugin testcg: pids: expected a JSON array of pids, got \"not json\"");
  CHECK(cg->kill_all("{}", 9));
  CHECK(cg->destroy("{}"));
  CHECK(cg->features() == R"({"v1":true,"v2":false,"systemd":false})");
  CHECK(cg->paths("{}") == R"({"memory":"/x"})");
}

TEST_CASE("an exception thrown inside a plugin method becomes an error, not a crash") {
  auto cg = host_with_good_plugins().cgroup_manager(true);  // the "systemd" one is the thrower
  REQUIRE(cg);
  CHECK(cg->name() == "thrower");
  auto r = cg->apply("{}", 1);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == EIO);
  CHECK(r.error().message == "plugin thrower raised an exception: boom in apply (in apply)");
  auto s = cg->stats("{}");
  REQUIRE_FALSE(s);
  CHECK(s.error().message == "plugin thrower raised an exception: boom in stats (in stats)");
  CHECK(cg->freezer_state("{}") == "running");  // and the plugin still works afterwards
}

TEST_CASE("the syscall filter handle returns the program, flags and listener need") {
  auto f = host_with_good_plugins().syscall_filter();
  REQUIRE(f);
  REQUIRE(f->has_value());
  auto p = (*f)->compile(R"({"defaultAction":"SCMP_ACT_NOTIFY"})", "");
  REQUIRE(p);
  CHECK(p->bpf.size() == 8);
  CHECK(p->flags == 1);
  CHECK(p->needs_listener);
  auto cached = (*f)->compile(R"({"defaultAction":"SCMP_ACT_ALLOW"})", "/run/cache");
  REQUIRE(cached);
  CHECK(cached->flags == 2);
  CHECK_FALSE(cached->needs_listener);
  auto bad = (*f)->compile("", "");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "linux.seccomp: expected an object");
  CHECK((*f)->features() == R"({"enabled":true})");
}

TEST_CASE("a missing syscall filter is nullopt, a missing cgroup manager an error") {
  PluginConfig cfg;
  cfg.plugin_dirs = {good_plugins().path()};
  cfg.syscall_filter = "absent";
  cfg.cgroup_manager = "absent";
  PluginHost host(cfg);
  auto f = host.syscall_filter();
  REQUIRE(f);
  CHECK_FALSE(f->has_value());
  auto cg = host.cgroup_manager(false);
  REQUIRE_FALSE(cg);
  CHECK(cg.error().code == ENOENT);
  CHECK(cg.error().message == "cgroup manager plugin \"absent\" not found (looked for " +
                                  (good_plugins() / "libkeel-absent.so") + ", " +
                                  keel::default_plugin_dir() + "/libkeel-absent.so)");
}

TEST_CASE("the labeler handle gets its options from the config") {
  auto l = host_with_good_plugins().labeler("testlabel");
  REQUIRE(l);
  REQUIRE(l->has_value());
  CHECK((*l)->enabled());
  CHECK((*l)->validate("ok"));
  auto missing = (*l)->validate("missing");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ENOENT);
  CHECK((*l)->mount_option("") == "");
  CHECK((*l)->mount_option("sys_u") == R"(context="sys_u" options={"profile":"p"})");
  CHECK((*l)->set_exec_label("x"));
  CHECK((*l)->set_keyring_label("x"));
}

TEST_CASE("the checkpointer handle reaches the checkpointer plugin") {
  auto c = host_with_good_plugins().checkpointer();
  REQUIRE(c);
  CHECK(c->check());
  CHECK(c->restore(R"({"id":"c"})") == R"({"restored":{"id":"c"}})");
  CHECK_FALSE(c->dump(""));
}

TEST_CASE("a plugin of the wrong kind or under another name is refused") {
  PluginHost host = host_with_good_plugins();
  auto wrong = host.cgroup_manager_named("testfilter");
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message == "plugin " + (good_plugins() / "libkeel-testfilter.so") +
                                     " is a syscall filter, not a cgroup manager");

  TempDir dir;  // libkeel-renamed.so whose descriptor says "handmade"
  std::string handmade = install_plugin("handmade", dir.path());
  fs::rename(handmade, dir / "libkeel-renamed.so");
  PluginConfig cfg;
  cfg.explicit_paths["renamed"] = dir / "libkeel-renamed.so";
  auto renamed = PluginHost(cfg).labeler("renamed");
  REQUIRE_FALSE(renamed);
  CHECK(renamed.error().message == "plugin " + (dir / "libkeel-renamed.so") +
                                       " calls itself \"handmade\", expected \"renamed\"");
}

TEST_CASE("an explicit path comes before the plugin dirs; a refused file is not skipped") {
  TempDir dir;
  std::string weak = install_plugin("modetest", dir.path(), 0666);
  PluginConfig cfg;
  cfg.explicit_paths["testcg"] = weak;  // refused: must not fall back to the good testcg
  cfg.plugin_dirs = {good_plugins().path()};
  PluginHost host(cfg);
  CHECK(host.candidates("testcg").front() == weak);
  auto cg = host.cgroup_manager_named("testcg");
  REQUIRE_FALSE(cg);
  CHECK(cg.error().message.find(weak + ": writable by group or others") != std::string::npos);
}

TEST_CASE("the default plugin dir is <exe dir>/../lib/keel/plugins") {
  std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::string bin_parent = fs::path(exe).parent_path().parent_path().string();
  CHECK(keel::default_plugin_dir() == bin_parent + "/lib/keel/plugins");
  PluginHost host{PluginConfig{}};
  CHECK(host.candidates("x") ==
        std::vector<std::string>{bin_parent + "/lib/keel/plugins/libkeel-x.so"});
}
