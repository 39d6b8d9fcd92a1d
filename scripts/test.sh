#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, then runs
#   1. the VM lane: the unit and integration tests again inside a Debian 12 guest with systemd,
#      pure cgroup v2 and AppArmor (tests/vm; set KEEL_VM_LANE=0 to skip it),
#   2. every test on this host as root (unit, integration, and the e2e lane with real engines).
# CTest's summary for this host is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "scripts/test.sh must run as root (the tests run real containers)" >&2; exit 1; }
./scripts/install-deps.sh --test
./scripts/build.sh
build=${KEEL_BUILD_DIR:-build}

if [ "${KEEL_VM_LANE:-1}" != 0 ]; then
  # Every unit and integration program (they read v1 or v2 files by the host's layout); the e2e
  # lane needs the engines and network and stays on this host.
  tests/vm/ci.sh "$build" -- -R "${KEEL_VM_TESTS:-^(unit_|integration_)}"
fi

cd "$build"
ctest --output-on-failure --timeout 900 "$@"
