#!/usr/bin/env bash
# The whole configure step for qemux86-64 standard on Linux 6.12 (yocto-6.12
# cache, the KERNEL_FEATURES openembedded-core adds for that machine), timed:
#
#   kmeta:      `kmeta config ... -o BUILD` with a warm probe cache (one
#               untimed run first), best and median of $RUNS runs;
#   reference:  what kernel-yocto.bbclass runs (spp --find, scc config pass,
#               merge_config.sh, three symbol_why.py runs), when
#               KMETA_YKT_TOOLS names a yocto-kernel-tools tools/ directory.
#               Otherwise the timings recorded with the goldens are quoted.
#
# Env: KMETA (binary, default build/kmeta), KMETA_SHARED (default ../shared),
# KMETA_KERNELS (default ~/.cache/kmeta/kernels), RUNS (default 5),
# KMETA_BASELINE (another kmeta binary, e.g. a build of the previous commit:
# timed alternately with KMETA, run for run, so both see the same load; its
# .config must be identical).
# Targets: kmeta <= 0.3 s warm, >= 100x faster than the reference; issue #14:
# <= 0.1 s warm.
set -uo pipefail
cd "$(dirname "$0")/.."
KMETA=${KMETA:-build/kmeta}
SHARED=${KMETA_SHARED:-$(cd ../shared 2>/dev/null && pwd)}
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
RUNS=${RUNS:-5}
KSRC=$KERNELS/linux-6.12
KCACHE=$SHARED/data/yocto-kernel-cache/yocto-6.12
FEATURES="features/netfilter/netfilter.scc cfg/virtio.scc features/drm-bochs/drm-bochs.scc cfg/net/mdio.scc cfg/sound.scc cfg/paravirt_kvm.scc"
GOLDEN=$SHARED/golden/config/linux-6.12--qemux86-64-standard

for need in "$KMETA" "$KSRC/Makefile" "$KCACHE/bsp" "$GOLDEN/expected.config"; do
  if [ ! -e "$need" ]; then echo "config_vs_reference: missing $need"; exit 77; fi
done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc; }

# --- kmeta -------------------------------------------------------------------------
args=(config --cache "$KCACHE" --machine qemux86-64 --type standard --kernel "$KSRC" --arch x86 -o "$WORK/B" -q)
for f in $FEATURES; do args+=(--feature "$f"); done
# The golden's environment: PATH=$YKT:/usr/sbin:/usr/bin:/sbin:/bin (a rustc or
# compiler elsewhere on PATH would change the probes and the .config).
KENV=(env PATH=/usr/sbin:/usr/bin:/sbin:/bin)
"${KENV[@]}" "$KMETA" "${args[@]}" > /dev/null   # warms the probe cache
BASELINE=${KMETA_BASELINE:-}
bargs=()  # the same arguments, with its own build directory
for a in "${args[@]}"; do [ "$a" = "$WORK/B" ] && a=$WORK/BB; bargs+=("$a"); done
[ -n "$BASELINE" ] && "${KENV[@]}" "$BASELINE" "${bargs[@]}" > /dev/null
times=() cpus=() btimes=() bcpus=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %U %S' -o "$WORK/time" "${KENV[@]}" "$KMETA" "${args[@]}" > "$WORK/audit.txt"
  read -r wall user sys < "$WORK/time"
  times+=("$wall"); cpus+=("$(echo "$user + $sys" | bc)")
  if [ -n "$BASELINE" ]; then
    /usr/bin/time -f '%e %U %S' -o "$WORK/time" "${KENV[@]}" "$BASELINE" "${bargs[@]}" > /dev/null
    read -r wall user sys < "$WORK/time"
    btimes+=("$wall"); bcpus+=("$(echo "$user + $sys" | bc)")
  fi
