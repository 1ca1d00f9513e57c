#!/usr/bin/env bash
# The repository's C++ is formatted as .clang-format says (scripts/check_format.sh),
# and the checker itself works: on a scratch tree with one planted misformatted
# file it names that file, exits 1, and --fix makes the tree pass.
set -uo pipefail
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
CHECK=$SRC/scripts/check_format.sh
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: clang-format is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

# 1. The checker on a synthetic tree: a formatted file passes, a planted bad one is named.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-check-format.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/m"
cp "$SRC/.clang-format" "$tmp/"
printf 'int good(int a) { return a + 1; }\n' > "$tmp/src/m/good.cc"
out=$("$CHECK" --root "$tmp" 2>&1); rc=$?
[ $rc = 0 ] || fail "a formatted tree was refused (exit $rc): $out"
printf 'int  bad( int a ){\nreturn a+1 ;}\n' > "$tmp/src/m/bad.cc"
out=$("$CHECK" --root "$tmp" 2>&1); rc=$?
[ $rc = 1 ] || fail "a misformatted file passed (exit $rc): $out"
grep -q '^not formatted: src/m/bad.cc' <<<"$out" || fail "the bad file is not named: $out"
if grep -q 'good.cc' <<<"$out"; then fail "the good file is named: $out"; fi
"$CHECK" --root "$tmp" --fix >/dev/null 2>&1 || fail "--fix failed"
out=$("$CHECK" --root "$tmp" 2>&1) || fail "still refused after --fix: $out"
grep -q 'return a + 1;' "$tmp/src/m/bad.cc" || fail "--fix did not rewrite bad.cc"
echo "ok: the checker names a planted file and --fix mends it"

# 2. The repository itself.
out=$("$CHECK" 2>&1); rc=$?
printf '%s\n' "$out" | tail -20
[ $rc = 0 ] || fail "the repository is not formatted: run scripts/check_format.sh --fix"
echo "ok: the repository is formatted"
