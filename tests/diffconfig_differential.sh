#!/usr/bin/env bash
# `kmeta diffconfig` against the kernel's own scripts/diffconfig (run with
# python3 as the oracle), byte for byte, plain and -m, on real pairs:
#   - Debian's distro configs, linux-config-6.1 vs linux-config-6.12 (same
#     flavour on both), from /usr/src/linux-config-*/ (.xz);
#   - defconfigs across architectures, 6.1 vs 6.12 of each, resolved with
#     `kmeta kconfig` in O= dirs under TMPDIR;
#   - a few hand-made pairs for the script's quirks (no final newline, CRLF,
#     "is not set" lines that are not quite that, comments after values).
# Needs the trees of scripts/kernels.sh; exit 77 when they are not there.
set -u
KMETA=${KMETA:?KMETA must name the kmeta binary}
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
ORACLE=$KERNELS/linux-6.12/scripts/diffconfig
for need in "$ORACLE" "$KERNELS/linux-6.1/Makefile" /usr/src/linux-config-6.1 /usr/src/linux-config-6.12; do
  if [ ! -e "$need" ]; then echo "SKIP: $need is missing (scripts/kernels.sh provisions it)"; exit 77; fi
done
t=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-diffconfig.XXXXXX")
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/pairs" "$t/probes"
pairs=0 same=0 fails=0

compare() {  # name, A, B
  local name=$1 a=$2 b=$3 mode
  pairs=$((pairs + 1))
  local ok=1
  for mode in plain merge; do
    local flag=(); [ $mode = merge ] && flag=(-m)
    python3 "$ORACLE" "${flag[@]}" "$a" "$b" > "$t/want" 2> "$t/want.err"; local rw=$?
    "$KMETA" diffconfig "${flag[@]}" "$a" "$b" > "$t/got" 2> "$t/got.err"; local rg=$?
    # The script fails with a traceback (exit 1, nothing on stdout) where kmeta
    # reports a located error (exit 1): both must fail, or both print the same.
    if [ $rw -ne $rg ] || ! cmp -s "$t/want" "$t/got"; then
      ok=0
      echo "FAIL: $name ($mode): script exit $rw, kmeta exit $rg; $(wc -l < "$t/want") vs $(wc -l < "$t/got") lines"
      diff "$t/want" "$t/got" | head -5 | sed 's/^/    /'
    fi
  done
  if [ $ok = 1 ]; then same=$((same + 1)); else fails=$((fails + 1)); fi
}

# Debian distro configs: the same flavour on 6.1 and 6.12, and the flavours
# of one version against each other.
n=0
for v in 6.1 6.12; do
  for f in /usr/src/linux-config-$v/config.*.xz; do
    [ -f "$f" ] && xz -dc "$f" > "$t/pairs/$v-$(basename "$f" .xz)"
  done
done
for old in "$t"/pairs/6.1-config.*; do
  base=${old#"$t"/pairs/6.1-}
  new=$t/pairs/6.12-$base
  [ -f "$new" ] || continue
  compare "debian $base 6.1 vs 6.12" "$old" "$new"; n=$((n + 1))
done
for v in 6.1 6.12; do
  first=""
  for f in "$t"/pairs/$v-config.*; do
    [ -f "$f" ] || continue
    if [ -z "$first" ]; then first=$f; continue; fi
    compare "debian $v ${first#"$t"/pairs/} vs ${f#"$t"/pairs/}" "$first" "$f"; n=$((n + 1))
  done
done
debian=$n

# Defconfigs across architectures (resolved by `kmeta kconfig`, host compiler),
# each 6.1 vs 6.12; then across architectures on 6.12.
for spec in x86:x86_64_defconfig x86:i386_defconfig arm64:defconfig arm:multi_v7_defconfig riscv:defconfig \
            powerpc:ppc64_defconfig mips:malta_defconfig s390:defconfig loongarch:loongson3_defconfig; do
  arch=${spec%%:*} def=${spec#*:}
  for v in 6.1 6.12; do
    [ -f "$KERNELS/linux-$v/arch/$arch/configs/$def" ] || continue
    env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$KMETA" kconfig --kernel "$KERNELS/linux-$v" --arch "$arch" -s \
      --probe-cache "$t/probes" -O "$t/O-$def-$arch-$v" defconfig "$KERNELS/linux-$v/arch/$arch/configs/$def" \
      > /dev/null 2> "$t/kconfig.err" || { echo "kmeta kconfig $arch $def $v failed:"; head -3 "$t/kconfig.err"; }
  done
  if [ -f "$t/O-$def-$arch-6.1/.config" ] && [ -f "$t/O-$def-$arch-6.12/.config" ]; then
    compare "defconfig $arch/$def 6.1 vs 6.12" "$t/O-$def-$arch-6.1/.config" "$t/O-$def-$arch-6.12/.config"
  fi
done
for p in x86_64_defconfig-x86:defconfig-arm64 defconfig-arm64:defconfig-riscv multi_v7_defconfig-arm:malta_defconfig-mips; do
  a=$t/O-${p%%:*}-6.12/.config b=$t/O-${p#*:}-6.12/.config
  [ -f "$a" ] && [ -f "$b" ] && compare "defconfig 6.12 ${p%%:*} vs ${p#*:}" "$a" "$b"
done
if [ -f "$t/pairs/6.12-config.amd64_none_amd64" ] && [ -f "$t/O-x86_64_defconfig-x86-6.12/.config" ]; then
  compare "6.12 x86_64_defconfig vs debian amd64" "$t/O-x86_64_defconfig-x86-6.12/.config" "$t/pairs/6.12-config.amd64_none_amd64"
fi

# The script's quirks.
printf 'CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n' > "$t/q1"
printf 'CONFIG_A=y\r\nCONFIG_B=yes\r# CONFIG_C is not set # really\nCONFIG_D="x y" # note\nCONFIG_E=' > "$t/q2"
compare "quirks: CRLF, CR, no final newline" "$t/q1" "$t/q2"
printf '#xCONFIG_F is not set\nxx is not set\nCONFIG_G=\nCONFIG_H=1\nCONFIG_H=2\n# CONFIG_Ü is not set\n' > "$t/q3"
compare "quirks: odd 'is not set' lines, empty values, redefinitions" "$t/q1" "$t/q3"
printf 'CONFIG_A=y\nCONFIG_BROKEN\n' > "$t/q4"
compare "quirks: a CONFIG_ line without '=' (both fail)" "$t/q1" "$t/q4"

echo "diffconfig: $same/$pairs pairs byte-identical in both modes ($debian Debian distro pairs)"
[ $fails -eq 0 ] && [ $pairs -ge 20 ]
