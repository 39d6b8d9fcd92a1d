/* seccomp_probe: a tiny static program copied into test containers to make one syscall with
 * exact arguments and print what the kernel (and the container's seccomp filter) answered.
 *
 *   probe call NAME [ARG...]    NAME(ARG...) -> "NAME=<ret>" or "NAME=errno <n>"
 *   probe thread NAME [ARG...]  the same from a second thread, then "main thread survived"
 *   probe trap NAME [ARG...]    with a SIGSYS handler: "SIGSYS code=<si_code> syscall=<nr>"
 *
 * An ARG is a number (strtoull base 0: 0x.. works) or "s:TEXT" for a pointer to TEXT. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

static const struct {
  const char* name;
  long nr;
} kSyscalls[] = {
    {"mkdir", SYS_mkdir},
    {"mkdirat", SYS_mkdirat},
    {"personality", SYS_personality},
    {"add_key", SYS_add_key},
    {"acct", SYS_acct},
    {"getpriority", SYS_getpriority},
    {"syslog", SYS_syslog},
    {"getpid", SYS_getpid},
    {"unshare", SYS_unshare},
    {"keyctl", SYS_keyctl},
    {"landlock_create_ruleset", SYS_landlock_create_ruleset},
};

struct call {
  const char* name;
  long nr;
  long args[6];
};

static int parse_call(int argc, char** argv, struct call* c) {
  if (argc < 1) return -1;
  c->name = argv[0];
  c->nr = -1;
  for (size_t i = 0; i < sizeof kSyscalls / sizeof kSyscalls[0]; ++i)
    if (strcmp(kSyscalls[i].name, argv[0]) == 0) c->nr = kSyscalls[i].nr;
  if (c->nr < 0) return -1;
  memset(c->args, 0, sizeof c->args);
  for (int i = 1; i < argc && i <= 6; ++i)
    c->args[i - 1] =
        strncmp(argv[i], "s:", 2) == 0 ? (long)(argv[i] + 2) : (long)strtoull(argv[i], NULL, 0);
  return 0;
}

static void do_call(const struct call* c) {
  long rc = syscall(c->nr, c->args[0], c->args[1], c->args[2], c->args[3], c->args[4], c->args[5]);
  if (rc < 0)
    printf("%s=errno %d\n", c->name, errno);
  else
    printf("%s=%ld\n", c->name, rc);
  fflush(stdout);
}

static void* thread_main(void* arg) {
  do_call(arg);
  return NULL;
}

static void on_sigsys(int sig, siginfo_t* info, void* ctx) {
  (void)sig, (void)ctx;
  char line[96];
  int n =
      snprintf(line, sizeof line, "SIGSYS code=%d syscall=%d\n", info->si_code, info->si_syscall);
  if (write(1, line, (size_t)n) < 0) _exit(3);
  _exit(0);
}

int main(int argc, char** argv) {
  struct call c;
  if (argc < 3 || parse_call(argc - 2, argv + 2, &c) != 0) {
    fprintf(stderr, "usage: probe call|thread|trap NAME [ARG...]\n");
    return 2;
  }
  if (strcmp(argv[1], "call") == 0) {
    do_call(&c);
  } else if (strcmp(argv[1], "thread") == 0) {
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, &c) != 0) return 4;
    pthread_join(t, NULL);
    printf("main thread survived\n");
  } else if (strcmp(argv[1], "trap") == 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    do_call(&c);
  } else {
    return 2;
  }
  return 0;
}
