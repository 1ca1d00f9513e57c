#!/usr/bin/env bash
# Fault tests for kmeta tree (docs/tree.md): a synthetic repository and a
# 150-patch series; the process is killed with SIGKILL at each journalled
# point of the final update (KMETA_TREE_CRASH hook) and at random times.
# After every kill: git fsck clean; the work tree equals HEAD unless the
# journal says an update was in flight; a rerun ends with exactly the commit
# ids of an uninterrupted run, with a clean work tree. Two runs at once: the
# second is refused by the repository's lock.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Dev GIT_AUTHOR_EMAIL=dev@example.org GIT_COMMITTER_NAME=Dev GIT_COMMITTER_EMAIL=dev@example.org
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

# Upstream: 400 files, 150 commits touching 1-3 files each; exported as mails.
up=$WORK/up
mkdir -p "$up" && cd "$up" && git init -q . && git config gc.auto 0
for d in $(seq 0 19); do
  mkdir -p "d$d"
  for f in $(seq 0 19); do seq 1 200 | sed "s/^/d$d f$f line /" > "d$d/f$f.c"; done
done
git add -A && GIT_AUTHOR_DATE='1600000000 +0000' git commit -qm base && git tag base
RANDOM=42
for i in $(seq 1 150); do
  for k in $(seq 1 $((1 + RANDOM % 3))); do
    f=d$((RANDOM % 20))/f$((RANDOM % 20)).c
    sed -i "$((1 + RANDOM % 200))s/\$/ edit $i/" "$f"
  done
  GIT_AUTHOR_DATE="$((1600000000 + i * 3600)) +0100" git commit -qam "change $i" || exit 1
done
mkdir -p "$WORK/meta" && git format-patch -q -o "$WORK/meta/patches" base
(cd "$WORK/meta" && ls patches | sed 's|^|patches/|' > series)

clone() {  # name -> a clone at base
  git clone -q "$up" "$WORK/$1" && git -C "$WORK/$1" checkout -q -B work base && git -C "$WORK/$1" config gc.auto 0
}
run() { "$KMETA" tree -C "$1" --patches "$WORK/meta" -q "${@:2}"; }
status_of() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" "$1/.git/kmeta-tree/state.json" 2>/dev/null || echo none; }

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
exit $fail
