#!/usr/bin/env bash
# kmeta bundle end to end on the fixture kernels (no boot: see
# bundle_boot_*.sh): the deploy folder, byte-identical re-runs, the modules
# cpio's contents read back by cpio(1), squashfs injection read back by
# unsquashfs -l, and every missing-input error.
set -u
KMETA=${KMETA:?}
fx=${KMETA_SHARED:?}/fixtures/kernels
[ -f "$fx/x86_64/bzImage" ] || { echo "SKIP: no fixture kernels at $fx"; exit 77; }
t=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-bundle-cli.XXXXXX")
trap 'rm -rf "$t"' EXIT
fails=0
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }

# A rootfs with an existing /etc/init.d, owned by a non-root user.
mkdir -p "$t/root/etc/init.d" "$t/root/bin"
echo 'old' > "$t/root/etc/init.d/rcS"
(cd "$t/root" && tar --owner=1000 --group=1000 --mtime=@1000 --sort=name -cf - .) | tar2sqfs -q -c xz "$t/rootfs.img"
printf '#!/bin/sh\necho hello\n' > "$t/rcS"
printf 'virtio_rng\n#include "more"\n' > "$t/list"
printf 'virtio_pci ?\n' > "$t/more"

run() {
  SOURCE_DATE_EPOCH=1700000000 "$KMETA" bundle -C "$fx/x86_64" -l "$t/list" --rootfs "$t/rootfs.img" \
    --inject "$t/rcS:/etc/init.d/rcS:0755" --add "$t/rcS:/init:0755" --deploy "$1" --name demo \
    --machine qemux86-64 --modules-cpio "$1/modules.cpio.gz"
}
check "deploy runs" 'run "$t/d1" > "$t/out1" 2>&1'
check "deploy re-runs (idempotent)" 'run "$t/d1" > "$t/out1b" 2>&1'
check "deploy again elsewhere" 'run "$t/d2" > "$t/out2" 2>&1'
check "same inputs, same bytes" 'diff -r "$t/d1" "$t/d2" > /dev/null'
d=$t/d1/demo/x86_64
check "image named bzImage" 'cmp -s "$d/bzImage" "$fx/x86_64/bzImage"'
check "files present" '[ -f "$d/initramfs.cpio.gz" ] && [ -f "$d/rootfs.img" ] && [ -f "$d/README" ] && [ -f "$d/manifest.json" ]'
check "manifest sha256 of the initramfs" 'grep -q "$(sha256sum < "$d/initramfs.cpio.gz" | cut -d" " -f1)" "$d/manifest.json"'
check "manifest release and config hash" 'grep -q "\"kernel_release\": \"6.12.118\"" "$d/manifest.json" && grep -q "$(sha256sum < "$fx/x86_64/config" | cut -d" " -f1)" "$d/manifest.json"'
check "README names the machine and boot flow" 'grep -q "qemux86-64" "$d/README" && grep -q "Boot flow" "$d/README"'
check "no temporaries left" '! find "$t/d1" -name "*kmeta-tmp*" | grep -q .'
zcat "$t/d1/modules.cpio.gz" | cpio -it --quiet > "$t/list.txt" 2>/dev/null
check "cpio holds the subset and its index" 'grep -qx "lib/modules/6.12.118/modules.dep" "$t/list.txt" && grep -qx "lib/modules/6.12.118/kernel/drivers/virtio/virtio_pci.ko" "$t/list.txt" && grep -qx init "$t/list.txt"'
check "no build/source links" '! grep -Eq "/(build|source)$" "$t/list.txt"'
check "cpio entries sorted" 'LC_ALL=C sort -c "$t/list.txt"'
zcat "$t/d1/modules.cpio.gz" | cpio -i --quiet --to-stdout lib/modules/6.12.118/modules.dep > "$t/dep" 2>/dev/null
check "the subset's own modules.dep" 'grep -q "^kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/char/hw_random/rng-core.ko" "$t/dep" && ! grep -q intel-rng "$t/dep"'
unsquashfs -lln "$d/rootfs.img" > "$t/ls" 2>&1
check "rootfs: rcS replaced, 0755, owner kept (unsquashfs -l)" 'grep -E "^-rwxr-xr-x 1000/1000 .* squashfs-root/etc/init.d/rcS$" "$t/ls" > /dev/null'
check "arm64 deploy is aarch64/Image" '"$KMETA" bundle -C "$fx/arm64" virtio_mmio --deploy "$t/d3" --name demo > /dev/null 2>&1 && [ -f "$t/d3/demo/aarch64/Image" ] && [ -f "$t/d3/demo/aarch64/initramfs.cpio.gz" ]'

# Every missing input: a clear error naming the command that produces it.
expect_err() {  # name, expected text, args...
  local name=$1 want=$2; shift 2
  "$KMETA" bundle "$@" > "$t/err" 2>&1
  local rc=$?
  if [ $rc = 1 ] && grep -qF -- "$want" "$t/err"; then echo "ok: $name"; else echo "FAIL: $name (exit $rc)"; cat "$t/err"; fails=$((fails + 1)); fi
}
mkdir -p "$t/empty" "$t/noimage"
cp "$fx/x86_64/config" "$t/noimage/.config"; cp "$fx/x86_64/System.map" "$t/noimage/"
expect_err "no build dir" "does not exist. build it first with: kmeta build" -C "$t/nope" virtio_rng --initramfs "$t/x"
expect_err "no .config" "kernel .config not found at $t/empty/.config. build it first with: kmeta build" -C "$t/empty" virtio_rng --initramfs "$t/x"
expect_err "no image" "kernel image not found at $t/noimage/arch/x86/boot/bzImage. build it first with: kmeta build" -C "$t/noimage" --deploy "$t/d4" --name x
expect_err "no modules dir" "modules directory not found" -C "$t/noimage" virtio_rng --initramfs "$t/x"
expect_err "no System.map" "System.map not found at $t/nope.map" -C "$fx/x86_64" --system-map "$t/nope.map" virtio_rng --initramfs "$t/x"
expect_err "no base initramfs" "Initramfs not found at $t/nope.cpio.gz. Build it first" -C "$fx/x86_64" virtio_rng --base-initramfs "$t/nope.cpio.gz" --initramfs "$t/x"
expect_err "no rootfs" "Rootfs not found at $t/nope.img. Build it first" -C "$fx/x86_64" --rootfs "$t/nope.img" --rootfs-out "$t/x"
expect_err "no module list" "$t/nolist: error: cannot read module list" -C "$fx/x86_64" -l "$t/nolist" --initramfs "$t/x"
expect_err "unresolved symbol is an error" "error: module 'virtio_rng' needs symbol" -C "$fx/x86_64" --no-deps virtio_rng --initramfs "$t/x"
expect_err "not built" "<command line>: error: module 'e1000' is not built by this kernel" -C "$fx/x86_64" e1000 --initramfs "$t/x"
check "nothing written on error" '[ ! -e "$t/x" ] && [ ! -e "$t/d4" ]'
[ $fails = 0 ] || { echo "$fails failures"; exit 1; }
echo "all bundle CLI checks passed"
