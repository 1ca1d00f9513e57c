#!/usr/bin/env bash
# kmeta build vs the same make by hand, on the same config, side by side:
#   1. a full build in a fresh O= dir: `make ...` by hand, then `kmeta build`
#      (order alternated over ROUNDS), ratio of wall times = kmeta's overhead;
#   2. the incremental no-change rebuild in each dir (REBUILDS times each).
# Both use the same compiler command (CC="ccache <cross>gcc", as kmeta does
# by default), the same reproducible environment and -j, so they do the same
# work: warm ccache after the first round, like any developer machine.
#
#   bench/build_vs_make.sh [ARCH [CONFIG [TARGETS]]]
# Defaults: arm64, ../shared/fixtures/kernels/arm64/config, "Image modules dtbs".
# Env: KMETA (default build/kmeta), KMETA_KERNELS, ROUNDS (2), REBUILDS (3),
# WARMUP (1); CCACHE_DISABLE=1 times full compiles on both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
KMETA=${KMETA:-$PWD/build/kmeta}
ARCH=${1:-arm64}
CFG=$(realpath "${2:-../shared/fixtures/kernels/$ARCH/config}")
TARGETS=${3:-Image modules dtbs}
SRC=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}/linux-6.12
ROUNDS=${ROUNDS:-2}
REBUILDS=${REBUILDS:-3}
case $ARCH in
  arm64) KARCH=arm64 CROSS=aarch64-linux-gnu- IMAGE=arch/arm64/boot/Image ;;
  x86_64) KARCH=x86_64 CROSS= IMAGE=arch/x86/boot/bzImage ;;
  *) echo "ARCH: arm64 or x86_64" >&2; exit 2 ;;
esac
command -v ccache > /dev/null || { echo "build_vs_make: ccache is missing (scripts/setup.sh installs it)"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT
J=$(nproc)
EPOCH=$(stat -c %Y "$SRC/Makefile")
TS=$(LC_ALL=C date -u -d "@$EPOCH" '+%a %b %e %H:%M:%S UTC %Y')
now() { date +%s.%N; }

by_hand() {  # dir
  # Copy once: a fresh .config mtime makes kbuild re-run syncconfig (kmeta
  # rewrites .config only when its bytes change).
  mkdir -p "$1" && { [ -f "$1/.config" ] || cp "$CFG" "$1/.config"; }
  KBUILD_BUILD_TIMESTAMP="$TS" KBUILD_BUILD_USER=kmeta KBUILD_BUILD_HOST=kmeta KBUILD_BUILD_VERSION=1 \
  SOURCE_DATE_EPOCH=$EPOCH LC_MESSAGES=C \
    make -C "$SRC" O="$1" ARCH=$KARCH ${CROSS:+CROSS_COMPILE=$CROSS} CC="ccache ${CROSS}gcc" HOSTCC="ccache gcc" \
    -j"$J" $TARGETS >"$1.log" 2>&1
}
with_kmeta() {  # dir
  local t=()
  [ "$TARGETS" = "Image modules dtbs" ] || for x in $TARGETS; do t+=(--target "$x"); done
  "$KMETA" build --kernel "$SRC" --arch "$ARCH" --config "$CFG" -o "$1" --no-install -j"$J" --progress plain -q \
    "${t[@]}" 2>"$1.err"
}
child_cpu() {  # var: user+sys seconds of every child this shell has waited for so far
  times > "$T/times"  # the builtin in this shell, not in a $(...) subshell
  printf -v "$1" '%s' "$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); n += p[1] * 60 + p[2] } print n }' "$T/times")"
}
timed() {  # var, command... ; also sets <var>_cpu (user+sys of the command's processes)
  local v=$1; shift
  local s c0 c1; s=$(now); child_cpu c0; "$@"
  printf -v "$v" '%.2f' "$(echo "$(now) - $s" | bc -l)"
  child_cpu c1
  printf -v "${v}_cpu" '%.2f' "$(echo "$c1 - $c0" | bc -l)"
}

echo "config $CFG, ARCH=$ARCH, targets: $TARGETS, -j$J, $ROUNDS rounds, load average $(cut -d' ' -f1-3 /proc/loadavg)"
tm=0 tk=0 cm=0 ck=0
# One untimed build first, so ccache is equally warm for every timed one (else
# the first round's first side pays the compiles and the second side hits).
# WARMUP=0 skips it (e.g. with CCACHE_DISABLE=1: every build compiles everything).
if [ "${WARMUP:-1}" != 0 ]; then
  timed w by_hand "$T/warm"
  echo "warm-up (by hand, untimed for the ratio): ${w}s (cpu ${w_cpu}s)"
  rm -rf "$T/warm"
fi
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$T/make" "$T/kmeta"
  if [ $((r % 2)) = 1 ]; then timed a by_hand "$T/make"; timed b with_kmeta "$T/kmeta"
  else timed b with_kmeta "$T/kmeta"; timed a by_hand "$T/make"; fi
  echo "round $r: make by hand ${a}s (cpu ${a_cpu}s), kmeta build ${b}s (cpu ${b_cpu}s)"
  tm=$(echo "$tm + $a" | bc -l); tk=$(echo "$tk + $b" | bc -l)
  cm=$(echo "$cm + $a_cpu" | bc -l); ck=$(echo "$ck + $b_cpu" | bc -l)
done
# The outputs from both sides, byte for byte (with CCACHE_DISABLE=1, two
# independent compiles of every object: the compiler's determinism too).
for f in vmlinux "$IMAGE"; do
  [ -f "$T/make/$f" ] || continue
  if cmp "$T/make/$f" "$T/kmeta/$f"; then echo "$f identical from both ($(sha256sum < "$T/make/$f" | cut -c1-16)...)"
  else echo "$f DIFFERS between the two builds"; fi
done
printf 'full build: make %.2fs, kmeta %.2fs, wall ratio %.3f; cpu make %.2fs, kmeta %.2fs, cpu ratio %.3f\n' \
  "$tm" "$tk" "$(echo "$tk / $tm" | bc -l)" "$cm" "$ck" "$(echo "$ck / $cm" | bc -l)"

rm_=0 rk=0 rcm=0 rck=0
for i in $(seq 1 "$REBUILDS"); do
  timed a by_hand "$T/make"; timed b with_kmeta "$T/kmeta"
  echo "no-change rebuild $i: make ${a}s (cpu ${a_cpu}s), kmeta ${b}s (cpu ${b_cpu}s)"
  rm_=$(echo "$rm_ + $a" | bc -l); rk=$(echo "$rk + $b" | bc -l)
  rcm=$(echo "$rcm + $a_cpu" | bc -l); rck=$(echo "$rck + $b_cpu" | bc -l)
done
printf 'no-change rebuild (mean): make %.2fs, kmeta %.2fs, wall ratio %.3f; cpu make %.2fs, kmeta %.2fs\n' \
  "$(echo "$rm_ / $REBUILDS" | bc -l)" "$(echo "$rk / $REBUILDS" | bc -l)" "$(echo "$rk / $rm_" | bc -l)" \
  "$(echo "$rcm / $REBUILDS" | bc -l)" "$(echo "$rck / $REBUILDS" | bc -l)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
