#!/usr/bin/env bash
# Runs clang-tidy with the repository's .clang-tidy over the C++ sources of the
# given modules (default: all of src/, fuzz/, bench/), using the compile commands
# of a build directory, N files at a time. Exits 1 when any check fires.
#
#   scripts/tidy.sh [-j N] [-B BUILD_DIR] [MODULE|FILE...]     e.g. scripts/tidy.sh base uprev
#
# Slow (minutes per module on 2 cores): it is not part of scripts/test.sh; run it
# before merging a change to a module (CONTRIBUTING.md).
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
BUILD=${KMETA_BUILD_DIR:-build}
args=()
while [ $# -gt 0 ]; do
  case $1 in
    -j) jobs=$2; shift ;;
    -B) BUILD=$2; shift ;;
    *) args+=("$1") ;;
  esac
  shift
done
RUN=$(command -v run-clang-tidy || command -v run-clang-tidy-14 || true)
if [ -z "$RUN" ]; then echo "tidy: run-clang-tidy is not installed (package clang-tidy)"; exit 2; fi
# compile_commands.json: configure the build directory to export it if it does not yet.
if [ ! -f "$BUILD/compile_commands.json" ]; then
  cmake -S . -B "$BUILD" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null || exit 2
fi
files=()
if [ ${#args[@]} -eq 0 ]; then args=(src fuzz bench); fi
for a in "${args[@]}"; do
  if [ -f "$a" ]; then files+=("$a")
  elif [ -d "src/$a" ]; then mapfile -t -O ${#files[@]} files < <(git ls-files "src/$a/*.cc")
  elif [ -d "$a" ]; then mapfile -t -O ${#files[@]} files < <(git ls-files "$a/*.cc")
  else echo "tidy: no module or file $a"; exit 2
  fi
done
# run-clang-tidy takes regular expressions; anchor each path.
regex=()
for f in "${files[@]}"; do regex+=("$(printf '%s' "$PWD/$f" | sed 's/[.[\*^$+?(){}|]/\\&/g')\$"); done
"$RUN" -quiet -j "$jobs" -p "$BUILD" "${regex[@]}" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' |
  grep -v '^[0-9]* warnings\? generated\|^Suppressed\|^Use -header-filter\|^clang-tidy-14 \|^Running clang-tidy' | tee "$BUILD/tidy.log"
status=${PIPESTATUS[0]}
n=$(grep -c ': error: \|: warning: ' "$BUILD/tidy.log")
echo "tidy: ${#files[@]} files, $n findings"
[ "$status" -eq 0 ] && [ "$n" -eq 0 ]
