// The container lifecycle the app's commands call: create, start, run, kill, delete, and the
// read-only views. Each takes the global options and returns a Result; the app prints errors.
#pragma once

#include <string>
#include <vector>

#include "keel/error.hpp"

namespace keel {

struct GlobalOptions {
  std::string root = "/run/keel";
  bool systemd_cgroup = false;
  std::string rootless = "auto";  // true|false|auto
  bool debug = false;
};

struct CreateOptions {
  std::string id;
  std::string bundle;          // default: current directory
  std::string pid_file;
  std::string console_socket;
  std::string pidfd_socket;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
};

struct RunOptions : CreateOptions {
  bool detach = false;
  bool keep = false;
  bool no_subreaper = false;
};

Result<void> create_container(const GlobalOptions&, const CreateOptions&);
Result<void> start_container(const GlobalOptions&, const std::string& id);
// Returns the container's exit code (128+N when it died of signal N); with detach, 0.
Result<int> run_container(const GlobalOptions&, const RunOptions&);
Result<void> kill_container(const GlobalOptions&, const std::string& id, int signal, bool all);
Result<void> delete_container(const GlobalOptions&, const std::string& id, bool force);

}  // namespace keel
