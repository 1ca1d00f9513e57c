#!/usr/bin/env bash
# Boots the arm64 fixture kernel with a kmeta-bundled initramfs: a gzip base +
# an uncompressed modules cpio (the alignment case), then + a zstd one.
set -u
k=${KMETA_SHARED:?}/fixtures/kernels/arm64
[ -f "$k/Image" ] || { echo "SKIP: no fixture kernel at $k"; exit 77; }
b=$(dirname "$0")/bundle/boot.sh
bash "$b" --kernel-dir "$k" --arch arm64 --compress none || exit 1
bash "$b" --kernel-dir "$k" --arch arm64 --compress zstd || exit 1
