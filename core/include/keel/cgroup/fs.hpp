// Small file helpers for cgroup trees: every write names the file and the value in its error.
// All take full paths so writers can be pointed at a temp dir in tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"

namespace keel::cgroup {

// "writing /x/memory.max: \"4\": Invalid argument" on failure.
Result<void> write_file(const std::string& dir, std::string_view file, std::string_view value);
// One open, one write(2) per value (newline-terminated): for files the kernel reads as one
// command per write, like devices.allow. A regular file (tests) collects them one per line.
Result<void> write_each(const std::string& dir, std::string_view file,
                        const std::vector<std::string>& values);
Result<std::string> read_file(const std::string& path);
// Reads one number; "max" reads as UINT64_MAX.
Result<uint64_t> read_u64(const std::string& path);
bool exists(const std::string& path);
std::string join(std::string_view dir, std::string_view rel);

// mkdir -p; appends every directory this call made to *created (outermost first).
Result<void> mkdir_p(const std::string& dir, std::vector<std::string>* created);
// Removes a cgroup dir and its children (rmdir only, deepest first). EBUSY is retried a bounded
// number of times with short sleeps, then reported. A missing dir is success.
Result<void> remove_cgroup(const std::string& dir);

// Parses "key value" lines (memory.stat, cpu.stat, cgroup.events) into numbers.
std::vector<std::pair<std::string, uint64_t>> parse_flat_keyed(std::string_view text);

}  // namespace keel::cgroup
