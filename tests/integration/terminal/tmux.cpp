#include "tmux.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace keel::test {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

Tmux::Tmux(const std::string& dir, int width, int height, const std::string& command)
    : socket_(dir + "/tmux.sock") {
  std::string conf = dir + "/tmux.conf";
  // No status line (the pane gets every row); the pane stays after its command ends.
  write_file(conf, "set -g status off\nset -g remain-on-exit on\n");
  auto r = run_program(
      {"/usr/bin/tmux", "-S", socket_, "-f", conf, "new-session", "-d", "-x", std::to_string(width),
       "-y", std::to_string(height), "-s", "keel", "/bin/sh -c " + shell_quote(command)},
      with_timeout(10s));
  started_ = r.exit_code == 0;
  if (!started_) MESSAGE("tmux new-session failed: " << r.err);
}

Tmux::~Tmux() {
  if (started_) (void)tmux({"kill-server"});
}

CommandResult Tmux::tmux(std::vector<std::string> args) const {
  args.insert(args.begin(), {"/usr/bin/tmux", "-S", socket_});
  return run_program(args, with_timeout(10s));
}

void Tmux::keys(const std::vector<std::string>& keys) const {
  std::vector<std::string> args{"send-keys", "-t", "keel"};
  args.insert(args.end(), keys.begin(), keys.end());
  (void)tmux(args);
}

void Tmux::type_line(const std::string& line) const {
  (void)tmux({"send-keys", "-t", "keel", "-l", line});
  keys({"Enter"});
}

void Tmux::resize(int width, int height) const {
  (void)tmux(
      {"resize-window", "-t", "keel", "-x", std::to_string(width), "-y", std::to_string(height)});
}

std::string Tmux::screen() const {
  return tmux({"capture-pane", "-p", "-J", "-t", "keel"}).out;
}

bool Tmux::wait_for(const std::string& text, std::chrono::milliseconds timeout) const {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (screen().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace keel::test
