#include "cli/argv.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/help.hpp"

using namespace keel::cli;

namespace {

Command sample() {
  return Command{
      .name = "create",
      .summary = "create a container",
      .args_usage = "<container-id>",
      .description = "",
      .flags = {{"bundle", "b", FlagType::string, "bundle dir"},
                {"detach", "d", FlagType::boolean, "detach"},
                {"preserve-fds", "", FlagType::integer, "fds", "0"},
                {"env", "e", FlagType::string, "env"}},
      .arg_check = ArgCheck::exact,
      .args = 1,
      .max_args = -1,
      .skip_reorder = false,
      .run = nullptr,
  };
}

Context parse(const Command& cmd, std::vector<std::string> args, ParseError* err = nullptr) {
  Context ctx;
  auto e = parse_command(cmd, args, ctx);
  if (err)
    *err = e;
  else
    REQUIRE_MESSAGE(e.message.empty(), e.message);
  return ctx;
}

}  // namespace

TEST_CASE("value flags accept every spelling Go's flag package accepts") {
  auto cmd = sample();
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"--bundle", "/b", "id"},
                                             {"--bundle=/b", "id"},
                                             {"-bundle", "/b", "id"},
                                             {"-bundle=/b", "id"},
                                             {"-b", "/b", "id"},
                                             {"--b", "/b", "id"},
                                             {"-b=/b", "id"}}) {
    auto ctx = parse(cmd, args);
    CHECK(ctx.string("bundle") == "/b");
    CHECK(ctx.args == std::vector<std::string>{"id"});
  }
}

TEST_CASE("booleans take no value unless given with =") {
  auto cmd = sample();
  CHECK(parse(cmd, {"--detach", "id"}).flag("detach"));
  CHECK(parse(cmd, {"-d", "id"}).flag("detach"));
  CHECK(parse(cmd, {"--detach=true", "id"}).flag("detach"));
  CHECK(!parse(cmd, {"--detach=false", "id"}).flag("detach"));
  CHECK(!parse(cmd, {"-d=0", "id"}).flag("detach"));
  CHECK(parse(cmd, {"--detach", "id"}).args == std::vector<std::string>{"id"});
  ParseError err;
  parse(cmd, {"--detach=maybe", "id"}, &err);
  CHECK(err.message == "invalid boolean value \"maybe\" for -detach: parse error");
}

TEST_CASE("known flags after the id are moved before it, like urfave/cli") {
  auto cmd = sample();
  auto ctx = parse(cmd, {"id", "--detach", "-b", "/x"});
  CHECK(ctx.flag("detach"));
  CHECK(ctx.string("bundle") == "/x");
  CHECK(ctx.args == std::vector<std::string>{"id"});
}

TEST_CASE("an unknown flag before the id is an error, after it a positional") {
  auto cmd = sample();
  ParseError err;
  parse(cmd, {"--bogus", "id"}, &err);
  CHECK(err.message == "flag provided but not defined: -bogus");
  auto ctx = parse(cmd, {"id", "--bogus"});
  CHECK(ctx.args == std::vector<std::string>{"id", "--bogus"});
}

TEST_CASE("-- ends flags; repeated flags keep every value") {
  auto cmd = sample();
  auto ctx = parse(cmd, {"-e", "A=1", "--env=B=2", "--", "-d"});
  CHECK(ctx.strings("env") == std::vector<std::string>{"A=1", "B=2"});
  CHECK(!ctx.flag("detach"));
  CHECK(ctx.args == std::vector<std::string>{"-d"});
}

TEST_CASE("integer flags are checked and missing values reported") {
  auto cmd = sample();
  CHECK(parse(cmd, {"--preserve-fds", "3", "id"}).integer("preserve-fds") == 3);
  ParseError err;
  parse(cmd, {"--preserve-fds", "x", "id"}, &err);
  CHECK(err.message == "invalid value \"x\" for flag -preserve-fds: parse error");
  parse(cmd, {"id", "--bundle"}, &err);
  CHECK(err.message == "flag needs an argument: -bundle");
}

