#!/usr/bin/env bash
# SIGINT and SIGTERM in the middle of a kmeta tree run (docs/tree.md). The
# signal is raised in the process at patch n by the test hook
# KMETA_TREE_CRASH=sigint:<n> / sigterm:<n> (after patch n's commit object is
# written), so it lands mid-series every time and goes through the real
# handler. After it: exit status 128 + the signal (130, 143), the journal says
# `interrupted` with the next patch n+1, HEAD is patch n's commit of an
# uninterrupted run, index and work tree equal HEAD, git fsck clean; a rerun
# resumes at patch n+1 (never skips one) and ends with the uninterrupted run's
# commit ids. The same for a meta-series interrupted inside a queue.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
WORK=$(mktemp -d); [ -n "${KEEP:-}" ] && echo "work: $WORK"
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }
. "$(dirname "$0")/lib/tree_synthetic.sh"

N=40
tree_make_series "$WORK/up" "$WORK/meta" $N || exit 1
clone() { git clone -q "$WORK/up" "$WORK/$1" && git -C "$WORK/$1" checkout -q -B work base && git -C "$WORK/$1" config gc.auto 0; }
run() { "$KMETA" tree -C "$1" --patches "$WORK/meta" "${@:2}"; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

clone ref && run "$WORK/ref" -q
check "an uninterrupted run applies the $N patches" test "$(git -C "$WORK/ref" rev-list --count base..HEAD)" -eq $N
want=$(git -C "$WORK/ref" rev-parse HEAD)
chain=$(git -C "$WORK/ref" rev-list base..HEAD)

for sig in sigint sigterm; do
  case $sig in sigint) code=130 ;; sigterm) code=143 ;; esac
  for n in 1 17 $((N - 1)); do
    name=$sig-$n r=$WORK/$sig-$n
    clone "$name"
    KMETA_TREE_CRASH=$sig:$n run "$r" > "$WORK/$name.out" 2> "$WORK/$name.err"; rc=$?
    check "$name: exit status $code (interrupted), got $rc" test $rc -eq $code
    check "$name: says it was interrupted" grep -q "interrupted; run again to continue" "$WORK/$name.err"
    check "$name: journal status interrupted" test "$(tree_journal_status "$r")" = interrupted
    check "$name: journal's next patch is $((n + 1))" \
      test "$(field "$r/.git/kmeta-tree/state.json" next)" -eq $n
    check "$name: HEAD at patch $n of the uninterrupted run" \
      test "$(git -C "$r" rev-parse HEAD)" = "$(git -C "$WORK/ref" rev-list --reverse base..HEAD | sed -n "${n}p")"
    check "$name: git fsck clean" git -C "$r" fsck --no-dangling --no-progress
    check "$name: index and work tree equal HEAD" test -z "$(git -C "$r" status --porcelain --untracked-files=no)"
    check "$name: nothing untracked left behind" test -z "$(git -C "$r" status --porcelain)"
    run "$r" --json > "$WORK/$name.json" 2> /dev/null
    check "$name: the rerun succeeds" test $? -eq 0
    check "$name: the rerun starts at patch $((n + 1))" test "$(field "$WORK/$name.json" first)" -eq $((n + 1))
    check "$name: the rerun applies the $((N - n)) remaining patches" \
      test "$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['patches']))" "$WORK/$name.json")" -eq $((N - n))
    check "$name: same commit ids as the uninterrupted run" test "$(git -C "$r" rev-list base..HEAD)" = "$chain"
    check "$name: work tree clean after the rerun" test -z "$(git -C "$r" status --porcelain)"
  done
done

# --json reports the interruption too.
clone json
KMETA_TREE_CRASH=sigint:5 run "$WORK/json" --json > "$WORK/json.out" 2> /dev/null
check "json: exit 130" test $? -eq 130
check "json: \"interrupted\": true" test "$(field "$WORK/json.out" interrupted)" = True

# A meta-series interrupted inside a queue, then rerun with the same command.
tree_make_meta_cache "$WORK/mup" "$WORK/mmeta" || exit 1
mclone() { git clone -q -b master "$WORK/mup" "$WORK/$1" && git -C "$WORK/$1" branch -q feat origin/feat &&
  git -C "$WORK/$1" branch -q feat2 origin/feat2 && git -C "$WORK/$1" config gc.auto 0; }
mrun() { "$KMETA" tree -C "$1" --meta-series "$WORK/mmeta/meta-series" "${@:2}"; }
mclone mref
mbefore=$(tree_refs_of "$WORK/mref")
mrun "$WORK/mref" --check > /dev/null 2> "$WORK/mcheck.err"; rc=$?
check "--check with --meta-series is refused (usage, exit 2), got $rc" test $rc -eq 2
check "--check with --meta-series says why" grep -q "does not take --meta-series" "$WORK/mcheck.err"
check "--check with --meta-series moved no ref" test "$(tree_refs_of "$WORK/mref")" = "$mbefore"
mrun "$WORK/mref" -q
mwant=$(tree_refs_of "$WORK/mref")
for spec in sigint:4 sigterm:10 sigint:15 sigterm:29; do
  name=meta-${spec/:/-} r=$WORK/meta-${spec/:/-}
  case $spec in sigint*) code=130 ;; *) code=143 ;; esac
  mclone "$name"
  KMETA_TREE_CRASH=$spec mrun "$r" 2> "$WORK/$name.err"; rc=$?
  check "$name: exit status $code, got $rc" test $rc -eq $code
  check "$name: meta journal status interrupted" test "$(tree_journal_status "$r" meta)" = interrupted
  check "$name: git fsck clean" git -C "$r" fsck --no-dangling --no-progress
  check "$name: work tree equals HEAD" test -z "$(git -C "$r" status --porcelain)"
  mrun "$r" 2> "$WORK/$name.err2"
  check "$name: the rerun succeeds" test $? -eq 0
  check "$name: the rerun continues the meta-series" grep -q "continuing the meta-series" "$WORK/$name.err2"
  check "$name: same branches, tags, HEAD and commit ids as the uninterrupted run" \
    test "$(tree_refs_of "$r")" = "$mwant"
done
exit $fail
