// <root>/<id>/ on disk: mkdir decides which concurrent creator wins, a flock'ed `lock` file
// serialises commands that change the container, state.json is replaced atomically.
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "keel/state.hpp"
#include "keel/test_hooks.hpp"

namespace keel {
namespace {

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("writing " + path);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

Result<UniqueFd> flock_file(const std::string& path, int flags) {
  UniqueFd fd(::open(path.c_str(), flags | O_RDWR | O_CLOEXEC, 0600));
  if (!fd) return sys_error("opening " + path);
  while (::flock(fd.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return sys_error("locking " + path);
  }
  return fd;
}

}  // namespace

StateStore::StateStore(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string StateStore::dir_of(std::string_view id) const {
  return root_ + "/" + std::string(id);
}

Result<UniqueFd> StateStore::create_dir_locked(std::string_view id) {
  if (auto ok = validate_container_id(id); !ok) return std::unexpected(ok.error());
  std::error_code ec;
  bool made_root = std::filesystem::create_directories(root_, ec);
  if (ec)
    return std::unexpected(Error{ec.value(), "creating state root " + root_ + ": " + ec.message()});
  // A root keel makes is private, like runc's; one an engine made keeps the engine's mode.
  if (made_root && ::chmod(root_.c_str(), 0700) != 0) return sys_error("chmod " + root_);
  std::string dir = dir_of(id);
  // mkdir is atomic: of N concurrent creators exactly one gets past this line.
  if (::mkdir(dir.c_str(), 0711) != 0) {
    if (errno == EEXIST) return fail("container with id exists: " + std::string(id), EEXIST);
    return sys_error("creating " + dir);
  }
  KEEL_TEST_STEP("state-dir-made");
  auto fd = flock_file(dir + "/lock", O_CREAT | O_EXCL);
  if (!fd) ::rmdir(dir.c_str());
  return fd;
}

Result<UniqueFd> StateStore::lock(std::string_view id) {
  if (auto ok = validate_container_id(id); !ok) return std::unexpected(ok.error());
  auto fd = flock_file(dir_of(id) + "/lock", 0);
  if (!fd && fd.error().code == ENOENT) return fail("container does not exist", ENOENT);
  return fd;
}

Result<void> StateStore::write(const ContainerState& st) {
  if (auto ok = validate_container_id(st.id); !ok) return std::unexpected(ok.error());
  std::string dir = dir_of(st.id);
  std::string final_path = dir + "/state.json";
  std::string tmp = dir + "/state.json.tmp-XXXXXX";
  UniqueFd fd(::mkostemp(tmp.data(), O_CLOEXEC));
  if (!fd) return sys_error("creating temporary state file in " + dir);
  auto cleanup_on_error = [&](Error e) -> Result<void> {
    ::unlink(tmp.c_str());
    return std::unexpected(std::move(e));
  };
  // mkostemp creates it 0600 (less the umask, which can only remove bits): never more open.
  if (auto w = write_all(fd.get(), serialize_state(st), tmp); !w)
    return cleanup_on_error(w.error());
  // No fsync: the state describes processes that do not survive a reboot, and lives in /run
  // (tmpfs) in practice. The rename alone gives readers a whole file, old or new; two fsyncs
  // per write cost ~0.3 ms of cpu on a disk-backed root (runc and crun do not sync either).
  fd.reset();
  if (::rename(tmp.c_str(), final_path.c_str()) != 0)
    return cleanup_on_error(sys_error("renaming " + tmp + " to " + final_path).error());
  return {};
}

Result<ContainerState> StateStore::read(std::string_view id) const {
  if (auto ok = validate_container_id(id); !ok) return std::unexpected(ok.error());
  std::string path = dir_of(id) + "/state.json";
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd && errno == ENOENT) return fail("container does not exist", ENOENT);
  if (!fd) return sys_error("opening " + path);
  std::string data;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("reading " + path);
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  auto st = parse_state(data);
  if (!st) return std::unexpected(st.error().context("loading container " + std::string(id)));
  return st;
}

Result<std::vector<std::string>> StateStore::ids() const {
  std::vector<std::string> out;
  DIR* d = ::opendir(root_.c_str());
  if (!d) {
    if (errno == ENOENT) return out;
    return sys_error("opening state root " + root_);
  }
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    if (!validate_container_id(name)) continue;  // e.g. the runtime's own @seccomp-cache
    struct stat sb;
    if (::fstatat(::dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode))
      out.push_back(std::move(name));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

Result<void> StateStore::remove(std::string_view id) {
  if (auto ok = validate_container_id(id); !ok) return std::unexpected(ok.error());
  std::error_code ec;
  std::filesystem::remove_all(dir_of(id), ec);
  if (ec) return std::unexpected(Error{ec.value(), "removing " + dir_of(id) + ": " + ec.message()});
  return {};
}

}  // namespace keel
