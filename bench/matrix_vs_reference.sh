#!/usr/bin/env bash
# The whole yocto-6.12 matrix on Linux 6.12, side by side, one run:
#
#   kmeta matrix, cold:  every entry point, empty probe and model caches;
#   kmeta matrix, warm:  the same again (caches filled), best of $RUNS;
#   reference:           the Yocto flow per BSP (spp --find, scc, the kernel's
#                        merge_config.sh [-n] with the matrix's CROSS_COMPILE,
#                        symbol_why.py --mismatches --classify, --invalid,
#                        --sanity) on $SAMPLE BSPs, extrapolated to every
#                        entry point (mean per BSP x entry points);
#   single BSP:          kmeta config qemux86-64 standard warm; and
#                        olddefconfig of x86_64 6.12 under make's environment:
#                        the kernel's conf, `kmeta conf --olddefconfig` (probe
#                        and model caches on: the default) and
#                        `kmeta kconfig olddefconfig`, warm, median of $RUNS.
# Peak RSS: /usr/bin/time %M (the process tree's largest) and kmeta's own.
#
# Env: KMETA (default build/kmeta), KMETA_SHARED, KMETA_KERNELS, RUNS (5),
# SAMPLE (3: the number of reference BSPs), JOBS (default nproc).
# Targets: warm <= 10 s for every entry point on 2 cores (>= 300x the
# reference), cold <= 60 s; kmeta config <= 0.1 s warm; conf drop-in and
# kconfig olddefconfig <= 15 ms warm, >= 100x conf.
set -uo pipefail
cd "$(dirname "$0")/.."
KMETA=$(readlink -f "${KMETA:-build/kmeta}")
SHARED=${KMETA_SHARED:-$(cd ../shared 2>/dev/null && pwd)}
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
RUNS=${RUNS:-5}
SAMPLE=${SAMPLE:-3}
JOBS=${JOBS:-$(nproc)}
KSRC=$KERNELS/linux-6.12
KCONF=$KERNELS/build-6.12/scripts/kconfig/conf
KCACHE=$SHARED/data/yocto-kernel-cache/yocto-6.12
YKT=$SHARED/reference/yocto-kernel-tools/tools
for need in "$KMETA" "$KSRC/Makefile" "$KCACHE/bsp" "$YKT/scc" "$KCONF"; do
  [ -e "$need" ] || { echo "matrix_vs_reference: missing $need"; exit 77; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-bench-matrix.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
now() { date +%s.%N; }
load0=$(cut -d' ' -f1 /proc/loadavg)

echo "== kmeta matrix, yocto-6.12 x linux-6.12, -j$JOBS on $(nproc) cores"
run_matrix() {  # LABEL
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$KMETA" matrix --cache "$KCACHE" --kernel "$KSRC" -j "$JOBS" \
    --probe-cache "$WORK/probes" -o "$WORK/m" -q > "$WORK/m.out" 2> "$WORK/m.err"
  # (/usr/bin/time prefixes "Command exited with non-zero status N" when kmeta exits 1)
  read -r wall user sys rss < <(tail -n 1 "$WORK/time")
  own=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["peak_rss_kib"])' "$WORK/m/matrix.json")
  printf '%-6s %7.2f s wall, %7.2f s CPU, peak RSS %6.1f MiB (kmeta itself %6.1f MiB): %s\n' "$1" "$wall" \
    "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc -l)" "$(echo "$own / 1024" | bc -l)" "$(head -n 1 "$WORK/m.out")"
  echo "$wall" > "$WORK/$1.wall"
}
run_matrix cold
for _ in $(seq "$RUNS"); do run_matrix warm; cp "$WORK/warm.wall" "$WORK/warm.$RANDOM"; done
warm=$(cat "$WORK"/warm.[0-9]* | sort -n | head -1)
cold=$(cat "$WORK/cold.wall")
entries=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["bsps"]))' "$WORK/m/matrix.json")
python3 - "$WORK/m/matrix.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
ok = sum(1 for b in j["bsps"] if b["status"] == "ok")
print(f"   {ok}/{len(j['bsps'])} entry points resolved; toolchains:")
for k in j["kernels"]:
    t = k["toolchain"]
    print(f"     {k['arch']:<11} {t['compiler']:<28} {'' if t['found'] else 'MISSING ' + t['wanted']:<32} {k['bsps']:>3} BSPs, model {k['model']}")
PY

echo "== reference flow (spp + scc + merge_config.sh + 3x symbol_why.py), $SAMPLE BSPs"
mapfile -t sample < <(python3 - "$WORK/m/matrix.json" "$SAMPLE" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); n = int(sys.argv[2])
pref = ["qemux86-64/standard", "qemuarm64/standard", "qemuppc/standard", "qemuriscv64/standard", "beaglebone/standard",
        "mti-malta32-le/standard", "common-pc/tiny", "genericarm64/standard"]
rows = {b["id"]: b for b in j["bsps"] if b["status"] == "ok"}
for p in pref[:n]:
    b = rows[p]; print(f"{b['machine']} {b['ktype']} {b['arch']} {b['toolchain']['cross_compile'] or '-'} {b['mode']}")
