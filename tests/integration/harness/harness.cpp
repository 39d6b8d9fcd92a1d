#include "harness.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace fs = std::filesystem;

namespace keel::test {
namespace {

// runc's `spec` template, trimmed to what busybox needs; {{ID}} is replaced.
constexpr const char* kTemplate = R"({
  "ociVersion": "1.0.2",
  "process": {
    "terminal": false,
    "user": {"uid": 0, "gid": 0},
    "args": ["sh", "-c", "true"],
    "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
    "cwd": "/",
    "capabilities": {
      "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
      "effective": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"],
      "permitted": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_ADMIN"]
    },
    "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
    "noNewPrivileges": true
  },
  "root": {"path": "rootfs", "readonly": false},
  "hostname": "keel-test",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
     "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
    {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
     "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
    {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
     "options": ["nosuid", "noexec", "nodev"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]}
  ],
  "linux": {
    "cgroupsPath": "/keel-test/{{ID}}",
    "resources": {"devices": [{"allow": false, "access": "rwm"}]},
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                   {"type": "mount"}],
    "maskedPaths": ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"],
    "readonlyPaths": ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
  }
})";

constexpr const char* kApplets[] = {
    "sh",    "echo", "cat", "ls",       "hostname", "sleep", "id",    "ps", "kill", "true",
    "false", "grep", "wc",  "readlink", "test",     "env",   "mount", "ip", "stat", "printf"};

