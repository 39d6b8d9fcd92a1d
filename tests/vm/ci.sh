#!/bin/bash
# The VM lane as one CI stage: build (or reuse) the guest image, then run the build's unit and
# integration tests in it, all within a total time budget, printing how long each part took.
#
#   tests/vm/ci.sh [BUILD_DIR]        BUILD_DIR: as for run-suite.sh (default <repo>/build)
#
# KEEL_VM_BUDGET: total seconds for both parts (default 2700). Exits with ctest's exit code,
# 124 when the budget ran out, 2 when the image could not be built.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

budget=${KEEL_VM_BUDGET:-2700}
started=$SECONDS

if [[ -f $(keel_vm_image_dir)/ready ]]; then cache=warm; else cache=cold; fi
build_rc=0
timeout -k 10 "$budget" "$KEEL_VM_DIR/build-image.sh" >/dev/null || build_rc=$?
image_s=$((SECONDS - started))
echo "keel-vm ci: image ($cache cache) took ${image_s}s"
if ((build_rc != 0)); then
  echo "keel-vm ci: building the image failed (exit $build_rc)"
  ((build_rc == 124)) && exit 124
  exit 2
fi

left=$((budget - image_s))
((left > 60)) || { echo "keel-vm ci: no time left for the suite"; exit 124; }
suite_rc=0
"$KEEL_VM_DIR/run-suite.sh" --timeout "$left" "$@" || suite_rc=$?
echo "keel-vm ci: suite took $((SECONDS - started - image_s))s (exit $suite_rc);" \
  "total $((SECONDS - started))s of a ${budget}s budget"
exit "$suite_rc"