PY
)
total=0
for line in "${sample[@]}"; do
  read -r m t arch cross mode <<< "$line"
  [ "$cross" = - ] && cross=""
  S=$WORK/S-$m-$t B=$WORK/B-$m-$t
  mkdir -p "$S" "$B"
  for e in "$KSRC"/* "$KSRC"/.[!.]*; do [ -e "$e" ] && ln -s "$e" "$S/$(basename "$e")"; done
  rm -f "$S/.kmeta-unpacked"
  # conf built beforehand (not timed: a Yocto build has it from the previous step)
  make -s -C "$S" O="$B" ARCH="$arch" CROSS_COMPILE="$cross" scripts_basic > /dev/null 2>&1
  t0=$(now)
  (
    cd "$S" || exit 1
    export PATH=$YKT:$PATH
    def=$(spp -I"$KCACHE" -I"$S/arch/$arch/configs" -I"$S/kernel/configs" --find -DKMACHINE="$m" -DKTYPE="$t")
    scc --force -o "$S/.kernel-meta:cfg,merge,meta" -I"$KCACHE" -I"$S/arch/$arch/configs" -I"$S/kernel/configs" "$def" > /dev/null
    n=(); [ "$mode" = allnoconfig ] && n=(-n)
    # shellcheck disable=SC2046
    env ARCH="$arch" CROSS_COMPILE="$cross" sh "$S/scripts/kconfig/merge_config.sh" -O "$B" "${n[@]}" \
      $(scc --configs -o .kernel-meta) > /dev/null 2>&1
    export ARCH="$arch" CC="${cross}gcc" srctree="$S" PYTHONPATH=$YKT/Kconfiglib
    for w in "--mismatches --classify" --invalid --sanity; do
      # shellcheck disable=SC2086
      python3 "$YKT/symbol_why.py" --dotconfig "$B/.config" $w > /dev/null 2>&1
    done
  )
  secs=$(echo "$(now) - $t0" | bc)
  same=no; cmp -s "$B/.config" "$WORK/m/$m/$t/.config" && same=yes
  printf '   %-24s %6.1f s (.config identical to the matrix row: %s)\n' "$m/$t" "$secs" "$same"
  total=$(echo "$total + $secs" | bc)
done
mean=$(echo "$total / ${#sample[@]}" | bc -l)
extra=$(echo "$mean * $entries" | bc -l)
printf '   mean %.1f s per BSP; x %d entry points = %.0f s (%.1f min) for the whole cache\n' "$mean" "$entries" "$extra" \
  "$(echo "$extra / 60" | bc -l)"
printf 'matrix: cold %.2f s (%.0fx the reference), warm %.2f s (%.0fx); targets warm <= 10 s, >= 300x; cold <= 60 s\n' \
  "$cold" "$(echo "$extra / $cold" | bc -l)" "$warm" "$(echo "$extra / $warm" | bc -l)"

echo "== single BSP and olddefconfig under make's environment (warm, median of $RUNS)"
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
timeit() {  # LABEL CMD...: median wall in ms over RUNS runs after one warm-up
  local label=$1; shift
  "$@" > /dev/null 2>&1
  for _ in $(seq "$RUNS"); do
    local t0; t0=$(now); "$@" > /dev/null 2>&1; echo "($(now) - $t0) * 1000" | bc -l
  done | median > "$WORK/t.$label"
  /usr/bin/time -f '%M' -o "$WORK/rss" "$@" > /dev/null 2>&1
  printf '   %-34s %8.1f ms  peak RSS %5.1f MiB\n' "$label" "$(cat "$WORK/t.$label")" "$(echo "$(tail -n 1 "$WORK/rss") / 1024" | bc -l)"
}
FEATURES=(--feature features/netfilter/netfilter.scc --feature cfg/virtio.scc --feature features/drm-bochs/drm-bochs.scc
          --feature cfg/net/mdio.scc --feature cfg/sound.scc --feature cfg/paravirt_kvm.scc)
timeit "kmeta config qemux86-64 standard" "$KMETA" config --cache "$KCACHE" --machine qemux86-64 --type standard \
  --kernel "$KSRC" --arch x86 "${FEATURES[@]}" --probe-cache "$WORK/probes" -q -o "$WORK/cfg"
O=$WORK/o; mkdir -p "$O"
"$KMETA" kconfig --kernel "$KSRC" --arch x86_64 -O "$O" --probe-cache "$WORK/probes" defconfig > /dev/null 2>&1
envsh=$("$KMETA" kconfig --kernel "$KSRC" --arch x86_64 -O "$O" --probe-cache "$WORK/probes" env)
cp "$O/.config" "$WORK/seed.config"
inmake() { (cd "$O" && cp "$WORK/seed.config" .config && eval "$envsh" && exec "$@" -s --olddefconfig Kconfig); }
timeit "conf --olddefconfig (kernel's)" inmake "$KCONF"
timeit "kmeta conf --olddefconfig" inmake env KMETA_PROBE_CACHE="$WORK/probes" "$KMETA" conf
timeit "kmeta conf, KMETA_CONF_CACHE=0" inmake env KMETA_CONF_CACHE=0 "$KMETA" conf
timeit "kmeta kconfig olddefconfig" "$KMETA" kconfig --kernel "$KSRC" --arch x86_64 -O "$O" --probe-cache "$WORK/probes" -s olddefconfig
c=$(cat "$WORK/t.conf --olddefconfig (kernel's)")
for l in "kmeta conf --olddefconfig" "kmeta kconfig olddefconfig"; do
  printf '   %s: %.0fx conf\n' "$l" "$(echo "$c / $(cat "$WORK/t.$l")" | bc -l)"
done
echo "load average at start/end: $load0 / $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
