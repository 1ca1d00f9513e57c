#!/usr/bin/env bash
# `kmeta tree` with a BSP (docs/tree.md): the patch pass of do_kernel_metadata
# (spp --find, `scc --cmds patch`, the BSP injected only when external), then
# the series applied.
#   - yocto-6.12, qemux86-64 standard, on a small repository of our own: with
#     --external-bsp the queue and every copied patch equal the reference scc
#     patch pass recorded in ../shared/golden/scc (88 patches), with or without
#     KERNEL_FEATURES netfilter + virtio; without it, nothing is queued, no
#     patch.queue is written and the tree does not move (SPEC §1.1, measured).
#   - a synthetic cache and kernel repository: the reference scc (live) and
#     kmeta tree write the same patch.queue and patches/ for an in-cache BSP,
#     --external-bsp, KMETA_EXTERNAL_BSPS and a BSP that declares
#     KMETA_EXTERNAL_BSP; `kmeta tree <BSP options>` gives the same commits as
#     `kmeta scc` + `kmeta tree --kernel-meta`; the BSP's own patches are
#     commits only when it is external; --check writes nothing; a rerun does
#     nothing.
set -uo pipefail
export LC_ALL=C TZ=UTC
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
KMETA_SHARED=${KMETA_SHARED:-$SRC/../shared}
TOOLS=$KMETA_SHARED/reference/yocto-kernel-tools/tools
CACHE=$KMETA_SHARED/data/yocto-kernel-cache/yocto-6.12
GOLD=$KMETA_SHARED/golden/scc/yocto-6.12/qemux86-64--standard/patch
[ -x "$TOOLS/scc" ] || { echo "SKIP: no reference tools at $TOOLS"; exit 77; }
[ -d "$CACHE" ] || { echo "SKIP: no kernel cache at $CACHE"; exit 77; }
[ -f "$GOLD/patch.queue" ] || { echo "SKIP: no scc golden at $GOLD"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000
export GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe
export GIT_AUTHOR_NAME=OpenEmbedded GIT_AUTHOR_EMAIL=kernel-yocto@oe
export GIT_AUTHOR_DATE="@1700000000 +0000" GIT_COMMITTER_DATE="@1700000000 +0000"
unset KMETA_EXTERNAL_BSPS
t0=$(date +%s.%N)
lines() { seq "$1" "$2" | sed "s/^/$3 /"; }
# files_listing DIR: "<path> <size> <sha256>" of every file below DIR's
# subdirectories (the golden's files.txt).
files_listing() {
  (cd "$1" && find . -mindepth 2 -type f | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
    printf '%s %s %s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum < "$f" | cut -c1-64)"
  done)
}
newrepo() {  # newrepo DIR: a small kernel-like repository (Makefile, arch/x86/configs)
  mkdir -p "$1/arch/x86/configs" && cd "$1" && git init -q && git config gc.auto 0
  printf 'VERSION = 6\nPATCHLEVEL = 12\n' > Makefile
  echo "# x86" > arch/x86/configs/x86_64_defconfig
  git add . && git commit -q -m "baseline commit" && cd - > /dev/null
}

# --- yocto-6.12 qemux86-64 standard against the recorded reference -----------
Q=$WORK/q
newrepo "$Q"
base=$(git -C "$Q" rev-parse HEAD)
bsp_args=(--cache "$CACHE" --machine qemux86-64 --type standard --arch x86)
feat_args=(--feature features/netfilter/netfilter.scc --feature cfg/virtio.scc)
"$KMETA" tree -C "$Q" "${bsp_args[@]}" "${feat_args[@]}" > "$WORK/q0.out" 2> "$WORK/q0.err"
check "in-cache BSP: exit 0, nothing to apply" test $? -eq 0
check "in-cache BSP: no patch.queue written (SPEC 1.1: 0 patches queued)" test ! -e "$Q/.kernel-meta/patch.queue"
check "in-cache BSP: HEAD did not move" test "$(git -C "$Q" rev-parse HEAD)" = "$base"
grep -q "0 patches queued" "$WORK/q0.err" || { echo "FAILED: no '0 patches queued' line"; cat "$WORK/q0.err"; fail=1; }
zcat "$GOLD/files.txt.gz" > "$WORK/gold.files"
for features in no yes; do
  rm -rf "$Q/.kernel-meta"
  extra=()
  [ $features = yes ] && extra=("${feat_args[@]}")
  "$KMETA" tree -C "$Q" "${bsp_args[@]}" "${extra[@]}" --external-bsp --json > "$WORK/q.json" 2> "$WORK/q.err"
  rc=$?
  # Every patch of the real BSP misses its file in this small tree: the run
  # stops at the first one, the tree stays at the baseline.
  check "external BSP (features: $features): exit 1 at patch 1, HEAD at the baseline" \
    test $rc -eq 1 -a "$(git -C "$Q" rev-parse HEAD)" = "$base"
  check "external BSP (features: $features): patch.queue equals the reference's (golden, $(wc -l < "$GOLD/patch.queue") patches)" \
    cmp -s "$GOLD/patch.queue" "$Q/.kernel-meta/patch.queue"
  files_listing "$Q/.kernel-meta" > "$WORK/q.files"
  check "external BSP (features: $features): every copied patch equals the reference's ($(wc -l < "$WORK/gold.files") files)" \
    cmp -s "$WORK/gold.files" "$WORK/q.files"
  cmp -s "$WORK/gold.files" "$WORK/q.files" || diff "$WORK/gold.files" "$WORK/q.files" | head -5
  check "external BSP (features: $features): the same top-level files as the reference (patch.queue; series)" \
    test "$(cd "$Q/.kernel-meta" && find . -maxdepth 1 ! -type d | sort | tr '\n' ' ')" = "./patch.queue ./series "
  check "external BSP (features: $features): series -> patch.queue, as do_patch links it" \
    test "$(readlink "$Q/.kernel-meta/series")" = patch.queue
  check "external BSP (features: $features): the JSON names the BSP and 88 patches" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
p = j["patch_pass"]
sys.exit(0 if p["bsp_included"] and p["patches"] == 88 and p["bsp_definition"].endswith("bsp/common-pc-64/common-pc-64-standard.scc") and j["patches"][0]["outcome"] == "file-missing" else 1)' "$WORK/q.json"
done
rm -rf "$Q/.git/kmeta-tree"

# --- a synthetic cache and kernel ---------------------------------------------
C=$WORK/cache
K=$WORK/kernel
mkdir -p "$K" && cd "$K" && git init -q && git config gc.auto 0
lines 1 40 a > a.c; lines 1 40 b > b.c; lines 1 40 m > m.c
mkdir -p arch/x86/configs && echo "# x86" > arch/x86/configs/x86_64_defconfig
git add . && git commit -q -m "baseline commit"
# The patches, made by git format-patch on a scratch clone.
P=$WORK/p
git clone -q "$K" "$P" && cd "$P"
mk() {  # mk OUT DATE SUBJECT
  GIT_AUTHOR_NAME="Ann Author" GIT_AUTHOR_EMAIL=ann@example.com GIT_AUTHOR_DATE="$2" \
    git commit -q -a -m "$3" -m "Body of $3." && mkdir -p "$(dirname "$1")" && git format-patch -q -1 --stdout > "$1"
}
sed -i 's/^m 5$/m 5 bsp/' m.c && mk "$C/bsp/syn/syn-0001-m.patch" "2021-01-01 10:00:00 +0100" "m: the BSP's own change"
sed -i 's/^a 10$/a 10 f1/' a.c && mk "$C/features/f1/f1-0001-a.patch" "2021-01-02 10:00:00 -0500" "a: feature one, first"
sed -i 's/^a 30$/a 30 f1/' a.c && mk "$C/features/f1/f1-0002-a.patch" "2021-01-03 10:00:00 +0000" "a: feature one, second"
sed -i 's/^b 20$/b 20 f2/' b.c && mk "$C/features/f2/f2-0001-b.patch" "2021-01-04 10:00:00 +0530" "b: feature two"
cd "$WORK"
cat > "$C/bsp/syn/syn-standard.scc" <<'EOF'
define KMACHINE syn
define KTYPE standard
define KARCH x86_64
kconf hardware syn.cfg
patch syn-0001-m.patch
include features/f1/f1.scc
EOF
echo "CONFIG_SYN=y" > "$C/bsp/syn/syn.cfg"
sed -e 's/KMACHINE syn$/KMACHINE synx/' -e '$a define KMETA_EXTERNAL_BSP t' \
  "$C/bsp/syn/syn-standard.scc" > "$C/bsp/syn/synx-standard.scc"
printf 'patch f1-0001-a.patch\npatch f1-0002-a.patch\n' > "$C/features/f1/f1.scc"
printf 'patch f2-0001-b.patch\n' > "$C/features/f2/f2.scc"
inc=(-I"$C" -I"$K/arch/x86/configs" -I"$K/kernel/configs")

# ref_pass MACHINE EXTERNAL OUT: the reference spp --find + scc patch pass as
# do_kernel_metadata runs it (BSP injected when EXTERNAL=t), in the kernel tree.
ref_pass() {
  local bsp sccs=()
  bsp=$(cd "$K" && PATH=$TOOLS:$PATH spp "${inc[@]}" --find -DKMACHINE="$1" -DKTYPE=standard)
  { [ "$2" = t ] || grep -q KMETA_EXTERNAL_BSP "$bsp"; } && sccs=("$bsp")
  mkdir -p "$3/cfg/scratch"
  (cd "$K" && PATH=$TOOLS:$PATH scc --force -o "$3:patch" --cmds patch "${inc[@]}" "${sccs[@]}" features/f2/f2.scc) > /dev/null
}
# tree_run NAME MACHINE [ARGS]: kmeta tree with the BSP options on a fresh clone.
tree_run() {
  local name=$1 machine=$2; shift 2
  rm -rf "$WORK/$name" && git clone -q "$K" "$WORK/$name"
  "$KMETA" tree -C "$WORK/$name" --cache "$C" --machine "$machine" --arch x86 --feature features/f2/f2.scc \
    "$@" > "$WORK/$name.out" 2> "$WORK/$name.err"
}
subjects() { git -C "$1" log --format=%s "$(git -C "$K" rev-parse HEAD)..HEAD" | tac | tr '\n' '|'; }
all="m: the BSP's own change|a: feature one, first|a: feature one, second|b: feature two|"
# name, machine, the reference run with KMETA_EXTERNAL_BSPS=t?, how kmeta is
# told, whether the BSP's own patches are expected.
for c in "in-cache syn f - f" "flag syn t --external-bsp t" "env syn t env t" "declared synx f - t"; do
  read -r name machine ext how expect <<< "$c"
  ref_pass "$machine" "$ext" "$WORK/ref.$name"
  case $how in
    -) tree_run "$name" "$machine" ;;
    --external-bsp) tree_run "$name" "$machine" --external-bsp ;;
    env) KMETA_EXTERNAL_BSPS=t tree_run "$name" "$machine" ;;
  esac
  check "$name: kmeta tree exits 0" test $? -eq 0
  [ -s "$WORK/$name.err" ] && grep -v '^kmeta tree: ' "$WORK/$name.err" | head -5
  check "$name: patch.queue and patches/ equal the reference scc patch pass" \
    diff -r --exclude=series --exclude=cfg "$WORK/ref.$name" "$WORK/$name/.kernel-meta"
  want="b: feature two|"
  [ "$expect" = t ] && want=$all
  check "$name: the commits are the queued patches ($want)" test "$(subjects "$WORK/$name")" = "$want"
  check "$name: work tree clean" test -z "$(git -C "$WORK/$name" status --porcelain -- . ':!.kernel-meta')"
