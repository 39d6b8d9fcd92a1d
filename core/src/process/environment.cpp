// The environ handed to execve, as runc's prepareEnv builds it.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <string_view>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"

namespace keel::process {
namespace {

std::string read_small_file(const std::string& path) {
  std::string out;
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return out;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd.get(), buf, sizeof buf)) > 0 && out.size() < (1u << 20)) out.append(buf, n);
  return out;
}

// The home directory of uid in a passwd file (name:pw:uid:gid:gecos:home:shell); "/" when the
// uid has no entry or the file cannot be read, as runc does.
std::string home_of(uint32_t uid, const std::string& passwd_path) {
  const std::string text = read_small_file(passwd_path);
  std::string_view rest = text;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
    std::string_view fields[7];
    size_t count = 0;
    while (count < 7) {
      const size_t colon = line.find(':');
      fields[count++] = line.substr(0, colon);
      if (colon == std::string_view::npos) break;
      line.remove_prefix(colon + 1);
    }
    if (count < 6) continue;
    uint32_t entry_uid = 0;
    auto [p, ec] =
        std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), entry_uid);
    if (ec == std::errc() && p == fields[2].data() + fields[2].size() && entry_uid == uid) {
      return std::string(fields[5]);
    }
  }
  return "/";
}

}  // namespace

Result<std::vector<std::string>> prepare_env(const std::vector<std::string>& env, uint32_t uid,
                                             const std::string& passwd_path) {
  // Walk backwards so the last value of a duplicated name wins, then restore the order.
  std::vector<std::string> out;
  std::set<std::string_view> seen;
  bool home_set = false;
  for (auto it = env.rbegin(); it != env.rend(); ++it) {
    const std::string& kv = *it;
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) return fail("invalid environment variable: missing '='");
    if (eq == 0) return fail("invalid environment variable: name cannot be empty");
    std::string_view name(kv.data(), eq);
    if (!seen.insert(name).second) continue;
    if (kv.find('\0') != std::string::npos) {
      return fail("invalid environment variable \"" + std::string(name) +
                  "\": contains nul byte (\\x00)");
    }
    if (name == "HOME") {
      if (eq + 1 == kv.size()) continue;  // an empty HOME is replaced below
      home_set = true;
    }
    out.push_back(kv);
  }
  std::reverse(out.begin(), out.end());
  if (!home_set) out.push_back("HOME=" + home_of(uid, passwd_path));
  return out;
}

}  // namespace keel::process
