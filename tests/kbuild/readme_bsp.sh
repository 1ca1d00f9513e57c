#!/usr/bin/env bash
# The README's one command from a BSP to a built kernel, run as written on the
# bundled example (examples/kernel-cache, examples/linux) in a scratch
# directory, stopped before any compile by --min-free-mb: the README line is
# read from README.md and only the values of its options are swapped for the
# example's, so the test breaks when the README's command changes shape.
# Checks the default build directory Yocto's way (linux-<MACHINE>-<KTYPE>-build,
# KTYPE standard when --type is not given) is created in the current
# directory with the .config `kmeta config` writes for the same options, and
# that the stop is the expected full-disk error. No kernel tree needed; seconds.
set -euo pipefail
: "${KMETA:?KMETA must name the kmeta binary}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
EX=$ROOT/examples
T=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-readme-bsp.XXXXXX")
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

lines=$(grep -c '^kmeta build --cache ' "$ROOT/README.md" || true)
[ "$lines" = 1 ] || fail "README.md has $lines 'kmeta build --cache' lines, want 1"
line=$(grep '^kmeta build --cache ' "$ROOT/README.md")
echo "README: $line"
read -ra words <<<"${line%%#*}"
comment=${line#*#}
# The README's own claim about the directory, for its own machine.
readme_machine=
args=()
i=2
while [ $i -lt ${#words[@]} ]; do
  opt=${words[$i]} val=${words[$((i + 1))]:-}
  case $opt in
    --cache) args+=(--cache "$EX/kernel-cache") ;;
    --machine) readme_machine=$val; args+=(--machine demo-board) ;;
    --kernel) args+=(--kernel "$EX/linux") ;;
    --arch) args+=(--arch x86) ;;
    *) fail "the README's command has '$opt', which this test does not map to the example" ;;
  esac
  i=$((i + 2))
done
[ -n "$readme_machine" ] || fail "the README's command has no --machine"
grep -qF "linux-$readme_machine-standard-build" <<<"$comment" \
  || fail "the README's comment does not name linux-$readme_machine-standard-build"

mkdir "$T/work"
rc=0
(cd "$T/work" && "$KMETA" build "${args[@]}" --min-free-mb 999999999) >"$T/out" 2>&1 || rc=$?
cat "$T/out"
[ "$rc" = 1 ] || fail "want exit 1 (too little disk), got $rc"
grep -q 'MiB free' "$T/out" || fail "the stop is not the free-disk check"
grep -q '^\s*\(CC\|LD\|AS\)  ' "$T/out" && fail "something was compiled"
B=$T/work/linux-demo-board-standard-build
[ -d "$B" ] || fail "no default build directory: $(ls "$T/work")"
[ "$(ls "$T/work")" = linux-demo-board-standard-build ] || fail "other files in the work dir: $(ls "$T/work")"
[ -s "$B/.config" ] || fail "no $B/.config"
[ -f "$B/.kernel-meta/kmeta-config.json" ] || fail "no kmeta config record in $B"
# The same options to kmeta config give the same .config.
"$KMETA" config "${args[@]}" -q -o "$T/ref" >/dev/null 2>&1 || true
[ -s "$T/ref/.config" ] || fail "kmeta config wrote no .config"
cmp "$T/ref/.config" "$B/.config" || fail "kmeta build's .config differs from kmeta config's"
[ ! -e "$B/build.json" ] || fail "a build.json was written although nothing was built"
echo "ok: $(basename "$B")/.config ($(grep -c '^CONFIG_' "$B/.config") options), stopped at: $(grep 'MiB free' "$T/out")"
echo PASS
