#!/usr/bin/env bash
# kmeta tree's progress display (docs/tree.md): on a terminal a bar redrawn in
# place, "[ n/N] [###...] <patch file name, then subject>"; written to a file,
# no bar and no escape codes, only the summary line. The terminal is a
# pseudo-terminal made by script(1) (util-linux).
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
command -v script > /dev/null || { echo "script(1) (util-linux) is not installed"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }
. "$(dirname "$0")/lib/tree_synthetic.sh"

N=12
tree_make_series "$WORK/up" "$WORK/meta" $N || exit 1
clone() { git clone -q "$WORK/up" "$WORK/$1" && git -C "$WORK/$1" checkout -q -B work base; }

# On a terminal: script -qec runs the command on a pseudo-terminal and copies
# what it writes (stdout and stderr) to its own stdout.
clone tty
script -qec "'$KMETA' tree -C '$WORK/tty' --patches '$WORK/meta'" /dev/null > "$WORK/tty.out" 2>&1
check "terminal: the run succeeds" test "$(git -C "$WORK/tty" rev-list --count base..HEAD)" -eq $N
check "terminal: the bar is redrawn in place (carriage return, erase to end of line)" \
  grep -q $'\r.*\033\\[K' "$WORK/tty.out"
for n in 1 7 $N; do
  subject=$(git -C "$WORK/up" log --reverse --format=%s base..master | sed -n "${n}p")
  file=$(sed -n "${n}p" "$WORK/meta/series"); file=${file#patches/}
  check "terminal: patch $n/$N shown by file name ($file)" grep -qF "[$(printf '%2d' $n)/$N] [" "$WORK/tty.out"
  check "terminal: patch $n/$N's file name in the bar" grep -qF "] $file" "$WORK/tty.out"
  check "terminal: patch $n/$N's subject in the bar ($subject)" \
    grep -qE "\[ ?$n/$N\] \[#+\.*\] $subject"$'\033' "$WORK/tty.out"
done
check "terminal: the bar fills up" grep -qF "[$N/$N] [####################] " "$WORK/tty.out"
check "terminal: the summary line follows" grep -q "$N of $N patches applied" "$WORK/tty.out"

# Not a terminal: quiet logs, no bar, no escape codes, no carriage returns.
clone file
"$KMETA" tree -C "$WORK/file" --patches "$WORK/meta" > "$WORK/file.out" 2> "$WORK/file.err"
check "file: the run succeeds" test "$(git -C "$WORK/file" rev-list --count base..HEAD)" -eq $N
check "file: no escape codes or carriage returns" \
  test -z "$(LC_ALL=C grep -c $'[\r\033]' "$WORK/file.out" "$WORK/file.err" | grep -v ':0$')"
check "file: no bar" test -z "$(grep -E "\[ ?[0-9]+/$N\]" "$WORK/file.out" "$WORK/file.err")"
check "file: only the summary line" test "$(wc -l < "$WORK/file.err")" -eq 1 -a ! -s "$WORK/file.out"
check "file: the summary line" grep -q "$N of $N patches applied" "$WORK/file.err"

# A terminal with --quiet or --json: no bar either.
for opt in -q --json; do
  clone "tty$opt"
  script -qec "'$KMETA' tree -C '$WORK/tty$opt' --patches '$WORK/meta' $opt" /dev/null > "$WORK/tty$opt.out" 2>&1
  check "terminal $opt: no bar" test -z "$(grep -E "\[ ?[0-9]+/$N\]" "$WORK/tty$opt.out")"
  check "terminal $opt: no escape codes" test -z "$(LC_ALL=C grep -c $'\033' "$WORK/tty$opt.out" | grep -v '^0$')"
done
exit $fail
