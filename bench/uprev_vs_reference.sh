#!/usr/bin/env bash
# The whole upgrade question for qemux86-64 standard, Linux 6.1 (yocto-6.1)
# -> 6.12 (yocto-6.12), the six KERNEL_FEATURES openembedded-core adds, timed
# side by side:
#
#   kmeta:      `kmeta uprev ... -o DIR` with warm probe and model caches (one
#               untimed run first), best and median of $RUNS runs;
#   reference:  what a team runs today: the bbclass's configure + audit flow
#               on each kernel (spp --find, scc, merge_config.sh, three
#               symbol_why.py runs) and the kernel's scripts/diffconfig on the
#               two .configs.
#
# Env: KMETA (default build/kmeta), KMETA_SHARED (default ../shared),
# KMETA_KERNELS (default ~/.cache/kmeta/kernels), RUNS (default 5),
# KMETA_YKT_TOOLS (default $KMETA_SHARED/reference/yocto-kernel-tools/tools).
# Targets: kmeta <= 0.5 s warm, >= 100x faster than the reference.
set -uo pipefail
cd "$(dirname "$0")/.."
KMETA=${KMETA:-build/kmeta}
SHARED=${KMETA_SHARED:-$(cd ../shared 2>/dev/null && pwd)}
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
RUNS=${RUNS:-5}
YKT=${KMETA_YKT_TOOLS:-$SHARED/reference/yocto-kernel-tools/tools}
FEATURES="features/netfilter/netfilter.scc cfg/virtio.scc features/drm-bochs/drm-bochs.scc cfg/net/mdio.scc cfg/sound.scc cfg/paravirt_kvm.scc"
for need in "$KMETA" "$KERNELS/linux-6.1/Makefile" "$KERNELS/linux-6.12/Makefile" "$YKT/scc"; do
  if [ ! -e "$need" ]; then echo "uprev_vs_reference: missing $need"; exit 77; fi
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-bench-uprev.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
BASEPATH=/usr/sbin:/usr/bin:/sbin:/bin

# --- kmeta ---------------------------------------------------------------------------
args=(uprev --from-kernel "$KERNELS/linux-6.1" --to-kernel "$KERNELS/linux-6.12"
      --from-cache "$SHARED/data/yocto-kernel-cache/yocto-6.1" --to-cache "$SHARED/data/yocto-kernel-cache/yocto-6.12"
      --machine qemux86-64 --type standard --arch x86 --probe-cache "$WORK/probes" -o "$WORK/U")
for f in $FEATURES; do args+=(--feature "$f"); done
env PATH=$BASEPATH "$KMETA" "${args[@]}" > /dev/null   # warms the probe and model caches
times=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %U %S' -o "$WORK/time" env PATH=$BASEPATH "$KMETA" "${args[@]}" > "$WORK/uprev.txt"
  read -r wall _ _ < "$WORK/time"
  times+=("$wall")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
best=$(echo "$sorted" | head -1)
median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
printf 'kmeta uprev (warm caches): wall best %.3f s, median %.3f s; %d runs; load average %s\n' \
  "$best" "$median" "$RUNS" "$(cut -d' ' -f1 /proc/loadavg)"
head -4 "$WORK/uprev.txt" | sed 's/^/    /'
env PATH=$BASEPATH "$KMETA" "${args[@]}" --timings 2>&1 >/dev/null | sed 's/^/    /'

# --- reference -----------------------------------------------------------------------
total=0
step() {  # name, dir, command...
  local name=$1 dir=$2; shift 2
  local t; t=$(now)
  (cd "$dir" && "$@") > "$WORK/step.out" 2>&1
  local rc=$?
  local e; e=$(echo "$(now) - $t" | bc)
  total=$(echo "$total + $e" | bc)
  printf '    %-30s %7.2f s%s\n' "$name" "$e" "$([ $rc -ne 0 ] && echo "  (exit $rc)")"
  cp "$WORK/step.out" "$WORK/$name.out"
}
echo "reference flow ($YKT), both kernels:"
for v in 6.1 6.12; do
  S=$WORK/S-$v
  cp -al "$KERNELS/linux-$v" "$S" 2>/dev/null || cp -a "$KERNELS/linux-$v" "$S"
  mkdir -p "$S/.kernel-meta/cfg/scratch" "$WORK/B-$v"
  KCACHE=$SHARED/data/yocto-kernel-cache/yocto-$v
  inc=(-I"$KCACHE" -I"$S/arch/x86/configs" -I"$S/kernel/configs")
  export PATH="$YKT:$BASEPATH" LC_ALL=C
  step "$v spp --find" "$S" spp "${inc[@]}" --find -DKMACHINE=qemux86-64 -DKTYPE=standard
  bsp=$(tail -1 "$WORK/$v spp --find.out")
  # shellcheck disable=SC2086
  step "$v scc" "$S" scc --force -o "$S/.kernel-meta:cfg,merge,meta" "${inc[@]}" "$bsp" $FEATURES
  configs=$(cd "$S" && scc --configs -o .kernel-meta)
  # shellcheck disable=SC2086
  step "$v merge_config.sh" "$S" env CFLAGS= HOSTCC=gcc HOSTCPP="gcc -E" CC=gcc LD=ld OBJCOPY=objcopy STRIP=strip \
    ARCH=x86 merge_config.sh -O "$WORK/B-$v" $configs
  sw=(env ARCH=x86 CC=gcc LD=ld OBJCOPY=objcopy STRIP=strip srctree="$S" PYTHONPATH="$SHARED/reference/yocto-kernel-tools/Kconfiglib" symbol_why.py
      --dotconfig "$WORK/B-$v/.config")
  step "$v symbol_why --mismatches" "$S" "${sw[@]}" --mismatches --classify
  step "$v symbol_why --invalid" "$S" "${sw[@]}" --invalid ''
  step "$v symbol_why --sanity" "$S" "${sw[@]}" --sanity
  export PATH=$BASEPATH
done
step "diffconfig" "$WORK" python3 "$KERNELS/linux-6.12/scripts/diffconfig" "$WORK/B-6.1/.config" "$WORK/B-6.12/.config"
same=no
cmp -s "$WORK/B-6.1/.config" "$WORK/U/old.config" && cmp -s "$WORK/B-6.12/.config" "$WORK/U/new.config" && same=yes
echo "  kmeta's old.config/new.config identical to the reference's: $same"
printf 'reference total: %.2f s; kmeta median %.3f s: %.0fx faster\n' "$total" "$median" "$(echo "$total / $median" | bc -l)"
