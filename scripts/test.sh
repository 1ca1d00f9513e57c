#!/usr/bin/env bash
# Runs every test: unit tests, golden tests against ../shared/golden, the
# Kconfig conformance cases and the differential subset against the kernel's own
# conf (real kernels provisioned by scripts/kernels.sh), then the unit tests and
# fuzz-corpus replays again under AddressSanitizer + UBSan, then each fuzz
# target under libFuzzer for a fixed time (scripts/fuzz.sh).
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

if [ "${KMETA_SKIP_ASAN:-}" != 1 ]; then
  echo "== unit tests under AddressSanitizer + UBSan (build-asan)"
  # -Werror here: CI compiles every file (tests included) once without a warning.
  cmake -S . -B build-asan -G Ninja -DKMETA_SANITIZE=ON -DKMETA_WERROR=ON -DKMETA_BUILD_BENCH=OFF >/dev/null &&
    cmake --build build-asan -j"$(nproc)" &&
    ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/scripts/lsan.supp:print_suppressions=0 \
      UBSAN_OPTIONS=print_stacktrace=1 run_ctest build-asan -L unit || status=1
fi

# Every fuzz target under libFuzzer (clang, ASan + UBSan) for a fixed time each,
# as many at once as there are cores (scripts/fuzz.sh; KMETA_FUZZ_SECONDS,
# default 20); KMETA_SKIP_FUZZ=1 skips it.
if [ "${KMETA_SKIP_FUZZ:-}" != 1 ]; then
  echo "== fuzz targets under libFuzzer (build-fuzz)"
  # shellcheck disable=SC2086
  ./scripts/fuzz.sh -j "$(nproc)" ${KMETA_FUZZ_TARGETS:-} || status=1
fi

# The last word: the summary of the main run (ctest's own closing lines are above).
if [ $status -eq 0 ]; then echo "test: all passed"; else echo "test: FAILED"; fi
exit $status
