// A running container to exec into: `sleep 1000` started detached, removed by the Bundle guard.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace keel::test {

inline void start_sleeper(Bundle& b) {
  b.set_command("sleep 1000");
  auto r = b.run({"--detach"}, with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  REQUIRE(b.wait_status("running"));
}

inline CommandResult exec_in(const Bundle& b, const std::vector<std::string>& flags,
                             const std::vector<std::string>& command) {
  std::vector<std::string> args{"exec"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.push_back(b.id());
  args.insert(args.end(), command.begin(), command.end());
  return b.keel(args, with_timeout(20s));
}

}  // namespace keel::test
