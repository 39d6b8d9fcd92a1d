#!/bin/bash
# Runs inside the VM guest (see run-suite.sh): BUILD_DIR PER_TEST_TIMEOUT [CTEST_ARG...].
# Says what the guest is, checks that every binary of the build finds its shared libraries
# there (a missing one is a package to add to build-image.sh), then runs ctest.
set -uo pipefail
build=$1 per_test_timeout=$2
shift 2

echo "guest: $(uname -r), systemd $(systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p')," \
  "$(cat /run/keel-vm/system-state 2>/dev/null || echo unknown)"
echo "guest cgroup.controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
echo "guest LSMs: $(cat /sys/kernel/security/lsm)"

missing=$(find "$build" -path '*/CMakeFiles' -prune -o -type f \( -name '*.so' -o -perm -u+x \) -print |
  while read -r f; do
    file=$(head -c 4 "$f" | od -An -c | tr -d ' ')
    [[ $file == 177ELF ]] || continue
    ldd "$f" 2>&1 | sed -n "s|^\s*\(.*not found\)|$f: \1|p"
  done)
if [[ -n $missing ]]; then
  echo "shared libraries missing in the guest (add their packages to tests/vm/build-image.sh):"
  echo "$missing"
  exit 1
fi

cd "$build" || exit 1
# Tests that repeat an operation many times (races, crash points) do fewer rounds here: work
# runs about ten times slower under TCG. The same scenarios run, only fewer times each.
export KEEL_TEST_SLOW_HOST=1     # the harness's slow_host()
export KEEL_ROBUSTNESS_ROUNDS=1  # integration_robustness (3 rounds on the host)
exec ctest -L 'unit|integration' --output-on-failure --timeout "$per_test_timeout" "$@"