std::string temp_base() {
  const char* t = std::getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

// One busybox copy per test process; bundles hard-link to it (same temp filesystem).
const std::string& master_busybox() {
  static TempDir dir("keel-busybox");
  static std::string path = [] {
    std::string p = dir.path() + "/busybox";
    fs::copy_file("/bin/busybox", p);
    ::chmod(p.c_str(), 0755);
    return p;
  }();
  return path;
}

void make_rootfs(const std::string& rootfs) {
  for (const char* d : {"bin", "proc", "dev", "sys", "tmp", "etc", "root", "run"})
    fs::create_directories(rootfs + "/" + d);
  std::error_code ec;
  fs::create_hard_link(master_busybox(), rootfs + "/bin/busybox", ec);
  if (ec) fs::copy_file(master_busybox(), rootfs + "/bin/busybox");
  for (const char* a : kApplets) fs::create_symlink("busybox", rootfs + "/bin/" + a);
  write_file(rootfs + "/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  write_file(rootfs + "/etc/group", "root:x:0:\n");
}

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  if (d.HasParseError()) throw std::runtime_error("harness: bad JSON: " + text);
  return d;
}

std::string serialize(const rapidjson::Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

int exit_code_of(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

std::string json_string_field(const std::string& json, const char* key) {
  auto d = rapidjson::Document();
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember(key)) return "";
  const auto& v = d[key];
  if (v.IsString()) return v.GetString();
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  return "";
}

}  // namespace

std::string CommandResult::read_out() const {
  return read_file(out_path);
}
std::string CommandResult::read_err() const {
  return read_file(err_path);
}

CommandResult run_program(const std::vector<std::string>& argv, const RunOptions& options) {
  static TempDir io_dir("keel-io");
  static std::atomic<int> counter{0};
  int n = counter++;
  CommandResult r;
  r.out_path = io_dir.path() + "/" + std::to_string(n) + ".out";
  r.err_path = io_dir.path() + "/" + std::to_string(n) + ".err";
  std::string in_path = io_dir.path() + "/" + std::to_string(n) + ".in";
  write_file(in_path, options.stdin_text);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, r.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, r.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) env_store.emplace_back(*e);
  for (const auto& e : options.extra_env) env_store.push_back(e);
  std::vector<char*> env;
  for (auto& e : env_store) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("harness: spawning " + argv[0] + ": " + strerror(rc));

  int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  pollfd p{pidfd, POLLIN, 0};
  int ready = ::poll(&p, 1, static_cast<int>(options.timeout.count()));
  if (ready == 0) {
    r.timed_out = true;
    ::kill(pid, SIGKILL);
  }
  ::close(pidfd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = exit_code_of(status);
  r.out = read_file(r.out_path);
  r.err = read_file(r.err_path);
  return r;
}

CommandResult run_keel(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{KEEL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, options);
}

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = temp_base() + "/" + prefix + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("harness: mkdtemp " + tmpl);
  path_ = tmpl;
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string unique_id(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

Bundle::Bundle(const std::string& id_prefix) : id_(unique_id(id_prefix)), dir_("keel-bundle") {
  // Readable by a container root mapped to another host uid (user namespace tests).
  ::chmod(dir().c_str(), 0755);
  make_rootfs(rootfs());
  std::string text = kTemplate;
  text.replace(text.find("{{ID}}"), 6, id_);
  write_file(config_path(), text);
}

Bundle::~Bundle() {
  auto r = keel({"delete", "--force", id_}, with_timeout(20s));
  if (r.exit_code != 0) {
    // Last resort so nothing outlives the test: kill what the state file names.
    pid_t p = pid();
    if (p > 0) ::kill(p, SIGKILL);
  }
  remove_keel_test_cgroups(id_);
}

void Bundle::set(const std::string& pointer, const std::string& json) {
  auto doc = parse(read_file(config_path()));
  auto value = parse(json);
  rapidjson::Value copy(value, doc.GetAllocator());
  rapidjson::Pointer(pointer.c_str()).Set(doc, copy);
  write_file(config_path(), serialize(doc));
}

void Bundle::remove(const std::string& pointer) {
  auto doc = parse(read_file(config_path()));
  rapidjson::Pointer(pointer.c_str()).Erase(doc);
  write_file(config_path(), serialize(doc));
}

void Bundle::append(const std::string& pointer, const std::string& json) {
  auto doc = parse(read_file(config_path()));
  auto value = parse(json);
  rapidjson::Pointer ptr(pointer.c_str());
  rapidjson::Value* arr = ptr.Get(doc);
  if (!arr) {
    rapidjson::Value empty(rapidjson::kArrayType);
    ptr.Set(doc, empty);
    arr = ptr.Get(doc);
  }
  arr->PushBack(rapidjson::Value(value, doc.GetAllocator()), doc.GetAllocator());
  write_file(config_path(), serialize(doc));
}

std::string Bundle::config() const {
  return read_file(config_path());
}

void Bundle::set_args(const std::vector<std::string>& args) {
  rapidjson::Document d(rapidjson::kArrayType);
  for (const auto& a : args)
    d.PushBack(rapidjson::Value(a.c_str(), d.GetAllocator()), d.GetAllocator());
  set("/process/args", serialize(d));
}

void Bundle::set_command(const std::string& shell) {
  set_args({"sh", "-c", shell});
}

CommandResult Bundle::keel(const std::vector<std::string>& args, const RunOptions& options) const {
  std::vector<std::string> all{"--root", state_root()};
  all.insert(all.end(), args.begin(), args.end());
  return run_keel(all, options);
}

CommandResult Bundle::create(const std::vector<std::string>& extra) const {
  std::vector<std::string> args{"create", "--bundle", dir()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(id_);
  return keel(args);
}

CommandResult Bundle::start() const {
  return keel({"start", id_});
}
CommandResult Bundle::state() const {
  return keel({"state", id_});
}

CommandResult Bundle::run(const std::vector<std::string>& extra, const RunOptions& options) const {
  std::vector<std::string> args{"run", "--bundle", dir()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(id_);
  return keel(args, options);
}

CommandResult Bundle::kill(const std::string& signal, bool all) const {
  std::vector<std::string> args{"kill"};
  if (all) args.push_back("--all");
  args.push_back(id_);
  if (!signal.empty()) args.push_back(signal);
  return keel(args);
}

CommandResult Bundle::del(bool force) const {
  if (force) return keel({"delete", "--force", id_});
  return keel({"delete", id_});
}

std::string Bundle::status() const {
  auto r = state();
  if (r.exit_code != 0) return "";
  return json_string_field(r.out, "status");
}

pid_t Bundle::pid() const {
  auto r = state();
  if (r.exit_code != 0) return 0;
  auto s = json_string_field(r.out, "pid");
  return s.empty() ? 0 : std::stoi(s);
}

bool Bundle::wait_status(const std::string& want, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (status() == want) return true;
    ::usleep(20000);
  }
  return false;
}

std::string Bundle::bind_file(const std::string& container_path) {
  static std::atomic<int> n{0};
  std::string host = dir() + "/bind-" + std::to_string(n++);
  write_file(host, "", 0666);
  append("/mounts", R"({"destination":")" + container_path + R"(","type":"bind","source":")" +
                        host + R"(","options":["rbind","rw"]})");
  return host;
}

int open_fd_count() {
  int n = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator("/proc/self/fd")) ++n;
  return n - 1;  // the iterator's own fd
}

