/* notify_probe LINE...: what sd_notify(3) does. Sends one datagram, the arguments joined by
 * newlines, to $NOTIFY_SOCKET (a path, or "@name" for an abstract socket). Exits 0 when sent. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (!path || !*path || strlen(path) >= sizeof(((struct sockaddr_un*)0)->sun_path)) {
    fprintf(stderr, "notify_probe: NOTIFY_SOCKET is not set or too long\n");
    return 2;
  }
  char msg[4096];
  size_t len = 0;
  for (int i = 1; i < argc; ++i) {
    size_t n = strlen(argv[i]);
    if (len + n + 1 > sizeof msg) return 2;
    if (i > 1) msg[len++] = '\n';
    memcpy(msg + len, argv[i], n);
    len += n;
  }
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  memcpy(addr.sun_path, path, strlen(path));
  socklen_t alen = sizeof addr;
  if (path[0] == '@') {
    addr.sun_path[0] = '\0';
    alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || sendto(fd, msg, len, 0, (struct sockaddr*)&addr, alen) != (ssize_t)len) {
    perror("notify_probe: sendto");
    return 1;
  }
  close(fd);
  return 0;
}
