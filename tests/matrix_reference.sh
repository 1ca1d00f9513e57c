#!/usr/bin/env bash
# `kmeta matrix` against the reference flow, BSP by BSP (linux-6.12, yocto-6.12):
#   1. each sampled BSP's .config from the matrix is byte-identical to the
#      reference flow run alone: spp --find + scc (yocto-kernel-tools) +
#      the kernel's own merge_config.sh [-n] with the cross compiler the
#      matrix chose (ARCH / CROSS_COMPILE in the environment);
#   2. `kmeta config` on the same BSP (same ARCH, compiler, mode) writes the
#      same bytes as the matrix row: .config and every .kernel-meta file.
# The sample spans x86, arm64, arm, riscv, mips and powerpc (MATRIX_SAMPLE=full
# adds more for 16 in all; MATRIX_REF_SCC=kmeta runs kmeta's spp/scc drop-ins
# instead of the bash tools, leaving merge_config.sh + make as the oracle). Exit 77 when the kernel tree or the tools are
# absent.
set -uo pipefail

source "$(dirname "$0")/lib/common.sh"
KSRC=$KERNELS/linux-6.12
KCACHE=$SHARED/data/yocto-kernel-cache/yocto-6.12
YKT=$SHARED/reference/yocto-kernel-tools/tools
skip_without_tree "$KSRC"
[ -x "$YKT/scc" ] || { echo "SKIP: no yocto-kernel-tools at $YKT"; exit 77; }
[ -d "$KCACHE" ] || { echo "SKIP: no kernel cache at $KCACHE"; exit 77; }

SAMPLE=(qemux86-64/standard common-pc/tiny qemuarm64/standard qemuarma15/standard qemuriscv64/standard
        mti-malta32-le/standard qemuppc/standard)
if [ "${MATRIX_SAMPLE:-}" = full ]; then
  SAMPLE+=(intel-corei7-64/preempt-rt genericarm64/standard beaglebone/standard mti-malta64-be/standard
           mti-malta64-le/standard qemuppc64/standard qemuriscv32/standard nxp-imx8/standard qemuarm64/tiny)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-matrix-ref.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH=/usr/sbin:/usr/bin:/sbin:/bin  # the goldens' PATH (no rustc)
# KMETA_TEST_PROBES: a probe cache to start from (copied), for a re-run; never the user's.
PROBES=$WORK/probes
[ -n "${KMETA_TEST_PROBES:-}" ] && cp -a "$KMETA_TEST_PROBES" "$PROBES"

machines=() types=()
for b in "${SAMPLE[@]}"; do machines+=(--machine "${b%/*}"); done
start=$(date +%s.%N)
"$KMETA" matrix --cache "$KCACHE" --kernel "$KSRC" "${machines[@]}" --probe-cache "$PROBES" -o "$WORK/m" -q \
  > "$WORK/matrix.out" 2> "$WORK/matrix.err"
rc=$?
echo "matrix: exit $rc in $(echo "$(date +%s.%N) - $start" | bc) s: $(head -n 1 "$WORK/matrix.out")"
[ $rc -le 1 ] || { cat "$WORK/matrix.err"; exit 1; }

field() {  # BSP KEY: a value of the BSP's matrix.json row
  python3 - "$WORK/m/matrix.json" "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
b = next((b for b in j["bsps"] if b["id"] == sys.argv[2]), None)
if b is None: sys.exit(1)
v = b
for k in sys.argv[3].split("."): v = v[k]
print(v)
PY
}