std::vector<std::string> keel_test_cgroups(const std::string& id) {
  std::vector<std::string> found;
  std::error_code ec;
  // Pure cgroup v2: one hierarchy, the container's cgroup sits right under the root.
  struct statfs root {};
  if (::statfs("/sys/fs/cgroup", &root) == 0 &&
      static_cast<unsigned long>(root.f_type) == CGROUP2_SUPER_MAGIC) {
    std::string p = "/sys/fs/cgroup/keel-test/" + id;
    if (fs::exists(p, ec)) found.push_back(p);
    return found;
  }
  for (auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
    std::string p = h.path().string() + "/keel-test/" + id;
    if (fs::is_symlink(h.path(), ec)) continue;  // cpu -> cpu,cpuacct
    if (fs::exists(p, ec)) found.push_back(p);
  }
  return found;
}

int mount_count() {
  std::ifstream in("/proc/self/mountinfo");
  int n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

bool path_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

bool process_exists(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return false;
  auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

std::vector<pid_t> processes_with_argument(const std::string& needle) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    pid_t pid = std::stoi(name);
    if (pid == ::getpid() || !process_exists(pid)) continue;
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Whole arguments only: "load-1-5" must not match a process of "load-1-50".
    for (std::size_t at = 0; at < cmdline.size();) {
      std::size_t end = cmdline.find('\0', at);
      if (end == std::string::npos) end = cmdline.size();
      if (cmdline.compare(at, end - at, needle) == 0) {
        found.push_back(pid);
        break;
      }
      at = end + 1;
    }
  }
  return found;
}

int listen_at(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0)
    throw std::runtime_error("harness: listening at " + path + ": " + std::strerror(errno));
  return fd;
}

int accept_fd(int listener, std::string* payload) {
  int conn = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (conn < 0) return -1;
  int fd = receive_fd(conn, payload);
  ::close(conn);
  return fd;
}

int receive_fd(int sock, std::string* payload, int timeout_ms) {
  if (payload) payload->clear();
  pollfd p{sock, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return -1;
  char buf[256];
  iovec iov{buf, sizeof buf};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0) return -1;
  if (payload) payload->assign(buf, n);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text, int mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  ::chmod(path.c_str(), mode);
}

namespace {
// The shared /keel-test parents go when the test program ends (not per test: a parallel create
// could lose its parent between mkdir calls); rmdir fails harmlessly while anything is in them.
struct RemoveKeelTestParentsAtExit {
  ~RemoveKeelTestParentsAtExit() {
    std::error_code ec;
    ::rmdir("/sys/fs/cgroup/keel-test");
    for (auto& h : fs::directory_iterator("/sys/fs/cgroup", ec))
      if (!fs::is_symlink(h.path(), ec)) ::rmdir((h.path() / "keel-test").c_str());
  }
} remove_keel_test_parents_at_exit;
}  // namespace

void remove_keel_test_cgroups(const std::string& id) {
  for (const auto& dir : keel_test_cgroups(id)) {
    // Children first: rmdir only works on empty cgroups.
    std::vector<std::string> dirs;
    std::error_code ec;
    for (auto& e : fs::recursive_directory_iterator(dir, ec))
      if (e.is_directory(ec)) dirs.push_back(e.path());
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) ::rmdir(it->c_str());
    ::rmdir(dir.c_str());
  }
}

bool cgroup_v2_host() {
  struct statfs root {};
  return ::statfs("/sys/fs/cgroup", &root) == 0 &&
         static_cast<unsigned long>(root.f_type) == CGROUP2_SUPER_MAGIC;
}

std::string cgroup_dir(const std::string& controller, const std::string& cgroup_path) {
  if (cgroup_v2_host()) return "/sys/fs/cgroup" + cgroup_path;
  return "/sys/fs/cgroup/" + controller + cgroup_path;
}

bool slow_host() {
  const char* v = std::getenv("KEEL_TEST_SLOW_HOST");
  return v != nullptr && *v != '\0' && std::string(v) != "0";
}

}  // namespace keel::test
