#!/bin/sh
# Builds the lkc oracle: the kernel's own scripts/kconfig objects (from a
# configured kernel build, e.g. `make defconfig` in O=build-<ver>) linked with
# oracle.c, which prints the finalized model in dump_model()'s format.
# usage: build.sh KERNELS_DIR OUT_DIR   (KERNELS_DIR holds linux-<v>, build-<v>)
set -e
K=${1:-$HOME/.cache/kmeta/kernels}; OUT=${2:-/tmp/kconfig-oracle}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
for v in 6.12 6.1; do
  B=$K/build-$v/scripts/kconfig; S=$K/linux-$v/scripts/kconfig
  def=""; [ $v = 6.12 ] && def="-DV612"
  gcc -O1 $def -I"$S" -I"$K/linux-$v/scripts/include" -o "$OUT/oracle-$v" "$here/oracle.c" \
    "$B/confdata.o" "$B/expr.o" "$B/lexer.lex.o" "$B/menu.o" "$B/parser.tab.o" \
    "$B/preprocess.o" "$B/symbol.o" "$B/util.o"
done
echo "built $OUT/oracle-6.12 $OUT/oracle-6.1"
