// /proc readers: one process's ppid, uid, state and command line.
#include "proc_read.hpp"

#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <sstream>

#include "keel/fd.hpp"

namespace keel::manage::detail {

Result<std::string> read_text(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + path);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read " + path);
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

std::optional<ProcessInfo> read_process(pid_t pid) {
  std::string base = "/proc/" + std::to_string(pid);
  auto stat = read_text(base + "/stat");
  auto status = read_text(base + "/status");
  if (!stat || !status) return std::nullopt;
  ProcessInfo info;
  // "pid (comm) S ppid ...": comm may hold spaces and parentheses.
  auto open = stat->find('(');
  auto close = stat->rfind(')');
  if (open == std::string::npos || close == std::string::npos || close + 2 >= stat->size())
    return std::nullopt;
  std::string comm = stat->substr(open + 1, close - open - 1);
  std::istringstream rest(stat->substr(close + 2));
  long ppid = 0;
  rest >> info.state >> ppid;
  info.ppid = static_cast<pid_t>(ppid);
  std::istringstream lines(*status);
  std::string line;
  while (std::getline(lines, line))
    if (line.starts_with("Uid:")) {
      info.uid = static_cast<uid_t>(std::stoul(line.substr(4)));
      break;
    }
  auto cmdline = read_text(base + "/cmdline");
  std::string cmd = cmdline.value_or("");
  while (!cmd.empty() && cmd.back() == '\0') cmd.pop_back();
  for (char& ch : cmd)
    if (ch == '\0') ch = ' ';
  info.command = cmd.empty() ? "[" + comm + "]" : cmd;
  return info;
}

std::string json_string(const std::string& s) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace keel::manage::detail
