#!/usr/bin/env bash
# Fault tests for kmeta tree (docs/tree.md): a synthetic repository and a
# 150-patch series; the process is killed with SIGKILL at each journalled
# point of the final update (KMETA_TREE_CRASH hook) and at random times.
# After every kill: git fsck clean; the work tree equals HEAD unless the
# journal says an update was in flight; a rerun ends with exactly the commit
# ids of an uninterrupted run, with a clean work tree. Two runs at once: the
# second is refused by the repository's lock. The same for a meta-series
# (--meta-series: branches made, filled from their queues, renamed, merged):
# killed at every journalled point of its own (KMETA_TREE_CRASH=meta:n) and of
# its queues' runs, and at random times; a rerun of the same command ends with
# the uninterrupted run's branches, tags, HEAD and commit ids; --abort after
# a kill puts every branch and HEAD back where the meta-series started.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

. "$(dirname "$0")/lib/tree_synthetic.sh"

# Upstream: 400 files, 150 commits touching 1-3 files each; exported as mails.
up=$WORK/up
tree_make_series "$up" "$WORK/meta" 150 || exit 1

clone() {  # name -> a clone at base
  git clone -q "$up" "$WORK/$1" && git -C "$WORK/$1" checkout -q -B work base && git -C "$WORK/$1" config gc.auto 0
}
run() { "$KMETA" tree -C "$1" --patches "$WORK/meta" -q "${@:2}"; }
status_of() { tree_journal_status "$1" state; }

clone ref && run "$WORK/ref"
check "an uninterrupted run applies the 150 patches" test "$(git -C "$WORK/ref" rev-list --count base..HEAD)" -eq 150
want=$(git -C "$WORK/ref" rev-parse HEAD)

after_kill() {  # repo label
  local r=$1 label=$2 st
  check "$label: git fsck clean" git -C "$r" fsck --no-dangling --no-progress
  st=$(status_of "$r")
  if [ "$st" != updating ]; then
    check "$label: work tree equals HEAD (journal: $st)" test -z "$(git -C "$r" status --porcelain)"
  else
    echo "note: $label: killed with an update in flight (journal: updating); the rerun finishes it"
  fi
  run "$r"
  check "$label: the rerun ends at the uninterrupted run's commit" test "$(git -C "$r" rev-parse HEAD)" = "$want"
  check "$label: work tree clean after the rerun" test -z "$(git -C "$r" status --porcelain)"
  check "$label: same chain of commit ids" test "$(git -C "$r" rev-list base..HEAD)" = "$(git -C "$WORK/ref" rev-list base..HEAD)"
}

for point in patch:1 patch:77 journal checkout ref; do
  name=crash-${point/:/-}
  clone "$name"
  KMETA_TREE_CRASH=$point run "$WORK/$name" 2> /dev/null
  check "$name: killed (status 137)" test $? -eq 137
  after_kill "$WORK/$name" "$name"
done

# Random kill -9 while it runs (times spread over a run's length).
clone timing; t0=$(date +%s%N); run "$WORK/timing"; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 )); [ "$span" -lt 50 ] && span=50
for k in 1 2 3 4 5 6; do
  name=random-$k
  clone "$name"
  # kmeta itself in the background (not the `run` function: `kill -9` would
  # then hit a subshell and leave kmeta running on, racing the checks below).
  "$KMETA" tree -C "$WORK/$name" --patches "$WORK/meta" -q 2> /dev/null & pid=$!
  sleep "$(python3 -c "import random; random.seed($k); print(random.uniform(0, $span / 1000.0))")"
  kill -9 $pid 2> /dev/null; wait $pid 2> /dev/null
  after_kill "$WORK/$name" "$name"
done

# A run while another holds the repository's lock (held here by flock(1), as
# a running kmeta tree holds it) is refused before it touches anything; once
# the lock is free the run goes through.
clone concurrent
mkdir -p "$WORK/concurrent/.git/kmeta-tree"
exec 9> "$WORK/concurrent/.git/kmeta-tree/lock"
flock -n 9 || { echo "FAILED: cannot take the lock with flock(1)"; fail=1; }
second=$(run "$WORK/concurrent" 2>&1); rc=$?
check "concurrent: refused while the lock is held (exit $rc)" test $rc -ne 0
check "concurrent: says why" grep -q "another kmeta tree is running in this repository" <<< "$second"
check "concurrent: nothing moved" test "$(git -C "$WORK/concurrent" rev-parse HEAD)" = "$(git -C "$WORK/concurrent" rev-parse base)"
check "concurrent: no journal written" test ! -e "$WORK/concurrent/.git/kmeta-tree/state.json"
exec 9>&-
run "$WORK/concurrent"
check "concurrent: after the lock is freed, ends at the uninterrupted run's commit" test "$(git -C "$WORK/concurrent" rev-parse HEAD)" = "$want"

