#!/usr/bin/env bash
# Hostile and careless inputs to the parsers and the commands that read
# metadata (issue #9, part C), through the CLI. Each check names its item:
#   6  branch/merge names that kgit-meta would eval: a located error, nothing written
#   8  KMACHINE patterns: 20,000 nested groups and a backtracking bomb end fast, clearly
#   9  symbol-why --dotconfig DIR: an error, not SIGSEGV; its scratch dir honours
#      TMPDIR and is removed
#  10  include bomb and define bomb: a located error with the include chain, under
#      a 1 GB address-space limit and a time budget
#  14  why/audit -C run no probe named by the build dir (replay of recorded answers)
#  15  --feature ../, a ../ queue entry, CRLF .scc, $TMPDIR leftovers, deep `if`,
#      symbol-why --filter naming a missing file
#   1  bytes in `kmeta tree --json` (a Latin-1 patch name) and in its journal
#  17  the unit tests that resolve kernels never use the user's caches
# Every run gets its own caches ($WORK); nothing under ~/.cache is touched.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REAL_HOME=${HOME:-}
export HOME=$WORK/home XDG_CACHE_HOME=$WORK/xdg KMETA_PROBE_CACHE=$WORK/probes TMPDIR=$WORK/tmp
mkdir -p "$HOME" "$TMPDIR"
fail=0
check() {  # description, command...
  if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi
}
has() { grep -qF -- "$2" "$1"; }           # file, text
lacks() { ! grep -qF -- "$2" "$1"; }
status() { test "$(cat "$WORK/rc")" -eq "$1"; }   # the last run() exit status
# run LIMIT_SECONDS cmd...: stdout+stderr to $WORK/out, status to $WORK/rc
# (124 = the time budget ran out, >128 = a signal: never acceptable here)
run() {
  local t=$1; shift
  timeout "$t" "$@" > "$WORK/out" 2>&1
  echo $? > "$WORK/rc"
}
not_crashed() { local rc; rc=$(cat "$WORK/rc"); test "$rc" -ne 124 -a "$rc" -lt 128; }

# ---- 6: branch names reach kgit-meta's eval
mkdir -p "$WORK/c6"
printf '%s\n' "branch 'x;touch\${IFS}$WORK/c6/PWNED'" "kconf hardware a.cfg" > "$WORK/c6/top.scc"
echo CONFIG_A=y > "$WORK/c6/a.cfg"
(cd "$WORK/c6" && run 30 "$KMETA" scc -o "$WORK/c6/out:meta,cfg" -I "$WORK/c6" top.scc)
check "6: a shell-active branch name is an error" status 1
check "6: located at the .scc line" has "$WORK/out" "top.scc:1: error: branch name 'x;touch"
check "6: no meta-series is written" test ! -e "$WORK/c6/out/meta-series"
printf '%s\n' "branch a..b" > "$WORK/c6/dots.scc"
(cd "$WORK/c6" && run 30 "$KMETA" scc -o "$WORK/c6/out2:meta" -I "$WORK/c6" dots.scc)
check "6: an invalid git branch name is an error" has "$WORK/out" "dots.scc:1: error: branch name 'a..b' is not a valid branch name: it contains '..'"

# ---- 8: KMACHINE is a grep pattern to spp --find
nested=$(printf '\\(%.0s' $(seq 20000))
run 60 "$KMETA" spp --find -I "$SRC/examples/kernel-cache" -DKMACHINE="$nested" -DKTYPE=standard
check "8: 20,000 nested groups: no crash, no hang" not_crashed
check "8: ... and a clear error" has "$WORK/out" "is not a usable grep pattern"
run 60 "$KMETA" spp --find -I "$SRC/examples/kernel-cache" -DKMACHINE='\(\(d*\)*\)*\(e*\)*x' -DKTYPE=standard
check "8: a backtracking bomb ends (not found) within the budget" status 1
run 60 "$KMETA" spp --find -I "$SRC/examples/kernel-cache" -DKMACHINE='demo-b.ard' -DKTYPE=standard
check "8: an ordinary pattern still finds the BSP" has "$WORK/out" "bsp/demo-board"
run 120 "$KMETA" config --cache "$SRC/examples/kernel-cache" --machine "$nested" --type standard \
  --kernel "$SRC/examples/linux" --arch x86 -o "$WORK/c8"
