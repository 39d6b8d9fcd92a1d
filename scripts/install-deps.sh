#!/usr/bin/env bash
# Installs everything keel needs to build, test and run its demo, from Debian 12 packages only.
set -euo pipefail

packages=(
  cmake g++ make pkg-config git
  libboost-dev libboost-log-dev rapidjson-dev doctest-dev
  libseccomp-dev libapparmor-dev libselinux1-dev libsystemd-dev
  busybox-static iproute2 procps util-linux
)
if [ "${1:-}" = "--test" ]; then
  # Reference peers and tools the tests compare against or drive; clang-14 and its libFuzzer
  # runtime build the fuzzers (tests/fuzz, the main build stays g++).
  packages+=(runc tmux clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
