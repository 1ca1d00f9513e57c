#!/usr/bin/env bash
# Boots the x86_64 fixture kernel with a kmeta-bundled initramfs: a gzip base
# + an uncompressed modules cpio (the alignment case), then a repacked xz one.
set -u
k=${KMETA_SHARED:?}/fixtures/kernels/x86_64
[ -f "$k/bzImage" ] || { echo "SKIP: no fixture kernel at $k"; exit 77; }
b=$(dirname "$0")/bundle/boot.sh
bash "$b" --kernel-dir "$k" --arch x86_64 --compress none || exit 1
bash "$b" --kernel-dir "$k" --arch x86_64 --compress xz --repack || exit 1