check "8: config --machine: no crash, a clear error" has "$WORK/out" "is not a usable grep pattern"

# ---- 9: symbol-why --dotconfig <a directory>, and its scratch dir
cp -r "$SRC/examples/linux" "$WORK/linux9"
# A probe that leaves a file where it runs (the scratch build dir), named for this run.
printf '\nconfig LEAVES_A_FILE\n\tdef_bool $(shell,touch leftover-%s; echo y)\n' $$ >> "$WORK/linux9/Kconfig"
run 300 "$KMETA" config --cache "$SRC/examples/kernel-cache" --machine demo-board --type standard \
  --kernel "$WORK/linux9" --arch x86 -o "$WORK/b9"
check "9: setup: kmeta config" status 0
(cd "$WORK/linux9" && run 60 "$KMETA" scc --force -o "$WORK/linux9/.kernel-meta:cfg,merge,meta" \
   -I"$SRC/examples/kernel-cache" bsp/demo-board/demo-board-standard.scc)
check "9: setup: kmeta scc writes S/.kernel-meta" status 0
mkdir -p "$WORK/dir.config"
(cd "$WORK/linux9" && ARCH=x86 run 120 "$KMETA" symbol-why --dotconfig "$WORK/dir.config" --sanity)
check "9: a directory as --dotconfig: status 1, no crash" status 1
check "9: ... with a message" has "$WORK/out" "cannot be read: it is a directory"
rm -rf "${TMPDIR:?}"/*
(cd "$WORK/linux9" && ARCH=x86 run 300 "$KMETA" symbol-why --dotconfig "$WORK/b9/.config" --sanity)
check "9: symbol-why runs" status 0
check "9: its scratch directory is gone from TMPDIR" test -z "$(ls -A "$TMPDIR")"
check "9: ... and was not made outside TMPDIR" test -z "$(ls -d /tmp/kmeta-symbol-why.*/leftover-$$ 2>/dev/null)"
(cd "$WORK/linux9" && ARCH=x86 TMPDIR=$WORK/no-such-dir run 60 "$KMETA" symbol-why --dotconfig "$WORK/b9/.config" --sanity)
check "9: TMPDIR is where the scratch dir goes (a missing one is an error)" has "$WORK/out" "cannot create a scratch directory '$WORK/no-such-dir/"

# ---- 10: include bomb and define bomb, under 1 GB of address space
mkdir -p "$WORK/c10"
for i in $(seq 0 30); do
  printf 'include f%d.scc\ninclude f%d.scc\n' $((i + 1)) $((i + 1)) > "$WORK/c10/f$i.scc"
done
echo "kconf hardware a.cfg" > "$WORK/c10/f31.scc"
echo CONFIG_A=y > "$WORK/c10/a.cfg"
(cd "$WORK/c10" && ulimit -v 1000000 && run 60 "$KMETA" scc -o "$WORK/c10/out:meta,cfg" -I "$WORK/c10" f0.scc)
check "10: include bomb: status 1 (no abort, no time-out)" status 1
check "10: ... a located error" grep -q "f[0-9]*\.scc:[0-9]*: error: the includes expand to more than" "$WORK/out"
check "10: ... with the include chain" has "$WORK/out" "included from"
{
  echo 'define A0 "0123456789"'
  for i in $(seq 1 11); do
    printf 'define A%d "' "$i"; for _ in $(seq 10); do printf '$A%d' $((i - 1)); done; echo '"'
  done
  echo "kconf hardware a.cfg"
} > "$WORK/c10/vars.scc"
(cd "$WORK/c10" && ulimit -v 1000000 && run 60 "$KMETA" scc -o "$WORK/c10/out2:meta,cfg" -I "$WORK/c10" vars.scc)
check "10: define bomb: status 1" status 1
check "10: ... located at the define that crosses the bound" grep -q "vars.scc:[0-9]*: error: this statement expands to" "$WORK/out"

# ---- 14: why/audit -C must not run the probes a build dir names
cp -r "$SRC/examples/linux" "$WORK/linux14"
printf '\nconfig PROBED\n\tdef_bool $(shell,touch %s/MARKER; echo y)\n' "$WORK" >> "$WORK/linux14/Kconfig"
run 300 "$KMETA" config --cache "$SRC/examples/kernel-cache" --machine demo-board --type standard \
  --kernel "$WORK/linux14" --arch x86 -o "$WORK/b14"
