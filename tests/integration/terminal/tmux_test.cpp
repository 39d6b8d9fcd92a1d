// `keel run` and `keel exec -t` of an interactive shell at a real terminal (a tmux pane): the
// container sees the pane's size and its changes, Ctrl-C reaches the container's foreground
// process instead of keel, `exit N` ends keel with N and the pane's terminal is restored.
#include "tmux.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <thread>

#include "harness.hpp"

using namespace keel::test;

namespace {

// busybox's stty, which the shared rootfs does not link.
void add_stty(const Bundle& b) {
  std::filesystem::create_symlink("busybox", b.rootfs() + "/bin/stty");
}

// The pane runs `keel_command`, then records the terminal settings and keel's exit code (last,
// through a rename, so a test seeing the file sees both).
std::string pane_command(const Bundle& b, const std::vector<std::string>& keel_args) {
  std::string cmd = shell_quote(KEEL_BINARY) + " --root " + shell_quote(b.state_root());
  for (const auto& a : keel_args) cmd += " " + shell_quote(a);
  std::string d = shell_quote(b.dir());
  return cmd + "; rc=$?; stty -a >" + d + "/stty.after; echo $rc >" + d + "/exit.tmp; mv " + d +
         "/exit.tmp " + d + "/keel.exit";
}

bool wait_for_file(const std::string& path, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (!path_exists(path)) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool has_word(const std::string& text, const std::string& word) {
  std::istringstream in(text);
  std::string w;
  while (in >> w) {
    if (!w.empty() && w.back() == ';') w.pop_back();
    if (w == word) return true;
  }
  return false;
}

// What a person does with the shell in the pane; the pane starts at 80x24.
void drive_shell(const Tmux& t, const Bundle& b) {
  std::string exit_file = b.dir() + "/keel.exit";
  REQUIRE_MESSAGE(t.wait_for("# "), t.screen());  // the container shell's prompt

  t.type_line("echo M1 $(stty size)");
  CHECK_MESSAGE(t.wait_for("M1 24 80"), t.screen());

  // The pane's new size comes to keel as SIGWINCH and is passed on to the container's pty.
  t.resize(100, 30);
  t.type_line("echo M2 $(stty size)");
  CHECK_MESSAGE(t.wait_for("M2 30 100"), t.screen());

  // Ctrl-C is a byte in keel's raw terminal; the container's pty turns it into SIGINT for its
  // foreground process group, where a trap reports it (the typed text shows $((..)), the output
  // the sums, so the screen tells them apart). keel itself must get no SIGINT.
  t.type_line(
      "sh -c 'trap \"echo M3 int$((2+2)); exit 0\" INT; echo M3 armed$((1+1)); sleep 100 & wait'");
  CHECK_MESSAGE(t.wait_for("M3 armed2"), t.screen());
  t.keys({"C-c"});
  CHECK_MESSAGE(t.wait_for("M3 int4"), t.screen());
  t.type_line("echo M4 $((40+2))");  // and the shell is back at its prompt
  CHECK_MESSAGE(t.wait_for("M4 42"), t.screen());
  CHECK_FALSE(path_exists(exit_file));  // keel itself got no SIGINT

  t.type_line("exit 3");
  REQUIRE_MESSAGE(wait_for_file(exit_file, 10s), t.screen());
  CHECK(read_file(exit_file) == "3\n");
  // Back in the pane's own shell the terminal is cooked again, as it was before keel.
  std::string stty = read_file(b.dir() + "/stty.after");
  CHECK_MESSAGE(has_word(stty, "icanon"), stty);
  CHECK_MESSAGE(has_word(stty, "echo"), stty);
  CHECK_MESSAGE(has_word(stty, "isig"), stty);
}

}  // namespace

TEST_CASE("run at a terminal: size, resize, Ctrl-C reach the container; exit 3 ends keel with 3") {
  Bundle b;
  add_stty(b);
  b.set("/process/terminal", "true");
  b.set_args({"sh"});
  Tmux t(b.dir(), 80, 24, pane_command(b, {"run", "--bundle", b.dir(), b.id()}));
  REQUIRE(t.started());
  drive_shell(t, b);
  CHECK(b.status().empty());  // run removed the container when it ended
}

TEST_CASE(
    "exec -t at a terminal: size, resize, Ctrl-C reach the process; exit 3 ends keel with 3") {
  Bundle b;
  add_stty(b);
  b.set_command("sleep 1000");
  auto r = b.run({"--detach"}, with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  REQUIRE(b.wait_status("running"));
  Tmux t(b.dir(), 80, 24, pane_command(b, {"exec", "-t", b.id(), "sh"}));
  REQUIRE(t.started());
  drive_shell(t, b);
  CHECK(b.status() == "running");  // the container outlives its exec'd shell
}