TEST_CASE("-h and --help ask for help") {
  auto cmd = sample();
  ParseError err;
  parse(cmd, {"-h"}, &err);
  CHECK(err.help);
  parse(cmd, {"id", "--help"}, &err);
  CHECK(err.help);
}

TEST_CASE("exec-style commands stop at the first positional: the rest is the process") {
  auto cmd = sample();
  cmd.skip_reorder = true;
  auto ctx = parse(cmd, {"-d", "id", "sh", "-c", "--detach"});
  CHECK(ctx.flag("detach"));
  CHECK(ctx.args == std::vector<std::string>{"id", "sh", "-c", "--detach"});
}

TEST_CASE("argument counts are checked with runc's wording") {
  auto cmd = sample();
  Context ctx;
  CHECK(check_args(cmd, ctx, "runc") == "runc: \"create\" requires exactly 1 argument(s)");
  ctx.args = {"a"};
  CHECK(check_args(cmd, ctx, "runc").empty());
  cmd.name = "kill";
  cmd.arg_check = ArgCheck::minimum;
  cmd.max_args = 2;
  ctx.args = {};
  CHECK(check_args(cmd, ctx, "keel") == "keel: \"kill\" requires a minimum of 1 argument(s)");
  ctx.args = {"a", "b", "c"};
  CHECK(check_args(cmd, ctx, "keel") == "keel: \"kill\" requires a maximum of 2 argument(s)");
}

TEST_CASE("global flags stop at the subcommand and accept Go spellings") {
  Context ctx;
  std::vector<std::string> args = {
      "-root",      "/r",   "--log=/l", "-log-format=json", "--debug", "--systemd-cgroup",
      "--rootless", "true", "state",    "--debug"};
  auto r = parse_global(args, ctx);
  CHECK(r.error.empty());
  CHECK(r.next == 8);
  CHECK(ctx.global.root == "/r");
  CHECK(ctx.log_path == "/l");
  CHECK(ctx.log_format == "json");
  CHECK(ctx.global.debug);
  CHECK(ctx.global.systemd_cgroup);
  CHECK(ctx.global.rootless == "true");
}

TEST_CASE("global --criu is accepted with a warning, bad values are errors") {
  Context ctx;
  std::vector<std::string> criu = {"--criu", "/usr/sbin/criu", "list"};
  auto r = parse_global(criu, ctx);
  CHECK(r.error.empty());
  CHECK(r.warnings ==
        std::vector<std::string>{"--criu is ignored (criu binary from PATH is used)"});
  std::vector<std::string> fmt = {"--log-format", "xml", "list"};
  CHECK(parse_global(fmt, ctx).error == "invalid log-format: xml");
  std::vector<std::string> bogus = {"--bogus", "list"};
  CHECK(parse_global(bogus, ctx).error == "flag provided but not defined: -bogus");
  std::vector<std::string> version = {"-v"};
  CHECK(parse_global(version, ctx).version);
}

TEST_CASE("the program speaks as runc only when invoked as runc") {
  CHECK(program_name("/usr/bin/runc") == "runc");
  CHECK(program_name("runc") == "runc");
  CHECK(program_name("/usr/bin/keel") == "keel");
  CHECK(program_name("runc-wrapper") == "keel");
}

TEST_CASE("command help has urfave's sections and aligned options") {
  auto help = command_help(sample(), "runc");
  CHECK(
      help.starts_with("NAME:\n   runc create - create a container\n\nUSAGE:\n"
                       "   runc create [command options] <container-id>\n\nOPTIONS:\n"));
  CHECK(help.find("   --bundle value, -b value  bundle dir\n") != std::string::npos);
  CHECK(help.find("   --detach, -d              detach\n") != std::string::npos);
  CHECK(help.find("(default: 0)") != std::string::npos);
}
