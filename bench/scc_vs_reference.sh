#!/usr/bin/env bash
# kmeta scc/spp against the reference yocto-kernel-tools, side by side.
#
# For a sample of (KMACHINE, KTYPE) combos of the real caches, runs what
# Yocto's do_kernel_metadata runs: spp --find, the scc config pass and the scc
# patch pass, each in a fresh empty $S (as in shared/golden/scc), first with
# kmeta, then (when KMETA_YKT_TOOLS names a yocto-kernel-tools tools/ dir) with
# the reference, and prints wall and CPU (user+sys) seconds and the ratios.
#
#   KMETA            kmeta binary (default: build/kmeta of this checkout)
#   KMETA_YKT_TOOLS  the reference's tools dir (spp, scc, scc-cmds/); absent: kmeta only
#   SCC_BENCH_CACHES colon-separated cache roots (default: shared/data/yocto-kernel-cache/yocto-6.1 and 6.12)
#   SCC_BENCH_SAMPLE number of combos, spread evenly over the caches (default 6; "all" for every combo)
#
# The reference is bash; it is only ever run on the caches named here.
set -uo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "$0")/.." && pwd)
KMETA=${KMETA:-$HERE/build/kmeta}
case $KMETA in /*) ;; *) KMETA=$PWD/$KMETA ;; esac
[ -x "$KMETA" ] || { echo "scc_vs_reference: no kmeta binary at $KMETA (set KMETA)"; exit 2; }
CACHES=${SCC_BENCH_CACHES:-$HERE/../shared/data/yocto-kernel-cache/yocto-6.1:$HERE/../shared/data/yocto-kernel-cache/yocto-6.12}
SAMPLE=${SCC_BENCH_SAMPLE:-6}
REF=${KMETA_YKT_TOOLS:-}
if [ -n "$REF" ] && { [ ! -x "$REF/scc" ] || [ ! -x "$REF/spp" ]; }; then
  echo "scc_vs_reference: KMETA_YKT_TOOLS=$REF has no spp/scc; running kmeta only"
  REF=
fi
[ -n "$REF" ] || echo "reference: absent (set KMETA_YKT_TOOLS to a yocto-kernel-tools tools/ dir to compare)"

W=$(mktemp -d "${TMPDIR:-/tmp}/scc-vs-ref.XXXXXX")
trap 'rm -rf "$W"' EXIT

# Combos: every KMACHINE value of a bsp/**.scc that also defines KTYPE.
: > "$W/combos"
IFS=: read -r -a cache_list <<< "$CACHES"
for k in "${cache_list[@]}"; do
  [ -d "$k/bsp" ] || continue
  k=$(cd "$k" && pwd -P)
  find "$k/bsp" -name '*.scc' | sort | while read -r f; do
    t=$(sed -n 's/^[[:space:]]*define[[:space:]]\+KTYPE[[:space:]]\+\([^[:space:]]*\).*/\1/p' "$f" | head -1)
    [ -n "$t" ] || continue
    sed -n 's/^[[:space:]]*define[[:space:]]\+KMACHINE[[:space:]]\+\([^[:space:]]*\).*/\1/p' "$f" | while read -r m; do
      printf '%s\t%s\t%s\n' "$k" "$m" "$t"
    done
  done >> "$W/combos"
done
total=$(wc -l < "$W/combos")
[ "$total" -gt 0 ] || { echo "scc_vs_reference: no combos found in $CACHES"; exit 2; }
if [ "$SAMPLE" = all ] || [ "$SAMPLE" -ge "$total" ]; then
  cp "$W/combos" "$W/sample"
else
  awk -v n="$total" -v s="$SAMPLE" 'BEGIN { srand(1) } { if (int((NR - 1) * s / n) != int(NR * s / n)) print }' \
    "$W/combos" > "$W/sample"
fi

# timed OUT_PREFIX CMD... : appends "wall cpu" of the command to OUT_PREFIX.t
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$out.time" "$@" > "$out.stdout" 2> "$out.stderr"
  awk '{ printf "%s %.3f\n", $1, $2 + $3 }' "$out.time" >> "$out.t"
}

# combo TOOL(kmeta|ref) CACHE M T DIR: the three steps; prints "wall cpu" summed
combo() {
  local tool=$1 k=$2 m=$3 t=$4 d=$5 bsp s
  mkdir -p "$d/find" "$d/config/S/.kernel-meta/cfg/scratch" "$d/patch/S/.kernel-meta/cfg/scratch"
  : > "$d/x.t"
  if [ "$tool" = kmeta ]; then
    (cd "$d/find" && timed "$d/x" "$KMETA" spp -I"$k" --find -DKMACHINE="$m" -DKTYPE="$t")
  else
    (cd "$d/find" && PATH=$REF:$PATH timed "$d/x" spp -I"$k" --find -DKMACHINE="$m" -DKTYPE="$t")
  fi
  bsp=$(cat "$d/x.stdout")
  [ -n "$bsp" ] || { echo "0 0"; return; }
  for pass in config patch; do
    s=$d/$pass/S
    local args=(--force -o "$s/.kernel-meta:cfg,merge,meta" -I"$k" "$bsp")
    [ $pass = patch ] && args=(--force -o "$s/.kernel-meta:patch" --cmds patch -I"$k" "$bsp")
    if [ "$tool" = kmeta ]; then
      (cd "$s" && timed "$d/x" "$KMETA" scc "${args[@]}")
    else
      (cd "$s" && PATH=$REF:$PATH timed "$d/x" scc "${args[@]}")
    fi
  done
  awk '{ w += $1; c += $2 } END { printf "%.3f %.3f\n", w, c }' "$d/x.t"
}

printf '%-34s %-11s | %15s | %15s | %s\n' combo cache "kmeta wall/cpu" "ref wall/cpu" "ratio wall/cpu"
n=0
: > "$W/sums"
while IFS=$'\t' read -r k m t; do
  n=$((n + 1))
  read -r kw kc < <(combo kmeta "$k" "$m" "$t" "$W/$n/kmeta")
  rw=- rc=- ratio=-
  if [ -n "$REF" ]; then
    read -r rw rc < <(combo ref "$k" "$m" "$t" "$W/$n/ref")
    ratio=$(awk -v a="$rw" -v b="$kw" -v c="$rc" -v d="$kc" 'BEGIN { printf "%.0fx / %.0fx", a / (b > 0 ? b : 0.001), c / (d > 0 ? d : 0.001) }')
  fi
  printf '%-34s %-11s | %6s / %6s | %6s / %6s | %s\n' "$m--$t" "$(basename "$k")" "$kw" "$kc" "$rw" "$rc" "$ratio"
  echo "$kw $kc $rw $rc" >> "$W/sums"
done < "$W/sample"

awk -v ref="$REF" '{ kw += $1; kc += $2; if ($3 != "-") { rw += $3; rc += $4 } }
  END {
    printf "total (%d combos): kmeta %.2f s wall, %.2f s cpu", NR, kw, kc
    if (ref != "") printf "; reference %.1f s wall, %.1f s cpu; kmeta is %.0fx faster (wall), %.0fx (cpu)", rw, rc, rw / kw, rc / kc
    printf "\n" }' "$W/sums"
