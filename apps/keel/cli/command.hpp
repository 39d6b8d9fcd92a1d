// What a subcommand declares (flags, arguments, help text, entry point) and what it receives
// after parsing. The dispatcher only knows this shape, so each command lives in its own file.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keel/lifecycle.hpp"

namespace keel::cli {

enum class FlagType { boolean, string, integer, duration };

struct Flag {
  Flag(std::string name, std::string short_name, FlagType type, std::string usage,
       std::string default_text = "", bool hidden = false)
      : name(std::move(name)),
        short_name(std::move(short_name)),
        type(type),
        usage(std::move(usage)),
        default_text(std::move(default_text)),
        hidden(hidden) {}

  std::string name;        // long name without dashes: "bundle"
  std::string short_name;  // "b", or ""
  FlagType type;
  std::string usage;         // one line for OPTIONS
  std::string default_text;  // shown as "(default: ...)" when not empty
  bool hidden;               // accepted but not listed (runc's obsolete flags)
};

// How many positional arguments the command takes (runc's checkArgs).
enum class ArgCheck { none, exact, minimum };

struct Context;

struct Command {
  std::string name;
  std::string summary;      // "output the state of a container"
  std::string args_usage;   // shown after the command in USAGE (may span lines)
  std::string description;  // DESCRIPTION body, "" for none
  std::vector<Flag> flags;
  ArgCheck arg_check = ArgCheck::none;
  int args = 0;
  int max_args = -1;          // with minimum: an upper bound too (kill takes at most 2)
  bool skip_reorder = false;  // exec/ps: everything after the id belongs to the process
  int (*run)(Context&) = nullptr;
};

// Parsed command line handed to Command::run.
struct Context {
  std::string program;  // "keel", or "runc" when invoked under that name
  std::string argv0;    // verbatim, for runc's "<argv0>: \"state\" requires ..." messages
  GlobalOptions global;
  std::string log_path;
  std::string log_format = "text";
  const Command* command = nullptr;
  std::map<std::string, std::vector<std::string>> values;  // long name -> values in order
  std::vector<std::string> args;                           // positional arguments

  bool has(const std::string& name) const { return values.contains(name); }
  bool flag(const std::string& name) const;  // boolean flag value (last one wins)
  std::string string(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> strings(const std::string& name) const;
  long long integer(const std::string& name, long long fallback = 0) const;
};

}  // namespace keel::cli