check "14: setup: kmeta config runs the probe" test -e "$WORK/MARKER"
rm -f "$WORK/MARKER"
run 300 "$KMETA" why -C "$WORK/b14" CONFIG_PROBED
check "14: why -C explains from the recorded answer" status 0
check "14: ... and spawns no probe" test ! -e "$WORK/MARKER"
run 300 "$KMETA" audit -C "$WORK/b14"
check "14: audit -C spawns no probe" test ! -e "$WORK/MARKER"
run 300 "$KMETA" why -C "$WORK/b14" --probe-cache "$WORK/empty-probes" CONFIG_PROBED
check "14: an answer missing from the cache is an error" status 1
check "14: ... that says why" has "$WORK/out" "with -C, the kernel's \$(shell,...) probes are not run"
check "14: ... still without running the probe" test ! -e "$WORK/MARKER"

# ---- 15: paths that leave the caches, CRLF, leftovers, deep `if`
run 120 "$KMETA" config --cache "$SRC/examples/kernel-cache" --machine demo-board --type standard \
  --kernel "$SRC/examples/linux" --arch x86 --feature ../../../../../../../../etc/passwd -o "$WORK/c15"
check "15: --feature ../etc/passwd is refused" status 1
check "15: ... with a reason" has "$WORK/out" "has a '..' component"
check "15: ... without echoing the file" lacks "$WORK/out" "root:"
mkdir -p "$WORK/km15/.kernel-meta"
echo "../../../../../../../../etc/passwd # hardware" > "$WORK/km15/.kernel-meta/config.queue"
run 120 "$KMETA" config --kernel-meta "$WORK/km15/.kernel-meta" --kernel "$SRC/examples/linux" --arch x86 \
  -o "$WORK/c15b"
