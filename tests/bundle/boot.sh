#!/usr/bin/env bash
# Boot test for `kmeta bundle`: a base initramfs (the project's own static
# init, packed by cpio | gzip -n) plus a modules archive made by kmeta bundle
# (one module and its dependencies), back to back; booted in QEMU (TCG); the
# init loads the module from the concatenated archive and prints a marker.
#
#   boot.sh --kernel-dir DIR --arch x86_64|arm64 [--modules-dir D] [--compress C] [--repack]
#           [--module NAME[,NAME...]]   (default: the virtio transport,virtio_rng)
#
# DIR is anything `kmeta bundle -C` reads: a kbuild O= directory (the output
# of `kmeta build`) or a directory holding the image, System.map and config
# (the fixtures). Fails on "Initramfs unpacking failed", "Unknown symbol",
# "Kernel panic", a timeout, or a missing marker; the boot log is kept then.
set -uo pipefail
KMETA=${KMETA:?path to the kmeta binary}
src=$(cd "$(dirname "$0")" && pwd)
kdir="" arch="" mods="" compress=none repack="" module="" timeout_s=${KMETA_BOOT_TIMEOUT:-180}
while [ $# -gt 0 ]; do
  case $1 in
    --kernel-dir) kdir=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    --modules-dir) mods=$2; shift 2 ;;
    --compress) compress=$2; shift 2 ;;
    --repack) repack=--repack; shift ;;
    --module) module=$2; shift 2 ;;
    *) echo "boot.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$kdir" ] && [ -n "$arch" ] || { echo "boot.sh: --kernel-dir and --arch are required" >&2; exit 2; }

case $arch in
  x86_64)
    cc=gcc qemu=qemu-system-x86_64 console=ttyS0
    qargs=(-M pc -cpu qemu64 -m 256 -smp 1 -device virtio-rng-pci)
    transport=virtio_pci ;;
  arm64|aarch64)
    cc=aarch64-linux-gnu-gcc qemu=qemu-system-aarch64 console=ttyAMA0
    qargs=(-M virt -cpu cortex-a57 -m 256 -smp 1 -device virtio-rng-device)
    transport=virtio_mmio ;;
  *) echo "boot.sh: unknown arch $arch" >&2; exit 2 ;;
esac
# Default: the virtio transport (a module in the fixtures) and virtio_rng.
[ -n "$module" ] || module=$transport,virtio_rng
for tool in "$cc" "$qemu" cpio gzip; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not installed (scripts/setup.sh installs it)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-boot.XXXXXX")
keep=0
trap '[ $keep = 1 ] || rm -rf "$work"' EXIT
fail() { keep=1; echo "FAIL ($arch, $compress${repack:+, repack}): $*"; echo "  kept: $work (boot log: $work/boot.log)"; [ -f "$work/boot.log" ] && tail -n 40 "$work/boot.log"; exit 1; }

mkdir -p "$work/root/dev" "$work/root/proc" "$work/root/sys"
"$cc" -static -Os -o "$work/root/init" "$src/init.c" 2>"$work/cc.log" || fail "cannot build the static init: $(cat "$work/cc.log")"
(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -n -9 > "$work/base.cpio.gz"

mod_args=()
IFS=, read -ra mlist <<< "$module"
for m in "${mlist[@]}"; do mod_args+=(-m "$m"); done
bundle_args=(-C "$kdir" "${mod_args[@]}" --base-initramfs "$work/base.cpio.gz" --initramfs "$work/initrd.img" --compress "$compress")
[ -n "$mods" ] && bundle_args+=(--modules-dir "$mods")
[ -n "$repack" ] && bundle_args+=("$repack")
"$KMETA" bundle "${bundle_args[@]}" > "$work/bundle.log" 2>&1 || fail "kmeta bundle failed: $(cat "$work/bundle.log")"

image=$(find "$kdir" -maxdepth 4 \( -path "*/boot/bzImage" -o -path "*/boot/Image" -o -name bzImage -o -name Image \) -type f | head -n 1)
[ -n "$image" ] || fail "no kernel image under $kdir"
append="console=$console panic=-1 kmeta_load=$module kmeta_show=/sys/class/misc/hw_random/rng_current"
start=$(date +%s)
timeout "$timeout_s" "$qemu" "${qargs[@]}" -nographic -no-reboot -kernel "$image" -initrd "$work/initrd.img" \
  -append "$append" > "$work/boot.log" 2>&1 < /dev/null
rc=$?
secs=$(( $(date +%s) - start ))
[ $rc = 124 ] && fail "timeout after ${timeout_s}s"
for bad in "Initramfs unpacking failed" "Unknown symbol" "Kernel panic" "KMETA-BOOT-FAIL"; do
  grep -q "$bad" "$work/boot.log" && fail "boot log says: $(grep -m1 "$bad" "$work/boot.log")"
done
grep -q "KMETA-BOOT-OK" "$work/boot.log" || fail "no KMETA-BOOT-OK marker (qemu exit $rc)"
# The module did more than load: it bound the virtio RNG device.
if [[ ,$module, == *,virtio_rng,* ]]; then
  grep -q "rng_current: virtio_rng" "$work/boot.log" || fail "virtio_rng loaded but is not the current hw_random device"
fi
echo "PASS ($arch, $compress${repack:+, repack}): $(grep -m1 'KMETA-BOOT-OK' "$work/boot.log" | tr -d '\r') in ${secs}s"
grep 'kmeta-init: loaded' "$work/boot.log" | tr -d '\r' | sed 's/^/  /'
