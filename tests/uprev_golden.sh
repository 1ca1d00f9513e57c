#!/usr/bin/env bash
# `kmeta uprev` from Linux 6.1 (yocto-6.1 cache) to 6.12 (yocto-6.12 cache)
# against what the reference Yocto flow implies, on three cases:
#   qemux86-64 standard, qemuarm64 standard (cross-compiled), and qemux86-64
#   standard with our own layer (tests/uprev/layer: TDX guest + driver, EFI
#   secret, dm-crypt, TPM 2.0) carried across, with --require.
# Each side's reference is the golden of ../shared/golden/config when its
# recorded kernel version is the unpacked tree's, else the reference flow run
# here (spp --find, scc, merge_config.sh from ../shared/reference). Which
# symbols a kernel defines for ARCH comes from the reference's Kconfiglib.
# Checked (tests/uprev_truth.py): old.config and new.config byte-identical to
# the reference .configs; the regressed / vanished / newly-satisfied sets equal
# the truth; every fix shown is verified; requirements and exit status.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
YKT=$SHARED/reference/yocto-kernel-tools/tools
GOLDEN=$SHARED/golden/config
for v in 6.1 6.12; do
  if [ ! -f "$KERNELS/linux-$v/Makefile" ]; then echo "SKIP: no kernel tree $KERNELS/linux-$v (scripts/kernels.sh)"; exit 77; fi
done
for need in "$YKT/scc" "$YKT/merge_config.sh" "$SHARED/data/yocto-kernel-cache/yocto-6.1"; do
  [ -e "$need" ] || { echo "FAIL: $need is missing"; exit 1; }
done
command -v aarch64-linux-gnu-gcc > /dev/null || { echo "FAIL: aarch64-linux-gnu-gcc is missing (scripts/kernels.sh)"; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-uprev.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
PROBES=$WORK/probes
export KMETA_PROBE_CACHE=$PROBES  # never the user's ~/.cache/kmeta
BASEPATH=/usr/sbin:/usr/bin:/sbin:/bin

kversion() {  # kernel tree -> 6.1.192
  awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v "." p "." s}' "$1/Makefile"
}

# The private copy of a kernel tree the reference tools run in (scc writes .kernel-meta into it).
stree() {
  local v=$1
  if [ ! -d "$WORK/S-$v" ]; then cp -al "$KERNELS/linux-$v" "$WORK/S-$v" 2>/dev/null || cp -a "$KERNELS/linux-$v" "$WORK/S-$v"; fi
  rm -rf "$WORK/S-$v/.kernel-meta"; mkdir -p "$WORK/S-$v/.kernel-meta/cfg/scratch"
  echo "$WORK/S-$v"
}

