#include "sync_channel.hpp"

#include <sys/socket.h>

#include <cstring>

#include "keel/linux/fd_passing.hpp"

namespace keel::runtime {
namespace {

// Header of every datagram; the text follows it. SEQPACKET keeps the boundary.
struct Wire {
  uint32_t type;
  int32_t err;
};
constexpr size_t kMaxMessage = 8192;

}  // namespace

Result<void> sync_send(int fd, SyncType type, int err, std::string_view text) {
  char buf[kMaxMessage];
  Wire head{static_cast<uint32_t>(type), err};
  size_t len = std::min(text.size(), sizeof buf - sizeof head);
  std::memcpy(buf, &head, sizeof head);
  std::memcpy(buf + sizeof head, text.data(), len);
  ssize_t n;
  do {
    n = ::send(fd, buf, sizeof head + len, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys_error("writing to the sync socket");
  return {};
}

Result<void> sync_send_fd(int fd, SyncType type, int pass_fd) {
  Wire head{static_cast<uint32_t>(type), 0};
  auto sent = send_with_fd(fd, {reinterpret_cast<const char*>(&head), sizeof head}, pass_fd);
  if (!sent) return std::unexpected(sent.error().context("passing an fd on the sync socket"));
  return {};
}

Result<SyncMessage> sync_recv(int fd) {
  char buf[kMaxMessage];
  auto got = recv_with_fd(fd, buf);
  if (!got) return std::unexpected(got.error().context("reading from the sync socket"));
  size_t n = got->size;
  if (n == 0) return fail("the container init exited without reporting", EPIPE);
  if (n < sizeof(Wire)) return fail("short message on the sync socket");
  Wire head;
  std::memcpy(&head, buf, sizeof head);
  return SyncMessage{static_cast<SyncType>(head.type), head.err,
                     std::string(buf + sizeof head, n - sizeof head), std::move(got->fd)};
}

Result<void> sync_expect(int fd, SyncType want) {
  auto msg = sync_recv(fd);
  if (!msg) return std::unexpected(msg.error());
  if (msg->type == SyncType::error) return std::unexpected(Error{msg->err, msg->text});
  if (msg->type != want) {
    return fail("unexpected message " + std::to_string(static_cast<uint32_t>(msg->type)) +
                " on the sync socket");
  }
  return {};
}

}  // namespace keel::runtime
