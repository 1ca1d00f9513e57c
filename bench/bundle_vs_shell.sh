#!/usr/bin/env bash
# kmeta bundle vs the shell pipeline it replaces, side by side: a modules
# cpio of a 50-module subset with its own index.
#
#   shell: find the .ko files | cp --parents into a staging dir | depmod -b |
#          find | sort | cpio -o -H newc | gzip -n
#   kmeta: kmeta bundle --modules-dir ... -l list --modules-cpio out.cpio.gz
#          (closure via libkmod, System.map symbol check, depmod in a private
#          dir, libarchive cpio + gzip)
#
# Module set: there is no installed /lib/modules on the build machines, so
# the set is synthetic, made by repackaging the x86_64 fixture's 10 real
# modules: copies under kernel/extra/cNN/ with their file names suffixed
# (libkmod and depmod name a module after its file), 7 copies -> 80 modules,
# of which the list selects 50 (a copy's exports duplicate the original's, so
# depmod resolves them to the first provider, as it would for any duplicate).
#
#   bench/bundle_vs_shell.sh [KMETA] [RUNS]
set -euo pipefail
KMETA=${1:-build/kmeta}
RUNS=${2:-5}
fx=$(cd "$(dirname "$0")/../.." && pwd)/shared/fixtures/kernels/x86_64
[ -d "$fx" ] || fx=$(cd "$(dirname "$0")/.." && pwd)/../shared/fixtures/kernels/x86_64
t=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-bench.XXXXXX")
trap 'rm -rf "$t"' EXIT
rel=6.12.118
src=$t/tree/lib/modules/$rel
mkdir -p "$src"
cp -r "$fx/lib/modules/$rel/." "$src/"
chmod -R u+w "$t/tree"
for i in 1 2 3 4 5 6 7; do
  find "$fx/lib/modules/$rel/kernel" -name '*.ko' | while read -r ko; do
    b=$(basename "$ko" .ko)
    mkdir -p "$src/kernel/extra/c0$i"
    cp "$ko" "$src/kernel/extra/c0$i/${b}_c0$i.ko"
  done
done
depmod -b "$t/tree" "$rel"
total=$(find "$src" -name '*.ko' | wc -l)
# 50 modules: every module of copies 1..4 (40), plus the 10 originals.
{ find "$src/kernel/extra" -name '*_c0[1-4].ko' -printf '%f\n' | sed 's/\.ko$//'
  find "$src/kernel/drivers" -name '*.ko' -printf '%f\n' | sed 's/\.ko$//' | sort; } | sort > "$t/list"
n=$(wc -l < "$t/list")

kmeta_run() {
  "$KMETA" bundle -C "$fx" --modules-dir "$src" -l "$t/list" --modules-cpio "$t/k.cpio.gz" > /dev/null
}
# The same set the shell must ship: what kmeta's closure chose.
kmeta_run
zcat "$t/k.cpio.gz" | cpio -it --quiet | grep '\.ko$' | sed "s|lib/modules/$rel/||" > "$t/paths"
shell_run() {
  rm -rf "$t/s" && mkdir -p "$t/s/lib/modules/$rel"
  (cd "$src" && xargs cp --parents -t "$t/s/lib/modules/$rel" < "$t/paths")
  cp "$src/modules.order" "$src/modules.builtin" "$src/modules.builtin.modinfo" "$t/s/lib/modules/$rel/"
  depmod -b "$t/s" "$rel"
  (cd "$t/s" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -n -9 > "$t/s.cpio.gz")
}
time_runs() {  # fn -> best wall ms of RUNS
  local best=999999 s e ms
  for _ in $(seq "$RUNS"); do
    s=$(date +%s%N); "$1"; e=$(date +%s%N)
    ms=$(( (e - s) / 1000000 )); [ $ms -lt $best ] && best=$ms
  done
  echo $best
}
k=$(time_runs kmeta_run)
s=$(time_runs shell_run)
echo "module set: $total modules (synthetic, repackaged from the x86_64 fixture); list: $n names; shipped: $(wc -l < "$t/paths") modules"
printf '%-44s %8s %10s\n' "pipeline" "best ms" "bytes"
printf '%-44s %8d %10d\n' "shell: cp + depmod + find|cpio|gzip -n" "$s" "$(stat -c %s "$t/s.cpio.gz")"
printf '%-44s %8d %10d\n' "kmeta bundle (closure + symbol check incl.)" "$k" "$(stat -c %s "$t/k.cpio.gz")"
echo "ratio shell/kmeta: $(awk "BEGIN{printf \"%.2f\", $s/$k}")x"
# Both archives hold the same files.
diff <(zcat "$t/k.cpio.gz" | cpio -it --quiet | sort) <(zcat "$t/s.cpio.gz" | cpio -it --quiet | sed 's|^\./||' | grep -v '^\.$' | sort) > /dev/null \
  && echo "same file list: yes" || echo "same file list: NO (differences above are listed by diff)"

# Rootfs injection: one init script into /etc/init.d of a ~2 MB squashfs.
#   shell: unsquashfs + install -m 0755 + mksquashfs (owners lost without root)
#   kmeta: sqfs2tar | libarchive filter | tar2sqfs (owners kept)
mkdir -p "$t/rf/etc/init.d" "$t/rf/usr/bin"
for f in /usr/bin/*; do
  [ -f "$f" ] || continue
  cp "$f" "$t/rf/usr/bin/" 2>/dev/null || true
  [ "$(du -sk "$t/rf" | cut -f1)" -ge 2048 ] && break
done
printf '#!/bin/sh\n' > "$t/rcS"
mksquashfs "$t/rf" "$t/rootfs.img" -comp xz -noappend -quiet > /dev/null
rk() { "$KMETA" bundle --config "$fx/config" --rootfs "$t/rootfs.img" --rootfs-out "$t/k.img" --inject "$t/rcS:/etc/init.d/rcS:0755" > /dev/null; }
rs() {
  rm -rf "$t/u" && unsquashfs -q -d "$t/u" "$t/rootfs.img" > /dev/null
  install -m 0755 "$t/rcS" "$t/u/etc/init.d/rcS"
  mksquashfs "$t/u" "$t/s.img" -comp xz -noappend -quiet > /dev/null
}
k=$(time_runs rk)
s=$(time_runs rs)
echo "rootfs: $(stat -c %s "$t/rootfs.img") bytes squashfs (xz), $(du -sk "$t/rf" | cut -f1) KiB unpacked"
printf '%-44s %8d\n' "shell: unsquashfs + install + mksquashfs" "$s"
printf '%-44s %8d\n' "kmeta: sqfs2tar | libarchive | tar2sqfs" "$k"
echo "ratio shell/kmeta: $(awk "BEGIN{printf \"%.2f\", $s/$k}")x"
