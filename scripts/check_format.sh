#!/usr/bin/env bash
# Checks that every C++ source of the repository (src/, fuzz/, bench/: the
# tracked *.cc and *.h) is formatted as the repository's .clang-format says,
# with the clang-format Debian 12 ships (14). Prints each file that differs,
# with clang-format's first diagnostics, and exits 1; exit 0 when all agree.
#
#   scripts/check_format.sh [--fix] [--root DIR] [FILE...]
#
# --fix rewrites the files in place instead. --root checks another tree (the
# self-test in tests/check_format.sh uses it); FILE... checks only those files
# (paths relative to the root). Expected outputs under tests/ (e.g. generated
# headers) are data, not code, and are not checked.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
fix=0
files=()
while [ $# -gt 0 ]; do
  case $1 in
    --fix) fix=1 ;;
    --root) ROOT=$(cd "$2" && pwd); shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "check_format: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done
CF=${CLANG_FORMAT:-clang-format}
if ! command -v "$CF" >/dev/null 2>&1; then
  echo "SKIP: $CF is not installed (scripts/setup.sh installs it)"
  exit 77
fi
cd "$ROOT" || exit 2
if [ ${#files[@]} -eq 0 ]; then
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files -- 'src/*.cc' 'src/*.h' 'fuzz/*.cc' 'fuzz/*.h' 'bench/*.cc' 'bench/*.h')
  else
    mapfile -t files < <(find src fuzz bench \( -name '*.cc' -o -name '*.h' \) -type f 2>/dev/null | sort)
  fi
fi
if [ ${#files[@]} -eq 0 ]; then
  echo "check_format: no C++ files under $ROOT"
  exit 2
fi
if [ $fix = 1 ]; then
  "$CF" -i --style=file -- "${files[@]}"
  exit $?
fi
out=$("$CF" --dry-run -Werror --style=file -- "${files[@]}" 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
  # clang-format reports "FILE:LINE:COL: error: code should be clang-formatted".
  printf '%s\n' "$out" | grep -E '^[^ ]+:[0-9]+:[0-9]+: error' | head -40
  mapfile -t bad < <(printf '%s\n' "$out" | sed -n 's/^\([^ :]*\):[0-9]*:[0-9]*: error.*/\1/p' | sort -u)
  for f in "${bad[@]}"; do echo "not formatted: $f (scripts/check_format.sh --fix $f)"; done
  echo "check_format: ${#bad[@]} of ${#files[@]} files differ from .clang-format ($("$CF" --version | head -1))"
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