# Kconfiglib (the reference's parser): every symbol the tree defines for ARCH,
# once per (kernel, ARCH).
defined_all() {  # ksrc arch cross -> path of the list
  local ksrc=$1 arch=$2 cross=$3 out=$WORK/defined-$(basename "$1")-$2
  if [ ! -f "$out" ]; then
    (cd "$WORK" && env PATH=$BASEPATH srctree="$ksrc" ARCH="$arch" SRCARCH="$arch" CC="${cross}gcc" LD="${cross}ld" \
       KERNELVERSION="$(kversion "$ksrc")" PYTHONPATH="$SHARED/reference/yocto-kernel-tools/Kconfiglib" python3 -c '
import kconfiglib
k = kconfiglib.Kconfig("Kconfig", warn=False)
print("\n".join(sorted(n for n, s in k.syms.items() if s.nodes)))' > "$out.tmp") && mv "$out.tmp" "$out"
  fi
  echo "$out"
}

# One side's reference: OUT/{config.queue,fragments,.config[,mismatches],source}.
ref_side() {  # out kver cache machine ktype arch cross "features" layer
  local out=$1 v=$2 cache=$3 machine=$4 ktype=$5 arch=$6 cross=$7 features=$8 layer=$9
  local ksrc=$KERNELS/linux-$v g=$GOLDEN/linux-$v--$machine-$ktype
  mkdir -p "$out"
  if [ -z "$layer" ] && [ -d "$g" ] && head -1 "$g/reference/commands.txt" | grep -q "Makefile $(kversion "$ksrc")\$"; then
    cp "$g/expected.config" "$out/.config"
    cp "$g/reference/config.queue" "$out/config.queue"
    [ -f "$g/reference/semantic-mismatches.txt" ] && cp "$g/reference/semantic-mismatches.txt" "$out/mismatches"
    # Queue names -> fragment files in the cache (the longest suffix that exists).
    while read -r qname _; do
      qname=${qname#configs/}; f=""
      IFS=/ read -ra parts <<< "$qname"
      for ((i = 1; i < ${#parts[@]}; i++)); do
        p=$(IFS=/; echo "${parts[*]:$i}")
        if [ -f "$cache/$p" ]; then f=$cache/$p; break; fi
      done
      echo "$f"
    done < "$out/config.queue" > "$out/fragments"
    echo "golden $(basename "$g")" > "$out/source"
    return 0
  fi
  local S; S=$(stree "$v")
  local inc=(-I"$cache"); [ -n "$layer" ] && inc+=(-I"$layer"); inc+=(-I"$S/arch/$arch/configs" -I"$S/kernel/configs")
  (cd "$S" && env PATH="$YKT:$BASEPATH" LC_ALL=C spp "${inc[@]}" --find -DKMACHINE="$machine" -DKTYPE="$ktype") > "$out/spp" 2>&1
  local bsp; bsp=$(tail -1 "$out/spp")
  # shellcheck disable=SC2086
  (cd "$S" && env PATH="$YKT:$BASEPATH" LC_ALL=C scc --force -o "$S/.kernel-meta:cfg,merge,meta" "${inc[@]}" "$bsp" $features) > "$out/scc" 2>&1 \
    || { echo "reference scc failed:"; tail -5 "$out/scc"; return 1; }
  local configs; configs=$(cd "$S" && env PATH="$YKT:$BASEPATH" scc --configs -o .kernel-meta)
  # shellcheck disable=SC2086
  mkdir -p "$out/B"
  (cd "$S" && env PATH="$YKT:$BASEPATH" LC_ALL=C CFLAGS= HOSTCC=gcc HOSTCPP="gcc -E" CC="${cross}gcc" LD="${cross}ld" \
     OBJCOPY="${cross}objcopy" STRIP="${cross}strip" ARCH="$arch" merge_config.sh -O "$out/B" $configs) > "$out/merge.log" 2>&1 \
    || { echo "reference merge_config.sh failed:"; tail -5 "$out/merge.log"; return 1; }
  cp "$out/B/.config" "$out/.config"
  cp "$S/.kernel-meta/config.queue" "$out/config.queue"
  # The fragments scc copied, by their queue names, kept beside the side.
  mkdir -p "$out/meta"; cp -r "$S/.kernel-meta/configs" "$out/meta/"
  while read -r qname _; do echo "$out/meta/$qname"; done < "$out/config.queue" > "$out/fragments"
  echo "reference flow run here" > "$out/source"
}

failed=0
run_case() {  # name machine ktype arch cross "features" layer require
  local name=$1 machine=$2 ktype=$3 arch=$4 cross=$5 features=$6 layer=$7 require=$8
  local d=$WORK/$name; mkdir -p "$d"
  local start; start=$(date +%s)
  for v in 6.1 6.12; do
    ref_side "$d/ref-$v" "$v" "$SHARED/data/yocto-kernel-cache/yocto-$v" "$machine" "$ktype" "$arch" "$cross" "$features" "$layer" \
      || { echo "$name: FAILED: no reference for $v"; failed=$((failed + 1)); return; }
  done
  local args=(uprev --from-kernel "$KERNELS/linux-6.1" --to-kernel "$KERNELS/linux-6.12"
              --from-cache "$SHARED/data/yocto-kernel-cache/yocto-6.1" --to-cache "$SHARED/data/yocto-kernel-cache/yocto-6.12"
              --machine "$machine" --type "$ktype" --arch "$arch" --probe-cache "$PROBES" --json -o "$d/out")
  [ -n "$cross" ] && args+=(--cross-compile "$cross")
  [ -n "$layer" ] && args+=(--cache "$layer")
  [ -n "$require" ] && args+=(--require "$require")
  for f in $features; do args+=(--feature "$f"); done
  env PATH=$BASEPATH "$KMETA" "${args[@]}" > "$d/uprev.json" 2> "$d/uprev.err"
  local rc=$?
  if [ $rc -gt 1 ]; then
    echo "$name: FAILED: kmeta uprev exited $rc"; sed 's/^/    /' "$d/uprev.err" | head -10; failed=$((failed + 1)); return
  fi
  # Which symbols each kernel defines for ARCH.
  for v in 6.1 6.12; do
    cp "$(defined_all "$KERNELS/linux-$v" "$arch" "$cross")" "$d/ref-$v/defined"
  done
  local same=yes
  cmp -s "$d/out/old.config" "$d/ref-6.1/.config" || { same="no (old.config)"; diff "$d/ref-6.1/.config" "$d/out/old.config" | head -5; }
  cmp -s "$d/out/new.config" "$d/ref-6.12/.config" || { same="no (new.config)"; diff "$d/ref-6.12/.config" "$d/out/new.config" | head -5; }
  echo "$name: OLD from $(cat "$d/ref-6.1/source"), NEW from $(cat "$d/ref-6.12/source"); .configs identical: $same; $(( $(date +%s) - start )) s"
  [ "$same" = yes ] || failed=$((failed + 1))
  python3 "$SRC/tests/uprev_truth.py" "$d/ref-6.1" "$d/ref-6.12" "$d/uprev.json" "${require:--}" "$rc" || failed=$((failed + 1))
}

X86_FEATURES="features/netfilter/netfilter.scc cfg/virtio.scc features/drm-bochs/drm-bochs.scc cfg/net/mdio.scc cfg/sound.scc cfg/paravirt_kvm.scc"
ARM_FEATURES="features/netfilter/netfilter.scc cfg/virtio.scc features/drm-bochs/drm-bochs.scc cfg/net/mdio.scc"
LAYER=$SRC/tests/uprev/layer
LAYER_FEATURES="features/confidential/tdx-guest-driver.scc features/confidential/efi-secret.scc features/disk-encryption/dm-crypt.scc features/tpm2/tpm2.scc"

run_case qemux86-64-standard qemux86-64 standard x86 "" "$X86_FEATURES" "" ""
run_case qemuarm64-standard qemuarm64 standard arm64 aarch64-linux-gnu- "$ARM_FEATURES" "" ""
run_case qemux86-64-layer qemux86-64 standard x86 "" "$X86_FEATURES $LAYER_FEATURES" "$LAYER" "$SRC/tests/uprev/require-confidential.cfg"
[ $failed -eq 0 ] && echo "uprev golden: 3/3 cases agree with the reference" || { echo "uprev golden: $failed failures"; exit 1; }
