/* The keel plugin ABI: the only thing that crosses between the keel host and a plugin .so.
 * Plain C on purpose: no C++ type, exception, RTTI or heap ownership crosses this boundary. */
#ifndef KEEL_PLUGIN_ABI_H
#define KEEL_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Major must match exactly; a higher minor only appends fields/functions at the end of a table. */
#define KEEL_PLUGIN_ABI_MAJOR 1
#define KEEL_PLUGIN_ABI_MINOR 0
#define KEEL_PLUGIN_MAGIC 0x6b65656cu /* "keel" */
#define KEEL_PLUGIN_ENTRY_SYMBOL "keel_plugin_entry"

typedef enum keel_plugin_kind {
  KEEL_PLUGIN_CGROUP_MANAGER = 1,
  KEEL_PLUGIN_LABELER = 2,
  KEEL_PLUGIN_SYSCALL_FILTER = 3,
  KEEL_PLUGIN_CHECKPOINTER = 4,
} keel_plugin_kind;

/* Host-owned error slot: a plugin call that returns -1 fills it. */
typedef struct keel_error {
  int err;            /* errno value */
  char message[1024]; /* NUL-terminated, truncated if longer */
} keel_error;

/* Host-owned output sink: the plugin writes bytes, the host owns the storage. */
typedef struct keel_sink {
  void *ctx;
  void (*write)(void *ctx, const char *data, size_t len);
} keel_sink;

/* Host-owned logger the plugin may use (level: 0 debug, 1 info, 2 warning, 3 error). */
typedef struct keel_host {
  uint32_t struct_size;
  void *ctx;
  void (*log)(void *ctx, int level, const char *message);
} keel_host;

/* All functions return 0 on success and -1 with *error filled on failure. Strings are borrowed
 * for the duration of the call. JSON arguments are OCI subtrees or plugin-defined state as text. */

/* Cgroup manager. `state` is the manager's own serialisable JSON, produced by create() and stored
 * by the host in the container's state so later commands can reopen the same cgroup. */
typedef struct keel_cgroup_ops {
  uint32_t struct_size;
  /* request: {"id","cgroupsPath","resources":{...}|null,"rootless":bool,"options":{...}}.
   * Creates the cgroup(s), writes state JSON to *state_out. If the cgroup is cgroup v2 and the
   * host may clone straight into it, *clone_into_fd receives an O_PATH|O_DIRECTORY fd (else -1). */
  int (*create)(const char *request, keel_sink *state_out, int *clone_into_fd, keel_error *error);
  int (*apply)(const char *state, pid_t pid, keel_error *error);             /* move pid in */
  int (*set)(const char *state, const char *resources, keel_error *error);   /* write limits */
  int (*freeze)(const char *state, int frozen, keel_error *error);            /* 1 freeze, 0 thaw */
  /* Writes "running", "paused" or "pausing" (freezer state). */
  int (*freezer_state)(const char *state, keel_sink *out, keel_error *error);
  /* Writes the runc events "data" object (cpu, memory, pids, blkio, hugetlb) as JSON. */
  int (*stats)(const char *state, keel_sink *out, keel_error *error);
  /* Writes a JSON array of every pid in the container's cgroup (host pid namespace). */
  int (*pids)(const char *state, keel_sink *out, keel_error *error);
  int (*kill_all)(const char *state, int signal, keel_error *error);
  int (*destroy)(const char *state, keel_error *error); /* bounded retries on EBUSY */
  /* Writes {"v1":bool,"v2":bool,"systemd":bool,"systemdUser":bool,"rdma":bool} for features. */
  int (*features)(keel_sink *out, keel_error *error);
  /* Writes the paths the container's own cgroup has per controller, as JSON {"memory":"/x",...};
   * used by the core for cgroup mounts inside the container. */
  int (*paths)(const char *state, keel_sink *out, keel_error *error);
} keel_cgroup_ops;

/* Syscall filter: compiles linux.seccomp in the parent, before any clone. The child only
 * installs the ready program with seccomp(2). */
typedef struct keel_syscall_filter_ops {
  uint32_t struct_size;
  /* Writes a raw `struct sock_filter[]` program to *bpf_out and the seccomp(2) filter flags
   * (SECCOMP_FILTER_FLAG_*, without NEW_LISTENER) to *flags. *needs_listener is set to 1 when a
   * rule uses SCMP_ACT_NOTIFY. cache_dir may be NULL (no cache). */
  int (*compile)(const char *seccomp, const char *cache_dir, keel_sink *bpf_out, uint32_t *flags,
                 int *needs_listener, keel_error *error);
  /* Writes the features "seccomp" object: enabled, actions, operators, archs, flags. */
  int (*features)(keel_sink *out, keel_error *error);
} keel_syscall_filter_ops;

/* Linux security module labeler (AppArmor, SELinux). */
typedef struct keel_labeler_ops {
  uint32_t struct_size;
  int (*enabled)(void);                                        /* 1 when the LSM is active */
  int (*validate)(const char *label, keel_error *error);       /* profile/label exists */
  int (*set_exec_label)(const char *label, keel_error *error); /* in the child, before exec */
  /* Writes the mount option for `mount_label` (e.g. context="...") to *out, or nothing. */
  int (*mount_option)(const char *mount_label, keel_sink *out, keel_error *error);
  int (*set_keyring_label)(const char *label, keel_error *error);
} keel_labeler_ops;

/* Checkpointer (CRIU). The request JSON carries the runc checkpoint/restore flags and the state. */
typedef struct keel_checkpointer_ops {
  uint32_t struct_size;
  int (*check)(keel_error *error);
  int (*dump)(const char *request, keel_error *error);
  int (*restore)(const char *request, keel_sink *result_out, keel_error *error);
} keel_checkpointer_ops;

typedef struct keel_plugin_descriptor {
  uint32_t magic;       /* KEEL_PLUGIN_MAGIC */
  uint32_t struct_size; /* sizeof(keel_plugin_descriptor) as the plugin was built */
  uint16_t abi_major;
  uint16_t abi_minor;
  uint32_t kind;        /* keel_plugin_kind */
  const char *name;     /* unique, e.g. "cgroupfs" */
  const char *version;  /* the plugin's own version */
  const void *ops;      /* keel_cgroup_ops*, keel_syscall_filter_ops*, ... per kind */
  /* Called once after the handshake with the per-plugin options object from the config. */
  int (*init)(const keel_host *host, const char *options, keel_error *error);
} keel_plugin_descriptor;

/* The single exported function. The host passes the ABI it speaks; the plugin returns its
 * descriptor (static storage) or NULL if it cannot serve that host. */
typedef const keel_plugin_descriptor *(*keel_plugin_entry_fn)(uint16_t host_abi_major,
                                                               uint16_t host_abi_minor);

#ifdef __cplusplus
}
#endif
#endif /* KEEL_PLUGIN_ABI_H */