check "15: a ../ queue entry is refused" status 1
check "15: ... located in config.queue" has "$WORK/out" "config.queue:1: error: queue entry"
check "15: ... without echoing the file" lacks "$WORK/out" "root:"
mkdir -p "$WORK/c15c"
printf 'kconf hardware a.cfg\r\n' > "$WORK/c15c/crlf.scc"
echo CONFIG_A=y > "$WORK/c15c/a.cfg"
rm -rf "${TMPDIR:?}"/*
(cd "$WORK/c15c" && run 30 "$KMETA" scc -o "$WORK/c15c/out:meta,cfg" -I "$WORK/c15c" crlf.scc)
check "15: CRLF .scc: status 1" status 1
check "15: ... diagnosed at the .scc line" has "$WORK/out" "crlf.scc:1:21: error: carriage return"
check "15: ... not as a missing fragment" lacks "$WORK/out" "could not find kconf"
printf 'include nothere.scc\n' > "$WORK/c15c/missing.scc"
(cd "$WORK/c15c" && run 30 "$KMETA" scc -o "$WORK/c15c/out:meta,cfg" -I "$WORK/c15c" missing.scc)
check "15: a missing include: the reference's message" has "$WORK/out" "See $TMPDIR/tmp."
check "15: failing scc runs leave nothing in TMPDIR" test -z "$(ls -A "$TMPDIR")"
{ for _ in $(seq 150); do echo 'if [ "$A" = x ]; then'; done; for _ in $(seq 150); do echo fi; done; } \
  > "$WORK/c15c/deep.scc"
(cd "$WORK/c15c" && run 30 "$KMETA" scc -o "$WORK/c15c/out:meta,cfg" -I "$WORK/c15c" deep.scc)
check "15: over-deep if: status 1" status 1
check "15: ... exactly one error" test "$(grep -c ': error:' "$WORK/out")" -eq 1
(cd "$WORK/linux9" && ARCH=x86 run 60 "$KMETA" symbol-why --dotconfig "$WORK/b9/.config" --filter /nonexistent --sanity)
check "15: symbol-why --filter /nonexistent: status 2" status 2
check "15: ... with a clear error" has "$WORK/out" "--filter /nonexistent: cannot read the filter file"

# ---- 1: kmeta tree's JSON and journal carry bytes (a Latin-1 patch file name)
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org
t1=$WORK/t1 && mkdir -p "$t1/up" && git -C "$t1/up" init -q . && printf 'a\nb\n' > "$t1/up/f.c"
git -C "$t1/up" add f.c && git -C "$t1/up" commit -qm base && git -C "$t1/up" tag base
printf 'a\nb\ncaf\xe9\n' > "$t1/up/f.c" && git -C "$t1/up" commit -qam 'a Latin-1 line'
mkdir -p "$t1/meta/patches" && git -C "$t1/up" format-patch -q --stdout base > "$t1/meta/patches/"$'caf\xe9.patch'
printf 'patches/caf\xe9.patch\n' > "$t1/meta/series"
git clone -q "$t1/up" "$t1/repo" && git -C "$t1/repo" checkout -q -B work base
run 60 "$KMETA" tree -C "$t1/repo" --patches "$t1/meta" --check --json
check "1: tree --check --json with a Latin-1 patch name: status 0 (no SIGABRT)" status 0
check "1: ... valid JSON" python3 -c 'import json,sys; t=open(sys.argv[1],"rb").read(); json.loads(t[t.index(b"{"):])' "$WORK/out"
check "1: ... the entry carries the name's bytes (U+EF00+byte, docs/base.md)" grep -q $'"patches/caf\xee\xbf\xa9.patch"' "$WORK/out"
printf 'not a patch\n' > "$t1/meta/patches/"$'bad\xe9.patch'
printf 'patches/caf\xe9.patch\npatches/bad\xe9.patch\n' > "$t1/meta/series"
run 60 "$KMETA" tree -C "$t1/repo" --patches "$t1/meta" --json
check "1: a failing Latin-1 patch: status 1, no abort" status 1
check "1: ... the journal is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1], "rb"))' \
  "$t1/repo/.git/kmeta-tree/state.json"
run 60 "$KMETA" tree -C "$t1/repo" --patches "$t1/meta" --skip --json
check "1: --skip reads the journal back and finishes" status 0
check "1: ... the skipped patch named with its bytes in the JSON" grep -q $'bad\xee\xbf\xa9.patch' "$WORK/out"

# ---- 17: tests get their own caches. The test binaries whose tests resolve
# kernels (probes run, models stored) under a HOME of ours, where only the
# kernel trees are the real ones: a test that used ~/.cache/kmeta/probes or
# models would create them here.
h17=$WORK/home17
mkdir -p "$h17/.cache/kmeta" "$WORK/tmp17"
[ -d "$REAL_HOME/.cache/kmeta/kernels" ] && ln -s "$REAL_HOME/.cache/kmeta/kernels" "$h17/.cache/kmeta/kernels"
bins17=()
[ -n "${KMETA_CONFIG_TEST:-}" ] && bins17+=("$KMETA_CONFIG_TEST --gtest_filter=Resolve.*")
kt=$(dirname "${KMETA_CONFIG_TEST:-/none/x}")/../kconfig/kmeta_kconfig_test
[ -x "$kt" ] && bins17+=("$kt --gtest_filter=*KernelTree*:KernelLoader.*")
check "17: the test binaries are there" test ${#bins17[@]} -eq 2
for b in "${bins17[@]}"; do
  # shellcheck disable=SC2086  # a binary and its filter
  HOME=$h17 TMPDIR=$WORK/tmp17 run 900 env -u XDG_CACHE_HOME -u KMETA_PROBE_CACHE $b
  check "17: ${b##*/}: passes under a fresh HOME" status 0
done
check "17: nothing was written to HOME/.cache/kmeta but what we put there" \
  test "$(ls -A "$h17/.cache/kmeta" | tr '\n' ' ')" = "$(test -d "$REAL_HOME/.cache/kmeta/kernels" && echo 'kernels ')"
# (rustup, run by the kernels' rustc probes, keeps its own ~/.rustup: not ours)
check "17: ... nor anything of kmeta's elsewhere in HOME" \
  test -z "$(find "$h17" -path '*kmeta*' -not -path "$h17/.cache/kmeta" -not -path "$h17/.cache/kmeta/kernels*")"
check "17: their private caches under TMPDIR are removed at exit" test -z "$(ls -A "$WORK/tmp17")"

exit $fail
