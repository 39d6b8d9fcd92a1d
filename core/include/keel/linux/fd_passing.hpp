// Passing one fd over a unix socket (SCM_RIGHTS) with a payload, in one sendmsg / recvmsg: the
// pty master to a console socket, the seccomp listener to an agent, fds on the runtime <-> init
// socket.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <span>
#include <string_view>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel {

// Sends `data` (may be empty only on SOCK_SEQPACKET/DGRAM) with `fd` attached. Retries EINTR;
// the error message is the bare errno text so callers prefix what they were doing. Returns the
// number of payload bytes sent.
inline Result<size_t> send_with_fd(int sock, std::string_view data, int fd) {
  iovec iov{const_cast<char*>(data.data()), data.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t sent;
  do {
    sent = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return std::unexpected(Error{errno, std::strerror(errno)});
  return static_cast<size_t>(sent);
}

struct ReceivedWithFd {
  size_t size = 0;  // payload bytes in the buffer (0: the peer closed, for stream sockets)
  UniqueFd fd;      // empty when the message carried none
};

// Receives one message into `buf` and the fd attached to it (MSG_CMSG_CLOEXEC: never inherited).
// Room for one fd only: the kernel does not install any extra an untrusted peer attaches. Retries
// EINTR; errors as send_with_fd.
inline Result<ReceivedWithFd> recv_with_fd(int sock, std::span<char> buf) {
  iovec iov{buf.data(), buf.size()};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = ::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return std::unexpected(Error{errno, std::strerror(errno)});
  ReceivedWithFd out;
  out.size = static_cast<size_t>(got);
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    int fd;
    std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    out.fd.reset(fd);
  }
  return out;
}

}  // namespace keel
