// Installing a ready seccomp program in the current process (the container's init, after the
// plugin compiled it in the parent) and handing its notify listener to a seccomp agent with
// runc's wire format: one sendmsg on a unix stream socket carrying the container process state
// JSON as data and the listener fd as SCM_RIGHTS.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/linux/fd_passing.hpp"

namespace keel::seccomp {

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

// Loads `bpf` (raw struct sock_filter[], as the plugin's compile returns it) with seccomp(2).
// `flags` are the plugin's SECCOMP_FILTER_FLAG_*; with new_listener the kernel also creates the
// SCMP_ACT_NOTIFY listener, returned (O_CLOEXEC) — otherwise the returned fd is empty.
// The caller must have set no_new_privs or hold CAP_SYS_ADMIN, and must have nothing left to do
// that the filter could refuse: after this the process runs under it.
inline Result<UniqueFd> install_filter(std::string_view bpf, uint32_t flags, bool new_listener) {
  if (bpf.empty() || bpf.size() % sizeof(sock_filter) != 0 ||
      bpf.size() / sizeof(sock_filter) > BPF_MAXINSNS)
    return fail("installing seccomp filter: malformed program of " + std::to_string(bpf.size()) +
                " bytes");
  if (new_listener) {
    flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
    // With TSYNC the kernel reports a thread it could not sync instead of the listener fd,
    // unless told to report that as ESRCH.
    if (flags & SECCOMP_FILTER_FLAG_TSYNC) flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
  } else {
    flags &= ~uint32_t(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);  // only valid with a listener
  }
  sock_fprog prog{static_cast<unsigned short>(bpf.size() / sizeof(sock_filter)),
                  reinterpret_cast<sock_filter*>(const_cast<char*>(bpf.data()))};
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
  if (rc < 0) return sys_error("installing seccomp filter");
  if (!new_listener) return UniqueFd();
  return UniqueFd(static_cast<int>(rc));
}

// The OCI state object ({ociVersion,id,status,pid,bundle,annotations}) runc puts in "state".
struct ListenerState {
  std::string oci_version = "1.0.2";
  std::string id;
  std::string status = "creating";  // runc: "creating" for init, "running" for exec
  pid_t pid = 0;
  std::string bundle;
  std::map<std::string, std::string> annotations;
};

// runc's specs.ContainerProcessState, field for field:
// {"ociVersion","fds":["seccompFd"],"pid","metadata"(omitted when empty),"state":{...}}.
inline std::string listener_message(const ListenerState& s, pid_t process_pid,
                                    std::string_view metadata) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  auto str = [&](std::string_view v) { w.String(v.data(), rapidjson::SizeType(v.size())); };
  w.StartObject();
  w.Key("ociVersion"), str(s.oci_version);
  w.Key("fds"), w.StartArray(), str("seccompFd"), w.EndArray();
  w.Key("pid"), w.Int(process_pid);
  if (!metadata.empty()) w.Key("metadata"), str(metadata);
  w.Key("state"), w.StartObject();
  w.Key("ociVersion"), str(s.oci_version);
  w.Key("id"), str(s.id);
  w.Key("status"), str(s.status);
  if (s.pid != 0) w.Key("pid"), w.Int(s.pid);
  w.Key("bundle"), str(s.bundle);
  if (!s.annotations.empty()) {
    w.Key("annotations"), w.StartObject();
    for (auto& [k, v] : s.annotations) str(k), str(v);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  return buf.GetString();
}

// Connects to the agent at listener_path and sends `message` with the listener fd attached,
// as runc does; the agent owns its copy of the fd afterwards.
inline Result<void> send_listener_fd(std::string_view listener_path, int listener_fd,
                                     std::string_view message) {
  std::string what = "sending seccomp listener to " + std::string(listener_path);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (listener_path.empty() || listener_path.size() >= sizeof(addr.sun_path))
    return fail(what + ": path is empty or too long for a unix socket");
  std::memcpy(addr.sun_path, listener_path.data(), listener_path.size());
  UniqueFd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock) return sys_error(what + ": socket");
  int rc;
  do {
    rc = connect(sock.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) return sys_error(what + ": connecting to the seccomp agent");

  auto sent = send_with_fd(sock.get(), message, listener_fd);
  if (!sent) return std::unexpected(sent.error().context(what));
  if (*sent != message.size()) return fail(what + ": short write", EIO);
  return {};
}

}  // namespace keel::seccomp