done
if [ -n "$BASELINE" ]; then
  bsorted=$(printf '%s\n' "${btimes[@]}" | sort -n)
  bsame=no; cmp -s "$WORK/B/.config" "$WORK/BB/.config" && bsame=yes
  printf 'baseline %s (alternating with kmeta): wall best %.3f s, median %.3f s; CPU median %.3f s; .config identical: %s\n' \
    "$BASELINE" "$(echo "$bsorted" | head -1)" "$(echo "$bsorted" | sed -n "$(( (RUNS + 1) / 2 ))p")" \
    "$(printf '%s\n' "${bcpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")" "$bsame"
fi
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
# The golden's truth for this tree (the recording, or the reference flow run live
# when the tree or toolchain is not the one it was recorded with).
truth_line=$(bash tests/lib/golden_truth.sh "$GOLDEN" "$KSRC" "$WORK/truth")
truth=${truth_line%%$'\t'*}
same=no; cmp -s "$WORK/B/.config" "$truth/expected.config" && same=yes
printf 'kmeta config (warm probe cache): wall best %.3f s, median %.3f s; CPU (user+sys) median %.3f s; %d runs; load average %s\n' \
  "$best" "$median" "$cpu" "$RUNS" "$(cut -d' ' -f1 /proc/loadavg)"
echo "  .config identical to the golden's truth (${truth_line#*$'\t'}): $same"
"${KENV[@]}" "$KMETA" "${args[@]}" --timings 2>&1 >/dev/null | sed 's/^/    /'

# --- reference ---------------------------------------------------------------------
if [ -z "${KMETA_YKT_TOOLS:-}" ] || [ ! -x "${KMETA_YKT_TOOLS}/scc" ]; then
  echo "reference: KMETA_YKT_TOOLS (a yocto-kernel-tools tools/ directory) is not set; timings recorded"
  echo "  with the goldens (2 cores): spp --find 2.9 s, scc passes 9.8 s, merge_config.sh 11.4 s,"
  echo "  three symbol_why.py runs 9.0 s: about 36 s"
  printf 'speed-up against the recorded 36 s: %.0fx (median)\n' "$(echo "36 / $median" | bc -l)"
  exit 0
fi

YKT=$KMETA_YKT_TOOLS
S=$WORK/S
# A private kernel tree (hard links when possible): merge_config.sh and scc write into it.
cp -al "$KSRC" "$S" 2>/dev/null || cp -a "$KSRC" "$S"
mkdir -p "$S/.kernel-meta/cfg/scratch" "$WORK/RB"
# The goldens' environment (reference/commands.txt).
export PATH="$YKT:/usr/sbin:/usr/bin:/sbin:/bin" LC_ALL=C
inc=(-I"$KCACHE" -I"$S/arch/x86/configs" -I"$S/kernel/configs")
total=0
step() {  # name, command...
  local name=$1; shift
  local t; t=$(now)
  (cd "$S" && "$@") > "$WORK/$name.out" 2>&1
  local rc=$?
  local e; e=$(elapsed "$t")
  total=$(echo "$total + $e" | bc)
  printf '    %-24s %7.2f s%s\n' "$name" "$e" "$([ $rc -ne 0 ] && echo "  (exit $rc)")"
  [ $rc -ne 0 ] && head -5 "$WORK/$name.out" | sed 's/^/        /'
  return 0
}
echo "reference flow ($YKT):"
step "spp --find" spp "${inc[@]}" --find -DKMACHINE=qemux86-64 -DKTYPE=standard
bsp=$(tail -1 "$WORK/spp --find.out")
# shellcheck disable=SC2086
step "scc (config pass)" scc --force -o "$S/.kernel-meta:cfg,merge,meta" "${inc[@]}" "$bsp" $FEATURES
configs=$(cd "$S" && scc --configs -o .kernel-meta)
# shellcheck disable=SC2086
step "merge_config.sh" env CFLAGS= HOSTCC=gcc HOSTCPP="gcc -E" CC=gcc LD=ld OBJCOPY=objcopy STRIP=strip ARCH=x86 \
  merge_config.sh -O "$WORK/RB" $configs
sw=(env ARCH=x86 CC=gcc LD=ld OBJCOPY=objcopy STRIP=strip srctree="$S" PYTHONPATH="$YKT/Kconfiglib" symbol_why.py
    --dotconfig "$WORK/RB/.config")
step "symbol_why --mismatches" "${sw[@]}" --mismatches --classify
step "symbol_why --invalid" "${sw[@]}" --invalid ''
step "symbol_why --sanity" "${sw[@]}" --sanity
printf 'reference total: %.2f s; kmeta median %.3f s: %.0fx faster\n' "$total" "$median" "$(echo "$total / $median" | bc -l)"
