#!/usr/bin/env bash
# Records the reference kgit-s2q's outcome for golden.tree_reference
# (tests/tree_reference.sh): one baseline repository made from the kernel tree
# as do_kernel_checkout makes it, then for each KTYPE the patch pass with the
# BSP injected and the reference do_patch skip-and-continue to the end of the
# series, written to tests/tree_reference/<ktype>/ (README.md there says what
# each file holds). Runs the reference for minutes per series.
#
#   tests/tree_reference/record.sh [KTYPE...]     (default: standard preempt-rt)
#   KMETA (binary for the patch pass, default build/kmeta), KMETA_SHARED, KMETA_KERNELS
set -uo pipefail
export LC_ALL=C TZ=UTC
SRC=$(cd "$(dirname "$0")/../.." && pwd)
KMETA=${KMETA:-$SRC/build/kmeta}
KMETA_SHARED=${KMETA_SHARED:-$SRC/../shared}
. "$SRC/tests/lib/tree_setup.sh"
if ! reason=$(tree_prereqs); then echo "record.sh: $reason" >&2; exit 2; fi
[ $# -gt 0 ] || set -- standard preempt-rt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
S=$WORK/S
t0=$(date +%s)
tree_make_base "$S" || { echo "record.sh: baseline failed" >&2; exit 1; }
echo "baseline $(git -C "$S" rev-parse HEAD) ($(( $(date +%s) - t0 )) s)"
for ktype in "$@"; do
  tree_reset "$S"
  rm -rf "$S/.kernel-meta" "$S/.metadir"
  tree_patch_pass "$S" "$ktype" || { echo "record.sh: patch pass failed for $ktype" >&2; exit 1; }
  (cd "$S/.kernel-meta" && ln -sf patch.queue series)
  out=$SRC/tests/tree_reference/$ktype
  t1=$(date +%s)
  tree_reference_record "$S" "$out" "$ktype" || { echo "record.sh: recording $ktype failed" >&2; exit 1; }
  echo "$ktype: $(wc -l < "$out/outcomes") patches, $(grep -c ' failed ' "$out/outcomes") failed, $(wc -l < "$out/chain") commits, $(( $(date +%s) - t1 )) s"
done