# ---- a meta-series (tests/lib/tree_synthetic.sh: 3 branches of 10 patches,
# 2 renames to .../base, 2 merges) ----
mup=$WORK/mup
tree_make_meta_cache "$mup" "$WORK/mmeta" || exit 1
mclone() { git clone -q -b master "$mup" "$WORK/$1" && git -C "$WORK/$1" branch -q feat origin/feat &&
  git -C "$WORK/$1" branch -q feat2 origin/feat2 && git -C "$WORK/$1" config gc.auto 0; }
mrun() { "$KMETA" tree -C "$1" --meta-series "$WORK/mmeta/meta-series" -q "${@:2}"; }
mclone mref
start_refs=$(tree_refs_of "$WORK/mref")
mrun "$WORK/mref"
check "meta: an uninterrupted run succeeds" test $? -eq 0
mwant=$(tree_refs_of "$WORK/mref")
check "meta: the uninterrupted run made the branches and merges" \
  test "$(git -C "$WORK/mref" for-each-ref --format='%(refname:short)' refs/heads | tr '\n' ' ')" = \
  "feat feat2 master v6.12/base v6.12/standard/base v6.12/standard/mybsp "
check "meta: 30 patches and 2 merges on the last branch" \
  test "$(git -C "$WORK/mref" rev-list --count base..v6.12/standard/mybsp)" -eq 34

meta_after_kill() {  # repo label
  local r=$1 label=$2 st ts
  check "$label: git fsck clean" git -C "$r" fsck --no-dangling --no-progress
  st=$(tree_journal_status "$r" meta)
  ts=$(tree_journal_status "$r" state)
  if [ "$st" != updating ] && [ "$ts" != updating ]; then
    check "$label: work tree equals HEAD (journals: $st, $ts)" test -z "$(git -C "$r" status --porcelain)"
  else
    echo "note: $label: killed with a move in flight (journals: $st, $ts); the rerun finishes it"
  fi
  mrun "$r"
  check "$label: the rerun succeeds" test $? -eq 0
  check "$label: same branches, tags, HEAD and commit ids as the uninterrupted run" \
    test "$(tree_refs_of "$r")" = "$mwant"
  check "$label: work tree clean after the rerun" test -z "$(git -C "$r" status --porcelain)"
  check "$label: git fsck clean after the rerun" git -C "$r" fsck --no-dangling --no-progress
}

# Every journalled point of the meta-series' own moves, in order, until a run
# gets through; then points inside the queues' and merges' runs.
n=1
while :; do
  name=meta-crash-$n
  mclone "$name"
  KMETA_TREE_CRASH=meta:$n mrun "$WORK/$name" 2> /dev/null; rc=$?
  if [ $rc -ne 137 ]; then
    check "meta: every one of the $((n - 1)) meta points was reached (the run past them ends well)" \
      test $rc -eq 0 -a $n -gt 20
    break
  fi
  meta_after_kill "$WORK/$name" "$name"
  n=$((n + 1))
done
for point in patch:1 patch:10 patch:11 patch:25 journal:1 journal:3 checkout:2 ref:3 ref:5; do
  name=meta-${point/:/-}
  mclone "$name"
  KMETA_TREE_CRASH=$point mrun "$WORK/$name" 2> /dev/null
  check "$name: killed (status 137)" test $? -eq 137
  meta_after_kill "$WORK/$name" "$name"
done

# Random kill -9 of a meta-series run.
mclone mtiming; t0=$(date +%s%N); mrun "$WORK/mtiming"; t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 )); [ "$span" -lt 50 ] && span=50
for k in 1 2 3 4 5 6; do
  name=meta-random-$k
  mclone "$name"
  "$KMETA" tree -C "$WORK/$name" --meta-series "$WORK/mmeta/meta-series" -q 2> /dev/null & pid=$!
  sleep "$(python3 -c "import random; random.seed($k + 100); print(random.uniform(0, $span / 1000.0))")"
  kill -9 $pid 2> /dev/null; wait $pid 2> /dev/null
  meta_after_kill "$WORK/$name" "$name"
done

# --abort after a kill, wherever it landed: back to the start.
for point in meta:9 meta:14 patch:15 ref:2; do
  name=meta-abort-${point/:/-}
  mclone "$name"
  KMETA_TREE_CRASH=$point mrun "$WORK/$name" 2> /dev/null
  mrun "$WORK/$name" --abort
  check "$name: --abort succeeds" test $? -eq 0
  check "$name: branches, tags and HEAD as before the meta-series" test "$(tree_refs_of "$WORK/$name")" = "$start_refs"
  check "$name: work tree clean" test -z "$(git -C "$WORK/$name" status --porcelain)"
  check "$name: git fsck clean" git -C "$WORK/$name" fsck --no-dangling --no-progress
  check "$name: no journal left" test ! -e "$WORK/$name/.git/kmeta-tree/meta.json" -a ! -e "$WORK/$name/.git/kmeta-tree/state.json"
  mrun "$WORK/$name"
  check "$name: a run after the abort ends as the uninterrupted run" test "$(tree_refs_of "$WORK/$name")" = "$mwant"
done
exit $fail
