#!/usr/bin/env bash
# End to end: the arm64 kernel kmeta build made in this run (fixture
# kbuild_arm64, from kbuild.real_arm64) bundled by kmeta bundle -C BUILD (its
# modules from BUILD/stage) and booted in QEMU with the project's own static
# init; the init loads virtio_mmio and virtio_rng from the concatenated
# archive (tests/bundle/boot.sh: a boot-log failure string or a timeout fails),
# uncompressed and gzip; zstd, which this kernel cannot unpack, is refused.
source "$(dirname "$0")/common.sh"
B=${KMETA_KBUILD_OUT:?}/build
[ -f "$B/build.json" ] || fail "no kmeta-built arm64 kernel in $B (kbuild.real_arm64 sets it up)"
boot=$(dirname "$0")/../bundle/boot.sh
bash "$boot" --kernel-dir "$B" --arch arm64 --compress none || exit 1
bash "$boot" --kernel-dir "$B" --arch arm64 --compress gzip || exit 1
# This kernel unpacks gzip only (CONFIG_RD_ZSTD is not set): a zstd modules
# archive is refused before anything is written, naming the option.
grep -qx '# CONFIG_RD_ZSTD is not set' "$B/.config" || fail "the test kernel unexpectedly has RD_ZSTD"
rc=0
"$KMETA" bundle -C "$B" -m virtio_rng --compress zstd --initramfs "$T/z.img" >"$T/z.log" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "a zstd archive for a kernel without RD_ZSTD was accepted"
grep -q 'CONFIG_RD_ZSTD is not set' "$T/z.log" || fail "the refusal does not name CONFIG_RD_ZSTD: $(cat "$T/z.log")"
[ ! -e "$T/z.img" ] || fail "a refused bundle left $T/z.img"
echo "ok: zstd refused for a kernel without CONFIG_RD_ZSTD"