done

# kmeta tree <BSP options> == kmeta scc + kmeta tree --kernel-meta (same ids).
S2=$WORK/two
git clone -q "$K" "$S2"
bsp=$(cd "$S2" && "$KMETA" spp "${inc[@]/$K/$S2}" --find -DKMACHINE=syn -DKTYPE=standard)
(cd "$S2" && "$KMETA" scc --force -o "$S2/.kernel-meta:patch" --cmds patch "${inc[@]/$K/$S2}" "$bsp" features/f2/f2.scc > /dev/null)
"$KMETA" tree -C "$S2" --kernel-meta "$S2/.kernel-meta" -q
check "kmeta scc + kmeta tree --kernel-meta: exit 0" test $? -eq 0
check "kmeta tree <BSP options> gives the same 4 commit ids as kmeta scc + kmeta tree --kernel-meta" \
  test "$(git -C "$WORK/flag" rev-list HEAD)" = "$(git -C "$S2" rev-list HEAD)" -a \
  "$(git -C "$S2" rev-list --count HEAD)" -eq 5
check "git fsck clean" git -C "$WORK/flag" fsck --no-dangling --no-progress

# A rerun does nothing; --check writes nothing.
"$KMETA" tree -C "$WORK/flag" --cache "$C" --machine syn --arch x86 --feature features/f2/f2.scc --external-bsp \
  2> "$WORK/rerun.err"
