#!/usr/bin/env bash
# kmeta tree against the reference on real data (docs/tree.md): Debian's
# linux-source-6.12 made into a repository as do_kernel_checkout makes it, the
# qemux86-64 standard series with the BSP injected (88 patches), applied by
# yocto-kernel-tools' kgit-s2q (git >= 2.40 semantics, skip-and-continue) and
# by kmeta tree (stop at the failure, --skip, continue). Checks: the same
# patch fails, HEAD equals the reference's commit at the stop, the whole
# chain of commit ids is equal, every hunk's offset / reduced context equals
# `git apply -v -C1` on the same pre-state, work tree clean, git fsck clean.
# Runs for minutes (the reference is ~2-4 min): ctest label "slow".
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
KMETA_SHARED=${KMETA_SHARED:-$SRC/../shared}
. "$SRC/tests/lib/tree_setup.sh"
if ! reason=$(tree_prereqs); then echo "SKIP: $reason"; exit 77; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
S=$WORK/S
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }
t0=$(date +%s)
tree_make_base "$S" || { echo "FAILED: baseline"; exit 1; }
echo "baseline $(git -C "$S" rev-parse HEAD) ($(( $(date +%s) - t0 )) s)"
tree_patch_pass "$S" standard || { echo "FAILED: patch pass"; exit 1; }
n=$(grep -c . "$S/.kernel-meta/patch.queue")
check "the patch pass queues 88 patches" test "$n" -eq 88
(cd "$S/.kernel-meta" && ln -sf patch.queue series)

t1=$(date +%s)
tree_reference_run "$S" "$WORK/ref"
echo "reference: $(( $(date +%s) - t1 )) s, failed: $(tr '\n' ' ' < "$WORK/ref.failed")"
git -C "$S" rev-list --reverse refs/research/baseline..refs/research/reference > "$WORK/ref.chain"

tree_reset "$S"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000
export GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe
t2=$(date +%s.%N)
"$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --json > "$WORK/run1.json" 2> "$WORK/run1.err"
rc=$?
t3=$(date +%s.%N)
check "kmeta tree stops at the failure (exit 1)" test $rc -eq 1
python3 - "$WORK/run1.json" "$WORK/ref.failed" "$WORK/ref.chain" "$S" <<'PY' || fail=1
import json, sys, subprocess
j = json.load(open(sys.argv[1]))
failed = [l.strip().replace('.kernel-meta//', '') for l in open(sys.argv[2]) if l.strip()]
chain = [l.strip() for l in open(sys.argv[3]) if l.strip()]
last = j["patches"][-1]
ok = True
if [last["entry"]] != failed[:1]:
    print("FAILED: first failure differs:", last["entry"], failed[:1]); ok = False
else:
    print("ok: the first failure is the reference's:", last["entry"], "->", last["outcome"])
applied = [p for p in j["patches"] if p.get("commit")]
if [p["commit"] for p in applied] != chain[:len(applied)]:
    print("FAILED: commit ids differ from the reference before the failure"); ok = False
else:
    print("ok: %d commit ids equal to the reference's" % len(applied))
head = subprocess.run(["git", "-C", sys.argv[4], "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
if head != chain[len(applied) - 1]:
    print("FAILED: HEAD", head, "is not the reference's commit", len(applied)); ok = False
sys.exit(0 if ok else 1)
PY
check "work tree clean after the stop" test -z "$(git -C "$S" status --porcelain)"
# The rerun retries the failed patch: it fails again, HEAD does not move.
h1=$(git -C "$S" rev-parse HEAD)
"$KMETA" tree -C "$S" --patches "$S/.kernel-meta" -q 2> "$WORK/run2.err"
check "a rerun retries the failed patch and fails again" test $? -eq 1 -a "$(git -C "$S" rev-parse HEAD)" = "$h1"
"$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --skip --json > "$WORK/run3.json" 2> "$WORK/run3.err"
check "--skip continues to the end" test $? -eq 0
git -C "$S" rev-list --reverse refs/research/baseline..HEAD > "$WORK/kmeta.chain"
check "the whole chain equals the reference's ($(wc -l < "$WORK/ref.chain") commits)" cmp -s "$WORK/ref.chain" "$WORK/kmeta.chain"
check "work tree clean at the end" test -z "$(git -C "$S" status --porcelain)"
check "git fsck clean" git -C "$S" fsck --no-dangling --connectivity-only --no-progress

# Every hunk against git apply -v -C1 on the same pre-states: one scratch
# index walks the skip-and-continue chain.
git -C "$S" checkout -q refs/research/baseline 2>/dev/null || true
"$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --check --hunks 2> /dev/null | sort > "$WORK/kmeta.hunks"
git -C "$S" checkout -q - 2>/dev/null || true
export GIT_INDEX_FILE=$WORK/index
git -C "$S" read-tree refs/research/baseline
i=0; : > "$WORK/git.hunks"
while read -r entry; do
  i=$((i + 1))
  git -C "$S" mailinfo -b "$WORK/msg" "$WORK/patch" < "$S/.kernel-meta/$entry" > /dev/null
  git -C "$S" apply --cached -v -C1 "$WORK/patch" 2>&1 |
    awk -v n=$i '/^Checking patch /{f=substr($0,16); sub(/\.\.\.$/,"",f)} /^(Hunk #|Context reduced)/{print n " " f ": " $0}' >> "$WORK/git.hunks"
done < <(grep -v '^#' "$S/.kernel-meta/patch.queue")
unset GIT_INDEX_FILE
sort -o "$WORK/git.hunks" "$WORK/git.hunks"
check "every hunk's offset and reduced context equal git apply -v -C1 ($(wc -l < "$WORK/git.hunks") messages)" \
  cmp -s "$WORK/git.hunks" "$WORK/kmeta.hunks"
if ! cmp -s "$WORK/git.hunks" "$WORK/kmeta.hunks"; then diff "$WORK/git.hunks" "$WORK/kmeta.hunks" | head -20; fi
echo "kmeta: $(python3 -c "print(round($t3-$t2,2))") s for the first run; total test $(( $(date +%s) - t0 )) s"
exit $fail
