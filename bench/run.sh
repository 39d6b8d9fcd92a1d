#!/usr/bin/env bash
# The benchmark command: installs the peers (Debian runc and crun, hyperfine, matplotlib),
# builds keel in Release, and runs every benchmark with keel, crun and runc interleaved, inside a
# private mount namespace whose /sys/fs/cgroup is v1-only (crun refuses this host's hybrid
# layout; all three runtimes run in the same view). Prints the table; writes
# bench/results/results.json and bench/results/chart.png. Extra args go to bench.py
# (e.g. --rounds 20, --only run,exec).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/run.sh must run as root" >&2; exit 1; }
./scripts/install-deps.sh
need=()
for p in runc crun hyperfine python3 python3-matplotlib gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
KEEL_BUILD_DIR=build-release KEEL_BUILD_TYPE=Release ./scripts/build.sh -DKEEL_BUILD_TESTS=OFF
gcc -O2 -o build-release/measure bench/measure.c
export KEEL_BENCH_MEASURE=$PWD/build-release/measure
bench/v1-cgroups-ns.sh /usr/bin/python3 bench/bench.py --keel "$PWD/build-release/bin/keel" \
  --docker-seccomp tests/fixtures/specs/docker-create.json --out bench/results "$@"
/usr/bin/python3 bench/chart.py bench/results/results.json bench/results/chart.png
