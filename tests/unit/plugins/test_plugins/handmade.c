/* A plugin written by hand against the C ABI, with one thing wrong per build (chosen by a
 * compile definition), to exercise each loader refusal. */
#include "keel/plugin_abi.h"

#ifndef MAGIC
#define MAGIC KEEL_PLUGIN_MAGIC
#endif
#ifndef MAJOR
#define MAJOR KEEL_PLUGIN_ABI_MAJOR
#endif
#ifndef KIND
#define KIND KEEL_PLUGIN_LABELER
#endif
#ifndef OPS_SIZE
#define OPS_SIZE sizeof(keel_labeler_ops)
#endif
#ifndef NAME
#define NAME "handmade"
#endif

static int enabled(void) {
  return 0;
}

__attribute__((used)) static const keel_labeler_ops ops = {OPS_SIZE, enabled, 0, 0, 0, 0};

__attribute__((used)) static const keel_plugin_descriptor descriptor = {
    MAGIC, sizeof(keel_plugin_descriptor), MAJOR, 0, KIND, NAME, "0.0.0",
#ifdef NULL_OPS
    0,
#else
    &ops,
#endif
    0};

#ifndef NO_ENTRY
__attribute__((visibility("default"))) const keel_plugin_descriptor* keel_plugin_entry(
    uint16_t major, uint16_t minor) {
  (void)major;
  (void)minor;
#ifdef RETURN_NULL
  return 0;
#else
  return &descriptor;
#endif
}
#else
/* Exported, but under another name. */
__attribute__((visibility("default"))) const keel_plugin_descriptor* keel_plugin_entry_v0(void) {
  return &descriptor;
}
#endif
