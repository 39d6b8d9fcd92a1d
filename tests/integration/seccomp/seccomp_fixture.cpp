#include "seccomp_fixture.hpp"

#include <poll.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace keel::test {
namespace {

rapidjson::Document load_fixture(const std::string& file) {
  std::string text = read_file(std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/specs/" + file);
  rapidjson::Document d;
  d.Parse(text.c_str());
  if (d.HasParseError()) throw std::runtime_error("bad fixture " + file);
  return d;
}

std::string to_text(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

}  // namespace

void add_probe(Bundle& b) {
  std::string dest = b.rootfs() + "/bin/probe";
  fs::copy_file(SECCOMP_PROBE, dest, fs::copy_options::overwrite_existing);
  fs::permissions(dest, fs::perms(0755));
}

void add_applets(Bundle& b, const std::vector<std::string>& applets) {
  for (const auto& a : applets) {
    std::error_code ec;
    fs::create_symlink("busybox", b.rootfs() + "/bin/" + a, ec);
  }
}

std::string fixture_value(const std::string& file, const std::string& pointer) {
  auto d = load_fixture(file);
  const rapidjson::Value* v = rapidjson::Pointer(pointer.c_str()).Get(d);
  if (!v) throw std::runtime_error(file + " has no " + pointer);
  return to_text(*v);
}

std::string fixture_seccomp(const std::string& file) {
  return fixture_value(file, "/linux/seccomp");
}

int syscall_number(const std::string& name) {
  int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, name.c_str());
  return nr == __NR_SCMP_ERROR ? -1 : nr;
}

std::string allowlist_profile(const std::set<std::string>& drop, int below_nr,
                              const std::string& default_action, int default_errno,
                              const std::string& extra_rules) {
  auto d = load_fixture("docker-create.json");
  std::string rules;
  for (const auto& rule : d["linux"]["seccomp"]["syscalls"].GetArray()) {
    std::string names;
    for (const auto& n : rule["names"].GetArray()) {
      std::string name = n.GetString();
      int nr = syscall_number(name);
      if (drop.count(name) || nr < 0 || nr >= below_nr) continue;
      names += (names.empty() ? "\"" : ",\"") + name + "\"";
    }
    if (names.empty()) continue;
    // Docker's conditional rules (clone's namespace mask, personality values) and its
    // clone3 -> ENOSYS (glibc's posix_spawn falls back to clone only on ENOSYS) stay as they are.
    std::string rest;
    for (const char* key : {"action", "errnoRet", "args"})
      if (rule.HasMember(key)) rest += std::string(",\"") + key + "\":" + to_text(rule[key]);
    rules += (rules.empty() ? "" : ",") + std::string(R"({"names":[)") + names + "]" + rest + "}";
  }
  if (!extra_rules.empty()) rules += "," + extra_rules;
  return R"({"defaultAction":")" + default_action + R"(","defaultErrnoRet":)" +
         std::to_string(default_errno) + R"(,"architectures":["SCMP_ARCH_X86_64"],"syscalls":[)" +
         rules + "]}";
}

std::vector<std::string> file_lines(const std::string& path) {
  std::vector<std::string> out;
  std::istringstream in(read_file(path));
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

seccomp_notif_resp reply(int err, long long val) {
  seccomp_notif_resp r{};
  r.error = -err;
  r.val = err ? 0 : val;
  return r;
}

SeccompAgent::SeccompAgent(Answer answer)
    : socket_path_(dir_.path() + "/agent.sock"), answer_(std::move(answer)) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 ||
      ::listen(fd, 4) < 0)
    throw std::runtime_error("agent: cannot listen at " + socket_path_ + ": " +
                             std::strerror(errno));
  thread_ = std::thread([this, fd] {
    serve(fd);
    ::close(fd);
  });
}

SeccompAgent::~SeccompAgent() {
  stop();
}

void SeccompAgent::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void SeccompAgent::serve(int listen_fd) {
  int conn = -1;
  while (!stop_ && conn < 0) {
    pollfd p{listen_fd, POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) conn = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  }
  if (conn < 0) return;
  char data[8192];
  alignas(cmsghdr) char control[CMSG_SPACE(4 * sizeof(int))];
  iovec iov{data, sizeof data};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  ::close(conn);
  if (n <= 0) return;
  std::vector<int> fds;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    for (size_t i = 0; i < count; ++i) {
      int fd;
      std::memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
      fds.push_back(fd);
    }
  }
  {
    std::lock_guard lock(mu_);
    state_json_.assign(data, size_t(n));
    fds_received_ = int(fds.size());
  }
  if (fds.size() == 1) answer_until_hangup(fds[0]);
  for (int fd : fds) ::close(fd);
}

void SeccompAgent::answer_until_hangup(int listener) {
  while (!stop_) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (p.revents & POLLIN) {
      seccomp_notif req{};
      if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) continue;  // target died
      seccomp_notif_resp resp = answer_(req);
      resp.id = req.id;
      {
        std::lock_guard lock(mu_);
        notifications_.push_back(req);
      }
      ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    } else if (p.revents & (POLLHUP | POLLERR)) {
      break;  // no task uses the filter any more
    }
  }
  hung_up_ = true;
}

bool SeccompAgent::wait_notifications(int count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (hung_up_) return true;
    {
      std::lock_guard lock(mu_);
      if (int(notifications_.size()) >= count) return true;
    }
    ::usleep(20000);
  }
  return false;
}

std::string SeccompAgent::state_json() const {
  std::lock_guard lock(mu_);
  return state_json_;
}

int SeccompAgent::fds_received() const {
  std::lock_guard lock(mu_);
  return fds_received_;
}

std::vector<seccomp_notif> SeccompAgent::notifications() const {
  std::lock_guard lock(mu_);
  return notifications_;
}

}  // namespace keel::test
