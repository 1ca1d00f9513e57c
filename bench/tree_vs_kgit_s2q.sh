#!/usr/bin/env bash
# kmeta tree against the reference do_patch (kgit-s2q), side by side, on
# Debian's linux-source-6.12 made into a repository as do_kernel_checkout
# makes it and the qemux86-64 series with the BSP injected.
#
#   bench/tree_vs_kgit_s2q.sh [standard|preempt-rt]     (default standard)
#
#   KMETA          kmeta binary (default build/kmeta)
#   KMETA_SHARED   shared dir (default ../shared); KMETA_KERNELS (default ~/.cache/kmeta/kernels)
#   TREE_BENCH_REF=0  skip the reference run (kmeta only)
#
# Both runs go to the end of the series: the reference by rerunning do_patch
# after each failure (its fence post skips the failed patch), kmeta by
# `kmeta tree` then `kmeta tree --skip` after each stop. Reports wall and
# CPU time, patches/s and the ratio, and whether the commit chains are equal.
set -uo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "$0")/.." && pwd)
KMETA=${KMETA:-$HERE/build/kmeta}
case $KMETA in /*) ;; *) KMETA=$PWD/$KMETA ;; esac
KMETA_SHARED=${KMETA_SHARED:-$HERE/../shared}
KTYPE=${1:-standard}
. "$HERE/tests/lib/tree_setup.sh"
if ! reason=$(tree_prereqs); then echo "tree_vs_kgit_s2q: $reason"; exit 2; fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
S=$WORK/S
echo "setting up $S (copy + baseline commit + patch pass, a few minutes)"
tree_make_base "$S" && tree_patch_pass "$S" "$KTYPE" || exit 1
(cd "$S/.kernel-meta" && ln -sf patch.queue series)
n=$(grep -c . "$S/.kernel-meta/patch.queue")
echo "series: qemux86-64 $KTYPE, $n patches; load average $(cut -d' ' -f1-3 /proc/loadavg)"

cpu() { awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat; }  # utime+stime+children, in ticks
hz=$(getconf CLK_TCK)
ref_wall=; ref_cpu=
if [ "${TREE_BENCH_REF:-1}" != 0 ]; then
  c0=$(cpu); t0=$(date +%s.%N)
  tree_reference_run "$S" "$WORK/ref"
  t1=$(date +%s.%N); c1=$(cpu)
  ref_wall=$(python3 -c "print($t1-$t0)"); ref_cpu=$(python3 -c "print(($c1-$c0)/$hz)")
  git -C "$S" rev-list --reverse refs/research/baseline..HEAD > "$WORK/ref.chain"
  tree_reset "$S"
fi
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 SOURCE_DATE_EPOCH=1700000000
export GIT_COMMITTER_NAME=OpenEmbedded GIT_COMMITTER_EMAIL=kernel-yocto@oe
c0=$(cpu); t0=$(date +%s.%N)
"$KMETA" tree -C "$S" -q; rc=$?
stops=0
while [ $rc -eq 1 ] && [ $stops -lt 40 ]; do stops=$((stops + 1)); "$KMETA" tree -C "$S" -q --skip 2>/dev/null; rc=$?; done
t1=$(date +%s.%N); c1=$(cpu)
k_wall=$(python3 -c "print($t1-$t0)"); k_cpu=$(python3 -c "print(($c1-$c0)/$hz)")
git -C "$S" rev-list --reverse refs/research/baseline..HEAD > "$WORK/kmeta.chain"
echo
printf '%-22s %10s %10s %12s\n' "" "wall s" "cpu s" "patches/s"
if [ -n "$ref_wall" ]; then
  printf '%-22s %10.2f %10.2f %12.2f\n' "kgit-s2q (reference)" "$ref_wall" "$ref_cpu" "$(python3 -c "print($n/$ref_wall)")"
fi
printf '%-22s %10.2f %10.2f %12.1f\n' "kmeta tree" "$k_wall" "$k_cpu" "$(python3 -c "print($n/$k_wall)")"
echo "kmeta stopped $stops time(s) (failed patches, each rerun with --skip)"
if [ -n "$ref_wall" ]; then
  echo "ratio (wall): $(python3 -c "print(round($ref_wall/$k_wall,1))")x   ratio (cpu): $(python3 -c "print(round($ref_cpu/max($k_cpu,0.01),1))")x"
  if cmp -s "$WORK/ref.chain" "$WORK/kmeta.chain"; then echo "commit chains: identical ($(wc -l < "$WORK/ref.chain") commits)";
  else echo "commit chains: DIFFER"; fi
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "work tree clean: $([ -z "$(git -C "$S" status --porcelain -- . ':!.kernel-meta' ':!.metadir')" ] && echo yes || echo NO)"
