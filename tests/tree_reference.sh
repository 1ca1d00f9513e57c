#!/usr/bin/env bash
# kmeta tree against the reference on real data (docs/tree.md): Debian's
# linux-source-6.12 made into a repository as do_kernel_checkout makes it, and
# the qemux86-64 standard (88 patches) and preempt-rt (130) series with the BSP
# injected. The truth is what yocto-kernel-tools' kgit-s2q does with them (git
# >= 2.40 semantics through the harness's shim, rerun after each failure to the
# end of the series), plus `git apply -v -C1`'s hunk lines on the same
# pre-states:
#   - recorded in tests/tree_reference/<ktype>/ (record.sh there made it) and
#     used when the inputs match it (kernel release and linux-source package,
#     git version, shim, kgit-s2q, baseline commit, every patch of the series);
#   - otherwise computed live, by the reference itself, into
#     $KMETA_TRUTH_CACHE/tree_reference/ (reused while the inputs stay equal).
# Each series prints which truth it used. kmeta tree then runs the series
# (stop at a failure, --skip, continue) and must give: the same outcome for
# every patch (git am / git am -C1 / fallback apply / failed), the same commit
# for every applied patch, the reference's HEAD at every stop, the same chain,
# a clean work tree, git fsck clean, and every hunk's offset / reduced-context
# line equal to git apply -v -C1's.
set -uo pipefail
export LC_ALL=C TZ=UTC
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
# The work tree and index equal HEAD: nothing in git status but the metadata
# directory the patch pass wrote (untracked, as in do_patch).
tree_clean() {
  local st
  st=$(git -C "$S" status --porcelain --untracked-files=all -- . ':!.kernel-meta' ':!.metadir')
  [ -z "$st" ] || { echo "$st" | head -10; return 1; }
}
t0=$(date +%s)
tree_make_base "$S" || { echo "FAILED: baseline"; exit 1; }
echo "baseline $(git -C "$S" rev-parse HEAD) ($(( $(date +%s) - t0 )) s)"

# truth KTYPE: prints the directory holding the truth for the series now in
# $S/.kernel-meta, and says on stderr which truth it is.
truth() {
  local ktype=$1 rec=$SRC/tests/tree_reference/$1 why=() k v r digest dir
  tree_inputs "$S" "$ktype" > "$WORK/inputs.$ktype"
  if cmp -s "$WORK/inputs.$ktype" "$rec/inputs"; then
    echo "truth for $ktype: recorded ($(cat "$rec/about"))" >&2
    echo "$rec"; return 0
  fi
  while read -r k v; do
    r=$(awk -v k="$k" '$1==k{print $2}' "$rec/inputs" 2>/dev/null)
    [ "$v" = "$r" ] || why+=("$k $v (recorded ${r:-none})")
  done < "$WORK/inputs.$ktype"
  digest=$(sha256sum < "$WORK/inputs.$ktype" | cut -c1-16)
  dir=${KMETA_TRUTH_CACHE:-$WORK/truth}/tree_reference/$ktype-$digest
  if cmp -s "$WORK/inputs.$ktype" "$dir/inputs"; then
    echo "truth for $ktype: live, computed earlier in $dir ($(cat "$dir/about")); differs from the recording in: ${why[*]}" >&2
    echo "$dir"; return 0
  fi
  echo "truth for $ktype: live (the reference runs now); differs from the recording in: ${why[*]}" >&2
  tree_reset "$S"
  rm -rf "$dir.new.$$"
  tree_reference_record "$S" "$dir.new.$$" "$ktype" >&2 || { rm -rf "$dir.new.$$"; return 1; }
  rm -rf "$dir"; mv "$dir.new.$$" "$dir"
  echo "$dir"
}

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000
export GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe

for ktype in standard preempt-rt; do
  echo "== qemux86-64 $ktype"
  tree_reset "$S"
  rm -rf "$S/.kernel-meta" "$S/.metadir"
  tree_patch_pass "$S" "$ktype" || { echo "FAILED: patch pass ($ktype)"; fail=1; continue; }
  (cd "$S/.kernel-meta" && ln -sf patch.queue series)
  n=$(grep -c '^[a-zA-Z0-9_/]' "$S/.kernel-meta/patch.queue")
  want=88; [ "$ktype" = standard ] || want=130
  check "the patch pass queues $want patches" test "$n" -eq "$want"
  T=$(truth "$ktype") || { echo "FAILED: no truth for $ktype"; fail=1; continue; }
  tree_reset "$S"

  # kmeta tree, then --skip after every stop, to the end of the series.
  t1=$(date +%s.%N)
  runs=0 rc=1 stops=()
  "$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --json > "$WORK/$ktype.run0.json" 2> "$WORK/$ktype.run0.err"
  rc=$?
  while [ $rc -eq 1 ] && [ $runs -lt 40 ]; do
    stops+=("$(git -C "$S" rev-parse HEAD)")
    check "work tree clean at stop $((runs + 1))" tree_clean
    if [ $runs -eq 0 ]; then
      # A rerun retries the failed patch: it fails again and HEAD does not move.
      "$KMETA" tree -C "$S" --patches "$S/.kernel-meta" -q 2> /dev/null
      check "a rerun retries the failed patch and fails again" \
        test $? -eq 1 -a "$(git -C "$S" rev-parse HEAD)" = "${stops[0]}"
    fi
    runs=$((runs + 1))
    "$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --skip --json > "$WORK/$ktype.run$runs.json" 2> "$WORK/$ktype.run$runs.err"
    rc=$?
  done
  t2=$(date +%s.%N)
  check "kmeta reaches the end of the series (exit 0 after $runs --skip)" test $rc -eq 0
  [ $rc -eq 0 ] || cat "$WORK/$ktype.run$runs.err"
  stops+=("$(git -C "$S" rev-parse HEAD)")
  printf '%s\n' "${stops[@]}" > "$WORK/$ktype.stops"
  python3 - "$T" "$WORK" "$ktype" "$runs" <<'PY' || fail=1
import json, sys
T, work, ktype, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
ref = [l.split() for l in open(T + "/outcomes")]
patches = []
for i in range(runs + 1):
    patches += [p for p in json.load(open("%s/%s.run%d.json" % (work, ktype, i)))["patches"]
                if p["outcome"] != "skipped"]
def klass(p):
    if p["outcome"] in ("applied", "applied-offset", "applied-reduced-context"):
        if p.get("reference_path") == "fallback": return "apply"
        return "am-C1" if p["outcome"] == "applied-reduced-context" else "am"
    return "failed"
ok = True
if len(patches) != len(ref):
    print("FAILED: kmeta reported %d patches, the reference %d" % (len(patches), len(ref))); ok = False
bad = 0
for p, (n, kind, commit, entry) in zip(patches, ref):
    mine = (p["entry"], klass(p), p.get("commit", "-"))
    if mine != (entry, kind, commit):
        bad += 1
        if bad <= 10: print("FAILED: patch %s: reference %s %s %s, kmeta %s %s %s (%s)" % (n, entry, kind, commit, *mine, p["outcome"]))
if bad: ok = False
else:
    counts = {}
    for _, kind, _, _ in ref: counts[kind] = counts.get(kind, 0) + 1
    print("ok: every patch's outcome and commit equal the reference's (%s)" %
          ", ".join("%s %d" % kv for kv in sorted(counts.items())))
ref_stops = [l.split()[2] for l in open(T + "/stops")]
mine = [l.strip() for l in open("%s/%s.stops" % (work, ktype))]
if mine != ref_stops:
    print("FAILED: HEAD at the stops: reference %s, kmeta %s" % (ref_stops, mine)); ok = False
else:
    print("ok: HEAD at each of the %d stop(s) and at the end equals the reference's" % (len(mine) - 1))
sys.exit(0 if ok else 1)
PY
  git -C "$S" rev-list --reverse refs/research/baseline..HEAD > "$WORK/$ktype.chain"
  check "the whole chain equals the reference's ($(wc -l < "$T/chain") commits)" cmp -s "$T/chain" "$WORK/$ktype.chain"
  check "work tree clean at the end" tree_clean
  check "git fsck clean" git -C "$S" fsck --no-dangling --connectivity-only --no-progress

  # Every hunk against git apply -v -C1 on the same pre-states.
  git -C "$S" checkout -q refs/research/baseline 2> /dev/null
  "$KMETA" tree -C "$S" --patches "$S/.kernel-meta" --check --hunks 2> /dev/null | sort > "$WORK/$ktype.hunks"
  git -C "$S" checkout -q - 2> /dev/null
  check "every hunk's offset and reduced context equal git apply -v -C1 ($(wc -l < "$T/hunks") lines)" \
    cmp -s "$T/hunks" "$WORK/$ktype.hunks"
  cmp -s "$T/hunks" "$WORK/$ktype.hunks" || diff "$T/hunks" "$WORK/$ktype.hunks" | head -20
  echo "kmeta: $(python3 -c "print(round($t2-$t1,1))") s for $n patches ($runs stop(s))"
done
echo "total test $(( $(date +%s) - t0 )) s"
exit $fail