mirror() {
  mkdir -p "$1"
  for e in "$KSRC"/* "$KSRC"/.[!.]*; do
    [ -e "$e" ] || continue
    case $(basename "$e") in .config|.kmeta-unpacked) continue ;; esac
    ln -s "$e" "$1/$(basename "$e")"
  done
}

same=0 total=0 fail=0
for b in "${SAMPLE[@]}"; do
  total=$((total + 1))
  m=${b%/*} t=${b#*/}
  status=$(field "$b" status) || { echo "FAIL: $b: not in matrix.json"; fail=$((fail + 1)); continue; }
  [ "$status" = ok ] || { echo "FAIL: $b: $(field "$b" error)"; fail=$((fail + 1)); continue; }
  arch=$(field "$b" arch) cross=$(field "$b" toolchain.cross_compile) mode=$(field "$b" mode)
  S=$WORK/S-${m}-${t}
  B=$WORK/B-$arch
  mirror "$S"; mkdir -p "$B" "$S/.kernel-meta"; rm -f "$B/.config"
  t0=$(date +%s.%N)
  (
    cd "$S" || exit 1
    export PATH=$YKT:$PATH
    if [ "${MATRIX_REF_SCC:-}" = kmeta ]; then  # kmeta's scc/spp drop-ins (golden-tested) for speed
      spp() { "$KMETA" spp "$@"; }
      scc() { "$KMETA" scc "$@"; }
    fi
    def=$(spp -I"$KCACHE" -I"$S/arch/$arch/configs" -I"$S/kernel/configs" --find -DKMACHINE="$m" -DKTYPE="$t") || exit 1
    scc --force -o "$S/.kernel-meta:cfg,merge,meta" -I"$KCACHE" -I"$S/arch/$arch/configs" -I"$S/kernel/configs" "$def" \
      > /dev/null 2>&1 || exit 1
    n=(); [ "$mode" = allnoconfig ] && n=(-n)
    # shellcheck disable=SC2046
    env ARCH="$arch" CROSS_COMPILE="$cross" sh "$S/scripts/kconfig/merge_config.sh" -O "$B" "${n[@]}" \
      $(scc --configs -o .kernel-meta) > "$WORK/$m-$t.merge.log" 2>&1
  )
  ref_secs=$(echo "$(date +%s.%N) - $t0" | bc)
  mine=$WORK/m/$m/$t
  res=""
  if cmp -s "$B/.config" "$mine/.config"; then res="identical to the reference flow"; else res="DIFFERS from the reference flow"; fi
  # kmeta config on the same BSP: the same bytes as the matrix row.
  cc=(); [ -n "$cross" ] && cc=(--cross-compile "$cross")
  "$KMETA" config --cache "$KCACHE" --machine "$m" --type "$t" --kernel "$KSRC" --arch "$arch" "${cc[@]}" \
    --mode "$mode" --probe-cache "$PROBES" -q -o "$WORK/c-$m-$t" > /dev/null 2>&1
  rowdiff=""
  for f in .config .kernel-meta/config.queue .kernel-meta/bsp_definition .kernel-meta/cfg/merge_config_build.log \
           .kernel-meta/cfg/mismatch.txt .kernel-meta/cfg/invalid.txt .kernel-meta/cfg/redefinition.txt \
           .kernel-meta/kmeta-audit.json .kernel-meta/kmeta-config.json; do
    a=$mine/$f c=$WORK/c-$m-$t/$f
    if [ -e "$a" ] || [ -e "$c" ]; then cmp -s "$a" "$c" || rowdiff+=" $f"; fi
  done
  if [ "$res" = "identical to the reference flow" ] && [ -z "$rowdiff" ]; then
    same=$((same + 1))
    echo "ok: $b ($arch, ${cross:-host gcc}, $mode): $res (reference ${ref_secs} s); kmeta config = matrix row"
  else
    fail=$((fail + 1))
    echo "FAIL: $b ($arch, ${cross:-host gcc}, $mode): $res;${rowdiff:+ kmeta config differs in$rowdiff}"
    diff "$B/.config" "$mine/.config" | head -n 10
    tail -n 5 "$WORK/$m-$t.merge.log"
  fi
done
echo "matrix vs reference: $same identical / $total"
[ $fail -eq 0 ]
