#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs every test (unit and
# integration) as root. CTest's summary is the last thing printed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "scripts/test.sh must run as root (the tests run real containers)" >&2; exit 1; }
./scripts/install-deps.sh --test
./scripts/build.sh
cd "${KEEL_BUILD_DIR:-build}"
ctest --output-on-failure --timeout 600 "$@"
