// runc's argv grammar (urfave/cli v1 on Go's flag package): -flag and --flag are the same,
// values as "--flag v", "--flag=v", "-flag=v"; booleans as "--flag" or "--flag=false"; "--" ends
// flags. Global flags stop at the subcommand; a command's known flags may follow its arguments
// (urfave reorders them) unless the command takes a process argv (exec, ps).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "cli/command.hpp"

namespace keel::cli {

// Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False.
bool parse_bool(std::string_view text, bool& out);

struct ParseError {
  std::string message;  // "flag provided but not defined: -bogus"
  bool help = false;    // -h/--help was given: not an error, show help
};

// Global flags from argv[1...]; fills ctx.global/log_path/log_format and returns the index of
// the first non-flag argument (the subcommand), or args.size().
struct GlobalResult {
  std::size_t next = 0;
  bool help = false;
  bool version = false;
  std::vector<std::string> warnings;  // e.g. --criu is ignored
  std::string error;                  // non-empty on a parse error or a bad value
  bool usage = false;                 // the error is a malformed command line: show help too
};
GlobalResult parse_global(std::span<const std::string> args, Context& ctx);

// A command's flags and positional arguments. On success ctx.values/ctx.args are filled.
// Returns an empty message on success.
ParseError parse_command(const Command& cmd, std::span<const std::string> args, Context& ctx);

// runc's checkArgs wording: `<argv0>: "state" requires exactly 1 argument(s)`, "" when fine.
std::string check_args(const Command& cmd, const Context& ctx, const std::string& argv0);

// The global flags as a table (for help and tests).
const std::vector<Flag>& global_flags();

}  // namespace keel::cli
