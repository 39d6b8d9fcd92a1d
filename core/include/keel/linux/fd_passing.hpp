// Passing one fd over a unix socket (SCM_RIGHTS) with a payload, in one sendmsg: the pty master
// to a console socket, the seccomp listener to an agent, fds on the runtime <-> init socket.
#pragma once

#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "keel/error.hpp"

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

}  // namespace keel
