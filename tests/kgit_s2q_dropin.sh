#!/usr/bin/env bash
# `kmeta kgit-s2q` against yocto-kernel-tools' kgit-s2q (git >= 2.40 semantics
# through the harness's shim/git), on a small repository and series of our
# own, both run with do_patch's environment (reproducible identity,
# SOURCE_DATE_EPOCH) and command line (`--gen -v --commit-sha author
# --patches .kernel-meta/`):
#   - a clean series (as written, offsets, a patch only `git am -C1` applies,
#     new/deleted file and a mode change): exit 0 both, the same commit ids,
#     the same (n/N) and [INFO] lines; again with the script's default
#     --commit-sha (applied);
#   - a series with a conflicting patch: exit 1 both, HEAD at the same commit,
#     index and work tree clean, the same progress and [ERROR] lines; then
#     `-- <next patch>` in both: the same commits to the end;
#   - --series output, a missing series file, a missing patch file, --author
#     for a patch without one.
# The deliberate difference is checked too: a rerun after the failure retries
# the failed patch (the script's fence post skips it).
set -uo pipefail
export LC_ALL=C TZ=UTC
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
KMETA_SHARED=${KMETA_SHARED:-$SRC/../shared}
TOOLS=$KMETA_SHARED/reference/yocto-kernel-tools/tools
HARNESS=$KMETA_SHARED/docs/tree/harness
[ -x "$TOOLS/kgit-s2q" ] || { echo "SKIP: no reference tools at $TOOLS"; exit 77; }
[ -x "$HARNESS/shim/git" ] || { echo "SKIP: no harness shim at $HARNESS/shim"; exit 77; }
command -v diffstat > /dev/null || { echo "SKIP: diffstat is not installed (the reference kgit-s2q needs it)"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAILED: $1"; fail=1; fi; }

export KMETA_REF_TOOLS=$TOOLS
# shellcheck disable=SC1091
. "$HARNESS/env.sh"
reproducible_git_committer_author
export PATH="$HARNESS/shim:$PATH"
[ "$(git --version)" ] || exit 1

# --- the series: patches made by git format-patch on a drifted copy ---------
lines() { seq "$1" "$2" | sed "s/^/$3 /"; }
M=$WORK/M
mkdir -p "$M" && cd "$M" && git init -q && git config user.name M && git config user.email m@m
{ lines 1 5 "drift"; lines 1 40 "alpha"; echo "int conflict = 1;"; lines 41 60 "alpha"; } > a.c
{ lines 1 30 "beta"; echo "context changed upstream"; lines 31 60 "beta"; } > b.c
lines 1 10 "gone" > e.txt
printf '#!/bin/sh\necho hi\n' > run.sh
git add . && git commit -q -m base
mk() {  # mk NAME DATE SUBJECT: commit what is staged and format it
  GIT_AUTHOR_NAME="Ann Author" GIT_AUTHOR_EMAIL=ann@example.com GIT_AUTHOR_DATE="$2" \
    git commit -q -m "$3" -m "Body of $3." && git format-patch -q -1 --stdout > "$WORK/$1.patch"
}
sed -i 's/^alpha 10$/alpha 10 changed/' a.c && git add a.c && mk offset "2021-02-22 09:53:04 -0500" "a: change line 10"
sed -i 's/^beta 33$/beta 33 changed/' b.c && git add b.c && mk reduced "2020-01-01 12:00:00 +0100" "b: change line 33"
sed -i 's/^alpha 50$/alpha 50 changed/' a.c && git add a.c && mk plain "2019-05-05 05:05:05 +0000" "a: change line 50"
printf 'new\n' > d.txt && git rm -q e.txt && chmod +x run.sh && git add d.txt run.sh &&
  mk files "2018-03-03 03:03:03 +0530" "files: add d, remove e, run.sh executable"
sed -i 's/^int conflict = 1;$/int conflict = 2;/' a.c && git add a.c && mk conflict "2017-07-07 07:07:07 -0700" "a: conflict"
lines 1 3 "x" > x.txt && git add x.txt &&
  GIT_AUTHOR_DATE="2016-06-06 06:06:06 +0000" git commit -q -m "x: add" &&
  git format-patch -q -1 --stdout | sed '/^From: /d' > "$WORK/noauthor.patch"
grep -q '^From: ' "$WORK/noauthor.patch" && { echo "FAILED: set-up (noauthor still has From:)"; exit 1; }

# --- the kernel-like repository, as do_kernel_checkout makes it -------------
B=$WORK/base
mkdir -p "$B" && cd "$B" && git init -q && git config gc.auto 0
{ lines 1 40 "alpha"; echo "int conflict = 3;"; lines 41 60 "alpha"; } > a.c
{ lines 1 30 "beta"; echo "context as shipped"; lines 31 60 "beta"; } > b.c
lines 1 10 "gone" > e.txt
printf '#!/bin/sh\necho hi\n' > run.sh
check_git_config
git add . && git commit -q -n -m "baseline commit: creating repo for linux-yocto-6.12.118"
mkdir -p .kernel-meta/patches/p
cp "$WORK"/*.patch .kernel-meta/patches/p/

# run SIDE CASE SERIES [ARGS...]: a fresh copy of the base, the series written
# to .kernel-meta/series, then kgit-s2q (SIDE=ref) or kmeta kgit-s2q (SIDE=kmeta)
# as do_patch runs it. Leaves $WORK/CASE.SIDE/{out,err,rc,head,chain}.
run() {
  local side=$1 case=$2 series=$3; shift 3
  local d=$WORK/$case.$side
  rm -rf "$d" && cp -a "$B" "$d"
  printf '%s\n' $series | sed 's|^|patches//p/|; s|$|.patch|' > "$d/.kernel-meta/series"
  rerun "$side" "$case" "$@"
}
rerun() {  # rerun SIDE CASE [ARGS...]: once more in the same copy
  local side=$1 case=$2; shift 2
  local d=$WORK/$case.$side
  if [ "$side" = ref ]; then
    (cd "$d" && kgit-s2q "$@") > "$d.out" 2> "$d.err"
  else
    (cd "$d" && "$KMETA" kgit-s2q "$@") > "$d.out" 2> "$d.err"
  fi
  echo $? > "$d.rc"
  git -C "$d" rev-parse HEAD > "$d.head"
  git -C "$d" rev-list HEAD > "$d.chain"
}
same() {  # same CASE FILE-SUFFIX
  cmp -s "$WORK/$1.ref.$2" "$WORK/$1.kmeta.$2" ||
    { echo "  reference $2:"; sed 's/^/    /' "$WORK/$1.ref.$2" | head -20
      echo "  kmeta $2:"; sed 's/^/    /' "$WORK/$1.kmeta.$2" | head -20; return 1; }
}
progress() {  # the lines the script prints for every patch
  grep -E '^\([0-9]+/[0-9]+\) |^\[INFO\]: (check of|Context reduced)|^\[ERROR\]: (Application of|patch )' "$1"
}
both() {  # both CASE SERIES [ARGS...]
  run ref "$@"; run kmeta "$@"
  progress "$WORK/$1.ref.out" > "$WORK/$1.ref.progress"
  progress "$WORK/$1.kmeta.out" > "$WORK/$1.kmeta.progress"
}
clean() { test -z "$(git -C "$WORK/$1" status --porcelain --untracked-files=no)"; }
DO_PATCH=(--gen -v --commit-sha author --patches .kernel-meta/)

both clean "offset reduced plain files" "${DO_PATCH[@]}"
check "clean series: exit 0 both" test "$(cat "$WORK/clean.ref.rc") $(cat "$WORK/clean.kmeta.rc")" = "0 0"
check "clean series: the same 4 commit ids" same clean chain
check "clean series: 4 commits on the base" test "$(wc -l < "$WORK/clean.ref.chain")" -eq 5
check "clean series: the same (n/N) and [INFO] lines" same clean progress
check "clean series: -C1 was needed (the [INFO] line is there)" grep -q 'trying reduced context' "$WORK/clean.ref.progress"
check "clean series: index and work tree clean (kmeta)" clean clean.kmeta
check "clean series: the same files" test "$(git -C "$WORK/clean.ref" rev-parse 'HEAD^{tree}')" = \
  "$(git -C "$WORK/clean.kmeta" rev-parse 'HEAD^{tree}')"

both applied "offset reduced plain files" --gen -v --patches .kernel-meta/
check "default --commit-sha (applied): exit 0 both, the same commit ids" \
  eval 'test "$(cat "$WORK/applied.ref.rc")$(cat "$WORK/applied.kmeta.rc")" = 00 && same applied chain'
check "default --commit-sha differs from author (committer dates)" \
  test "$(cat "$WORK/applied.ref.head")" != "$(cat "$WORK/clean.ref.head")"

both failing "plain conflict files" "${DO_PATCH[@]}"
check "failing series: exit 1 both" test "$(cat "$WORK/failing.ref.rc") $(cat "$WORK/failing.kmeta.rc")" = "1 1"
check "failing series: HEAD at the same commit (the patch before the failure)" same failing head
check "failing series: the same progress and [ERROR] lines" same failing progress
check "failing series: index and work tree clean (reference)" clean failing.ref
check "failing series: index and work tree clean (kmeta)" clean failing.kmeta
rerun ref failing "${DO_PATCH[@]}" -- patches//p/files.patch
rerun kmeta failing "${DO_PATCH[@]}" -- patches//p/files.patch
check "-- <next patch> after the failure: exit 0 both, the same commit ids" \
  eval 'test "$(cat "$WORK/failing.ref.rc")$(cat "$WORK/failing.kmeta.rc")" = 00 && same failing chain'

# The deliberate difference: a plain rerun after the failure.
run kmeta retry "plain conflict files" "${DO_PATCH[@]}"
h=$(cat "$WORK/retry.kmeta.head")
rerun kmeta retry "${DO_PATCH[@]}"
check "kmeta: a rerun retries the failed patch (exit 1, HEAD unchanged)" \
  test "$(cat "$WORK/retry.kmeta.rc")" = 1 -a "$(cat "$WORK/retry.kmeta.head")" = "$h"
check "kmeta: the rerun names the failed patch again" grep -q 'Application of .*conflict.patch failed' "$WORK/retry.kmeta.out"
run ref skip "plain conflict files" "${DO_PATCH[@]}"
rerun ref skip "${DO_PATCH[@]}"
check "(the reference's rerun starts after the failed patch and exits 0)" test "$(cat "$WORK/skip.ref.rc")" = 0

rerun ref skip "${DO_PATCH[@]}" -- patches//p/nowhere.patch
rerun kmeta retry "${DO_PATCH[@]}" -- patches//p/nowhere.patch
check "-- PATCH naming no entry: kmeta exit 1 (the reference applies nothing, exit $(cat "$WORK/skip.ref.rc"))" \
  test "$(cat "$WORK/retry.kmeta.rc")" = 1
grep -q "nowhere.patch is not in the series" "$WORK/retry.kmeta.err" || { echo "FAILED: the error names the patch"; fail=1; }

both series "offset plain" --series --patches .kernel-meta/
check "--series: the same output, exit 0" eval 'same series out && same series rc'

both noseries "plain" "${DO_PATCH[@]}"
rm -f "$WORK/noseries.ref/.kernel-meta/series" "$WORK/noseries.kmeta/.kernel-meta/series"
rerun ref noseries "${DO_PATCH[@]}"; rerun kmeta noseries "${DO_PATCH[@]}"
check "missing series file: exit 1 both" eval 'test "$(cat "$WORK/noseries.kmeta.rc")" = 1 && same noseries rc'
check "missing series file: the same [ERROR] line" eval 'grep "^\[ERROR\]" "$WORK/noseries.ref.out" > "$WORK/noseries.ref.e"; grep "^\[ERROR\]" "$WORK/noseries.kmeta.out" > "$WORK/noseries.kmeta.e"; same noseries e'

both nofile "plain absent offset" "${DO_PATCH[@]}"
check "missing patch file: exit 1 both, HEAD at the same commit" \
  eval 'test "$(cat "$WORK/nofile.kmeta.rc")" = 1 && same nofile rc && same nofile head'
check "missing patch file: the same progress and [ERROR] lines" same nofile progress

both author "noauthor" "${DO_PATCH[@]}" --author "Quilt Person <quilt@example.com>"
check "--author for a patch without one: exit 0 both" eval 'test "$(cat "$WORK/author.kmeta.rc")" = 0 && same author rc'
check "--author: the same commit id" same author chain
check "--author: the same author" test "$(git -C "$WORK/author.ref" log -1 --format='%an <%ae>')" = \
  "$(git -C "$WORK/author.kmeta" log -1 --format='%an <%ae>')"
check "--author: the author is the one given" test "$(git -C "$WORK/author.kmeta" log -1 --format='%an <%ae>')" = \
  "Quilt Person <quilt@example.com>"
check "--author: the same tree and message" test "$(git -C "$WORK/author.ref" log -1 --format='%T %B')" = \
  "$(git -C "$WORK/author.kmeta" log -1 --format='%T %B')"
check "--author: the same committer and committer date" test "$(git -C "$WORK/author.ref" log -1 --format='%cn <%ce> %cd')" = \
  "$(git -C "$WORK/author.kmeta" log -1 --format='%cn <%ce> %cd')"

(cd "$WORK/clean.kmeta" && "$KMETA" kgit-s2q --author "no address" > /dev/null 2>&1); rc=$?
(cd "$WORK/clean.ref" && kgit-s2q --author "no address" > /dev/null 2>&1); rrc=$?
check "malformed --author: exit $rrc both" test $rc -eq $rrc
exit $fail
