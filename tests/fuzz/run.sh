#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++-14 into BUILD_DIR (default build/fuzz) and runs each
# for KEEL_FUZZ_SECONDS (default 60) from the seed corpus. Exits 1 when a fuzzer finds a crash,
# sanitizer error, leak or timeout (the input is kept under BUILD_DIR/crashes/), 77 when clang++-14
# is missing (scripts/install-deps.sh --test installs clang-14 and libclang-rt-14-dev).
#   tests/fuzz/run.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build/fuzz}
seconds=${KEEL_FUZZ_SECONDS:-60}
cxx=${KEEL_FUZZ_CXX:-clang++-14}
if ! command -v "$cxx" >/dev/null; then
  echo "fuzz: $cxx not found: install clang-14 and libclang-rt-14-dev (scripts/install-deps.sh --test)"
  exit 77
fi
cmake -S "$here" -B "$build" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build" -j2 >"$build/build.log" 2>&1 || { cat "$build/build.log"; exit 1; }

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/ubsan.supp"
status=0
for target in config process; do
  work=$build/corpus-$target # inputs found now land here, not in the repository
  crashes=$build/crashes
  mkdir -p "$work" "$crashes"
  seeds=("$here/corpus/$target")
  if [ "$target" = config ]; then seeds+=("$here/../fixtures/specs"); fi
  echo "fuzz: ${target}_fuzzer for ${seconds}s, seeds: ${seeds[*]}"
  if ! "$build/${target}_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -dict="$here/json.dict" -artifact_prefix="$crashes/$target-" -print_final_stats=1 \
      "$work" "${seeds[@]}" 2>"$build/$target.log"; then
    tail -n 60 "$build/$target.log"
    echo "fuzz: ${target}_fuzzer FAILED; reproduce with $build/${target}_fuzzer <input>:"
    ls -1 "$crashes/$target-"* 2>/dev/null || true
    echo "fix the parser (core/src/spec) and add the input to tests/fuzz/corpus/$target/"
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done|^#[0-9]+.*DONE' "$build/$target.log" || true
  fi
done
exit $status
