// Help and version text in urfave/cli v1's layout (NAME/USAGE/DESCRIPTION/OPTIONS), with the
// program name as invoked so `runc --help` through a symlink reads like runc.
#pragma once

#include <span>
#include <string>

#include "cli/command.hpp"

namespace keel::cli {

std::string command_help(const Command& cmd, const std::string& program);
std::string app_help(std::span<const Command* const> commands, const std::string& program);
// keel: "keel version 0.1.0\ncommit: ...\nspec: 1.3.0\n[libseccomp: X\n]"
// runc: "runc version 1.3.0\ncommit: keel-...\nspec: 1.3.0\ngo: none\nlibseccomp: X\n"
std::string version_text(const std::string& program);

// "runc" when argv[0]'s basename is runc (engines that only speak to "runc"), else "keel".
std::string program_name(std::string_view argv0);

}  // namespace keel::cli
