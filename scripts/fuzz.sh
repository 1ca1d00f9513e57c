#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_*.cc) under libFuzzer for a fixed time:
# a clang build with ASan + UBSan in $KMETA_FUZZ_BUILD (default build-fuzz),
# each target started from its corpus fuzz/corpus/<name>/ (read only: new
# inputs go to a scratch directory). Fails when a target crashes, leaks, times
# out on one input or trips a sanitizer; prints each target's executions and
# coverage. docs/fuzzing.md describes the longer campaign.
#
#   scripts/fuzz.sh                 every target, $KMETA_FUZZ_SECONDS (20) each
#   scripts/fuzz.sh -t 600 -j 2 scc bre   chosen targets, 600 s each, 2 at a time
#   KMETA_FUZZ_KEEP=DIR             keep the generated inputs and crash files in DIR
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${KMETA_FUZZ_SECONDS:-20}
JOBS=1
while getopts "t:j:" opt; do
  case $opt in
    t) SECONDS_EACH=$OPTARG ;;
    j) JOBS=$OPTARG ;;
    *) echo "usage: $0 [-t seconds] [-j parallel] [target...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
BUILD=${KMETA_FUZZ_BUILD:-build-fuzz}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing (scripts/setup.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in fuzz/fuzz_*.cc; do t=${f#fuzz/fuzz_}; targets+=("${t%.cc}"); done
fi

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DKMETA_LIBFUZZER=ON -DKMETA_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null || exit 1
bins=()
for t in "${targets[@]}"; do bins+=("fuzz_$t"); done
cmake --build "$BUILD" -j"$(nproc)" --target "${bins[@]}" || exit 1

KEEP=${KMETA_FUZZ_KEEP:-}
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
OUT=${KEEP:-$SCRATCH}
mkdir -p "$OUT"

run_one() {  # target -> 0 clean, 1 finding
  local t=$1 dir="$OUT/$1"
  mkdir -p "$dir/new" "$dir/artifacts"
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    nice "$BUILD/fuzz/fuzz_$t" "$dir/new" "fuzz/corpus/$t" -max_total_time="$SECONDS_EACH" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    > "$dir/log" 2>&1
  local rc=$?
  local runs cov ft
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  if [ $rc -eq 0 ]; then
    echo "fuzz: $t: ${runs:-?} executions in ${SECONDS_EACH}s, cov ${cov:-?}, ft ${ft:-?}, $(ls "$dir/new" | wc -l) new inputs"
    return 0
  fi
  echo "fuzz: $t: FAILED (exit $rc) after ${runs:-?} executions; artifacts: $(ls "$dir/artifacts" | tr '\n' ' ')"
  grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$dir/log" | head -5
  [ -n "$KEEP" ] || { mkdir -p "fuzz/findings"; cp "$dir"/artifacts/* fuzz/findings/ 2>/dev/null;
                      echo "fuzz: $t: crash inputs copied to fuzz/findings/"; }
  return 1
}

status=0
pids=()
for t in "${targets[@]}"; do
  run_one "$t" &
  pids+=($!)
  if [ ${#pids[@]} -ge "$JOBS" ]; then
    wait "${pids[0]}" || status=1
    pids=("${pids[@]:1}")
  fi
done
for p in "${pids[@]}"; do wait "$p" || status=1; done
[ $status -eq 0 ] && echo "fuzz: all targets clean" || echo "fuzz: FAILED"
exit $status