check "a rerun with the same BSP options does nothing" grep -q "already applied" "$WORK/rerun.err"
rm -rf "$WORK/chk" && git clone -q "$K" "$WORK/chk"
"$KMETA" tree -C "$WORK/chk" --cache "$C" --machine syn --arch x86 --feature features/f2/f2.scc --external-bsp \
  --check --json > "$WORK/chk.json" 2> /dev/null
check "--check with BSP options: 4 patches applied in memory" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if j["ok"] and [p["outcome"] for p in j["patches"]] == ["applied"] * 4 else 1)' "$WORK/chk.json"
check "--check with BSP options writes nothing (no .kernel-meta, no journal, HEAD unchanged)" \
  test ! -e "$WORK/chk/.kernel-meta" -a ! -e "$WORK/chk/.git/kmeta-tree/state.json" -a \
  "$(git -C "$WORK/chk" rev-parse HEAD)" = "$(git -C "$K" rev-parse HEAD)"
# Usage errors: BSP options with --kernel-meta; no --arch.
"$KMETA" tree -C "$WORK/chk" --cache "$C" --machine syn --arch x86 --kernel-meta "$WORK/chk" 2> /dev/null
check "--kernel-meta with the BSP options is a usage error" test $? -eq 2
"$KMETA" tree -C "$WORK/chk" --cache "$C" --machine syn 2> /dev/null
check "the patch pass without --arch is a usage error" test $? -eq 2
echo "total test $(python3 -c "print(round($(date +%s.%N)-$t0,1))") s"
exit $fail
