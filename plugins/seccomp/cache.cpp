#include "cache.hpp"

#include <fcntl.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>

#include "bpf.hpp"
#include "keel/fd.hpp"
#include "text.hpp"
#include "version.hpp"

namespace keel::seccomp {
namespace {

constexpr char kMagic[8] = {'K', 'E', 'E', 'L', 'B', 'P', 'F', '\n'};
constexpr uint32_t kFormat = 1;

struct Header {
  char magic[8];
  uint32_t format;
  uint32_t flags;
  uint32_t needs_listener;
  uint32_t length;  // program bytes following the header
  uint8_t key[32];
  uint8_t checksum[32];  // sha256 of the program bytes
};
static_assert(sizeof(Header) == 88);

void append_field(Sha256& h, std::string_view field) {
  h.update(field);
  h.update(std::string_view("\0", 1));
}

// Reads exactly n bytes; false on a short file.
bool read_all(int fd, char* out, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, out, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    out += r, n -= size_t(r);
  }
  return true;
}

Result<void> write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t w = write(fd, data.data(), data.size());
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return sys_error("writing seccomp cache entry");
    data.remove_prefix(size_t(w));
  }
  return {};
}

}  // namespace

Sha256::Digest cache_key(std::string_view seccomp_json) {
  const scmp_version* v = seccomp_version();
  utsname u{};
  uname(&u);
  Sha256 h;
  append_field(h, "keel-seccomp-cache");
  append_field(h, kPluginVersion);
  append_field(h, cat(v->major, '.', v->minor, '.', v->micro));
  append_field(h, u.machine);
  append_field(h, u.release);
  h.update(seccomp_json);
  return h.finish();
}

std::string ProgramCache::path_of(const Sha256::Digest& key) const {
  return cat(dir_, "/", hex(key), ".bpf");
}

std::optional<CachedProgram> ProgramCache::load(
    const Sha256::Digest& key, const std::function<void(std::string_view)>& why) const {
  std::string path = path_of(key);
  auto reject = [&](std::string_view reason) -> std::optional<CachedProgram> {
    if (why) why(cat("seccomp cache: ignoring ", path, ": ", reason));
    return std::nullopt;
  };
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) return errno == ENOENT ? std::nullopt : reject(std::strerror(errno));
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return reject("not a regular file");
  if (st.st_uid != geteuid()) return reject("owned by another user");
  if ((st.st_mode & 077) != 0) return reject("accessible to group or others");
  Header h{};
  if (size_t(st.st_size) < sizeof h || !read_all(fd.get(), reinterpret_cast<char*>(&h), sizeof h))
    return reject("truncated header");
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.format != kFormat)
    return reject("not a keel seccomp cache entry of this format");
  if (std::memcmp(h.key, key.data(), key.size()) != 0) return reject("key mismatch");
  if (h.length == 0 || h.length % sizeof(Insn) != 0 || h.length > kMaxInsns * sizeof(Insn) ||
      size_t(st.st_size) != sizeof h + h.length)
    return reject("bad length");
  CachedProgram out{std::string(h.length, '\0'), h.flags, h.needs_listener != 0};
  if (!read_all(fd.get(), out.bpf.data(), out.bpf.size())) return reject("truncated program");
  if (std::memcmp(sha256(out.bpf).data(), h.checksum, sizeof h.checksum) != 0)
    return reject("checksum mismatch");
  return out;
}

Result<void> ProgramCache::ensure_dir() const {
  // Create missing components 0700; the leaf must then be ours and closed to others.
  for (size_t pos = 1; pos <= dir_.size(); ++pos) {
    if (pos != dir_.size() && dir_[pos] != '/') continue;
    std::string part = dir_.substr(0, pos);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      return sys_error(cat("creating seccomp cache directory ", part));
  }
  struct stat st {};
  if (lstat(dir_.c_str(), &st) != 0)
    return sys_error(cat("checking seccomp cache directory ", dir_));
  if (!S_ISDIR(st.st_mode))
    return fail(cat("seccomp cache directory ", dir_, " is not a directory"));
  if (st.st_uid != geteuid() || (st.st_mode & 022) != 0)
    return fail(cat("seccomp cache directory ", dir_, " is writable by others"), EPERM);
  return {};
}

Result<void> ProgramCache::store(const Sha256::Digest& key, const CachedProgram& p) const {
  if (auto r = ensure_dir(); !r) return r;
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format = kFormat;
  h.flags = p.flags;
  h.needs_listener = p.needs_listener ? 1 : 0;
  h.length = uint32_t(p.bpf.size());
  std::memcpy(h.key, key.data(), key.size());
  auto sum = sha256(p.bpf);
  std::memcpy(h.checksum, sum.data(), sum.size());

  std::string final_path = path_of(key);
  std::string tmp = cat(final_path, ".tmp.", getpid());
  UniqueFd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return sys_error(cat("creating ", tmp));
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes += p.bpf;
  auto written = write_all(fd.get(), bytes);
  if (written && fchmod(fd.get(), 0600) != 0) written = sys_error(cat("chmod ", tmp));
  if (written && rename(tmp.c_str(), final_path.c_str()) != 0)
    written = sys_error(cat("renaming ", tmp, " to ", final_path));
  if (!written) unlink(tmp.c_str());
  return written;
}

}  // namespace keel::seccomp
