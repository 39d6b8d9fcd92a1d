/* The two C functions libkeel-log.so exports. The core dlopens the library on the first message
 * written, so commands that log nothing never map Boost.Log. */
#ifndef KEEL_LOG_SINK_ABI_H
#define KEEL_LOG_SINK_ABI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* path NULL or "" = stderr; format 0 = text, 1 = json; debug != 0 lets debug lines through.
 * Returns 0 or an errno value. */
typedef int (*keel_log_sink_open_fn)(const char* path, int format, int debug);
/* level: 0 debug, 1 info, 2 warning, 3 error (keel::log::Level). */
typedef void (*keel_log_sink_write_fn)(int level, const char* message, size_t length);

#define KEEL_LOG_SINK_OPEN "keel_log_sink_open"
#define KEEL_LOG_SINK_WRITE "keel_log_sink_write"

#ifdef __cplusplus
}
#endif

#endif
