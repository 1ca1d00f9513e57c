#!/usr/bin/env bash
# Runs every test: unit tests, golden tests against ../shared/golden, the
# Kconfig conformance cases and the differential subset against the kernel's own
# conf (real kernels provisioned by scripts/kernels.sh), then one clang build
# with AddressSanitizer + UBSan in which the unit tests run again and each fuzz
# target runs under libFuzzer for a fixed time (scripts/fuzz.sh).
#
# Expects ./scripts/setup.sh to have run (the README chains them).
# KMETA_SKIP_KERNELS=1 skips provisioning kernels (their tests then report skipped).
# KMETA_SKIP_ASAN=1 skips the sanitizer pass; KMETA_SKIP_FUZZ=1 the libFuzzer runs.
#
# Tests labelled `pending` (long real runs written but not yet proven end to end
# on a clean machine; none today) are left out; KMETA_TEST_PENDING=1 runs them
# too. golden.tree_reference runs: it compares kmeta tree with the reference's
# recorded outcome (tests/tree_reference/) and runs the reference live only
# when the kernel, git or series differ from the recording (docs/tree.md).
# The libFuzzer pass runs every target (each passed the campaign of
# docs/fuzzing.md); KMETA_FUZZ_TARGETS narrows it.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${KMETA_BUILD_DIR:-build}
status=0

if [ "${KMETA_SKIP_KERNELS:-}" != 1 ]; then
  ./scripts/kernels.sh || { echo "test: kernel provisioning failed; kernel tests will be skipped"; }
fi

run_ctest() {  # dir, label-args...
  local dir=$1; shift
  (cd "$dir" && ctest --output-on-failure --timeout 1500 -j"$(nproc)" "$@")
  local rc=$?
  # Skipped tests with their reasons (GTEST_SKIP messages and runner exit 77 notes).
  local log="$dir/Testing/Temporary/LastTest.log"
  if [ -f "$log" ]; then
    awk '/^[0-9]+\/[0-9]+ Test: /{t=$3}
         /: Skipped$/{getline r; print "  skipped: " t ": " r}
         /^SKIP: /{sub(/^SKIP: /,""); print "  skipped: " t ": " $0}' "$log" | sort -u | head -200
  fi
  return $rc
}

pending=(-LE pending)
[ "${KMETA_TEST_PENDING:-}" != 1 ] || pending=()
echo "== tests ($BUILD)"
run_ctest "$BUILD" "${pending[@]}" || status=1

# One sanitizer build serves both passes below: clang with ASan + UBSan and
# libFuzzer's coverage hooks, -Werror (CI compiles every file, tests included,
# once without a warning). The unit tests run in it under the sanitizers; the
# fuzz targets, started from their corpora (which replays every corpus file
# first), run in it under libFuzzer.
SAN=${KMETA_FUZZ_BUILD:-build-fuzz}
san_ok=1
if [ "${KMETA_SKIP_ASAN:-}" != 1 ] || [ "${KMETA_SKIP_FUZZ:-}" != 1 ]; then
  echo "== sanitizer build ($SAN: clang, ASan + UBSan, -Werror)"
  # shellcheck disable=SC2086
  cmake -S . -B "$SAN" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DKMETA_LIBFUZZER=ON -DKMETA_WERROR=ON -DKMETA_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} >/dev/null &&
    cmake --build "$SAN" -j"$(nproc)" || { status=1; san_ok=0; }
fi

if [ "${KMETA_SKIP_ASAN:-}" != 1 ] && [ $san_ok = 1 ]; then
  echo "== unit tests under AddressSanitizer + UBSan ($SAN)"
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1 run_ctest "$SAN" -L unit || status=1
fi

# Every fuzz target under libFuzzer for a fixed time each, as many at once as
# there are cores (scripts/fuzz.sh; KMETA_FUZZ_SECONDS, default 20).
if [ "${KMETA_SKIP_FUZZ:-}" != 1 ] && [ $san_ok = 1 ]; then
  echo "== fuzz targets under libFuzzer ($SAN)"
  # shellcheck disable=SC2086
  KMETA_FUZZ_BUILD=$SAN ./scripts/fuzz.sh -j "$(nproc)" ${KMETA_FUZZ_TARGETS:-} || status=1
fi

# The last word: the summary of the main run (ctest's own closing lines are above).
if [ $status -eq 0 ]; then echo "test: all passed"; else echo "test: FAILED"; fi
exit $status
