// A detached tmux server of its own (-S <dir>/tmux.sock, no user config) running one command in a
// pane of a known size: the test types with send-keys and reads the screen with capture-pane,
// as a person at a terminal would. The destructor kills the server and everything in the pane.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "harness.hpp"

namespace keel::test {

class Tmux {
 public:
  // `command` runs through /bin/sh -c in a width x height pane (no status line).
  Tmux(const std::string& dir, int width, int height, const std::string& command);
  Tmux(const Tmux&) = delete;
  Tmux& operator=(const Tmux&) = delete;
  ~Tmux();

  bool started() const { return started_; }
  // tmux send-keys: each key is a tmux key name ("Enter", "C-c") or literal text.
  void keys(const std::vector<std::string>& keys) const;
  // Types `line` and presses Enter.
  void type_line(const std::string& line) const;
  void resize(int width, int height) const;
  // The visible screen, wrapped lines joined.
  std::string screen() const;
  // Polls the screen until a line of it contains `text`.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout = 10s) const;

 private:
  CommandResult tmux(std::vector<std::string> args) const;
  std::string socket_;
  bool started_ = false;
};

// Single-quotes `s` for sh.
std::string shell_quote(const std::string& s);

}  // namespace keel::test
