#!/bin/bash
# Runs the build's CTest suite (labels unit and integration) in the keel VM guest, in one boot,
# and exits with ctest's exit code.
#
#   tests/vm/run-suite.sh [--timeout SECONDS] [BUILD_DIR] [-- CTEST_ARG...]
#
# BUILD_DIR defaults to $KEEL_BUILD_DIR or <repo>/build; it must have been built on the host
# (the guest is bookworm like the host and runs the host's binaries). It is shared with the
# guest at the same path, so is the repository. Extra CTEST_ARGs go to ctest (e.g. -R unit_cgroup).
# KEEL_VM_TEST_TIMEOUT: ctest's per-test timeout in the guest (default 1200 s; commands run
# about ten times slower there than on the host).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

timeout_s=${KEEL_VM_TIMEOUT:-3600}
build=${KEEL_BUILD_DIR:-$KEEL_VM_REPO/build}
while (($#)); do
  case $1 in
    --timeout) timeout_s=$2; shift 2 ;;
    --) shift; break ;;
    -*) keel_vm_die "unknown option $1 (usage: run-suite.sh [--timeout S] [BUILD_DIR] [-- CTEST_ARG...])" ;;
    *) build=$1; shift ;;
  esac
done
[[ -f $build/CTestTestfile.cmake ]] || keel_vm_die "$build is not a configured build directory"
build=$(cd "$build" && pwd)

exec "$KEEL_VM_DIR/run.sh" --share "$build" --timeout "$timeout_s" -- \
  bash "$KEEL_VM_DIR/guest-suite.sh" "$build" "${KEEL_VM_TEST_TIMEOUT:-1200}" "$@"
