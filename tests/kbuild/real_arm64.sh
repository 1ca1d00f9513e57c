#!/usr/bin/env bash
# The real thing, once: a tinyconfig-class arm64 kernel (the tree's
# tiny-base.config and tiny.config + the fixtures' boot.fragment: serial console, initramfs, virtio-mmio and
# hw_random as modules) configured by `kmeta config` and cross-built by
# `kmeta build -C` from Debian's linux-source-6.12. Checks the ELF machine of
# vmlinux, the Image magic, the staged modules and modules.dep, build.json;
# a no-change rebuild that resumes after an interruption marker; vmlinux +
# Image relinked from scratch giving the same bytes; and a second build of the
# same inputs (kmeta config + kmeta build again) into a fresh build directory
# at another path giving the same vmlinux, Image and modules.
#
# Leaves its output for later tests (ctest fixture kbuild_arm64):
#   $KMETA_KBUILD_OUT/build                   the O= build directory (vmlinux, arch/arm64/boot/Image, build.json)
#   $KMETA_KBUILD_OUT/build/stage/boot/       Image, System.map, config
#   $KMETA_KBUILD_OUT/build/stage/lib/modules/<release>/  modules_install output (modules.dep, *.ko)
#
# The build uses the shared ccache like any kmeta build (warm after the first
# run anywhere on the machine), so the second build's objects mostly come
# from ccache: that check covers everything kbuild does around the compiler
# (paths, build number, timestamp, user, host, link, kallsyms, objcopy), not
# the compiler's own determinism (bench/build_vs_make.sh compares two
# no-ccache builds' vmlinux and Image).
source "$(dirname "$0")/common.sh"
: "${KMETA_KBUILD_OUT:?}"
command -v aarch64-linux-gnu-gcc >/dev/null || fail "aarch64-linux-gnu-gcc missing (scripts/kernels.sh installs it)"
command -v depmod >/dev/null || PATH=$PATH:/sbin:/usr/sbin
OUT=$KMETA_KBUILD_OUT
B=$OUT/build
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== configure (kmeta config: allnoconfig + tiny-base.config + tiny.config + boot.fragment, i.e. tinyconfig)"
# (fragments are .cfg files to kmeta config, as in a kernel-cache)
cp "$SRC/kernel/configs/tiny.config" "$T/tiny.cfg"
cp "$SHARED/fixtures/kernels/arm64/boot.fragment" "$T/boot.cfg"
configure() {  # build dir
  "$KMETA" config --kernel "$SRC" --arch arm64 --cross-compile aarch64-linux-gnu- \
    --defconfig "$SRC/kernel/configs/tiny-base.config" --fragment "$T/tiny.cfg" --fragment "$T/boot.cfg" \
    --probe-cache "$T/probes" --werror -q -o "$1"
}
configure "$B"
grep -qx 'CONFIG_VIRTIO_MMIO=m' "$B/.config" || fail "the fragment did not stick"
grep -qx 'CONFIG_MODULES=y' "$B/.config" || fail "no modules"

echo "== build (kmeta build -C)"
start=$(date +%s)
"$KMETA" build -C "$B" --progress plain
echo "first build: $(( $(date +%s) - start )) s"

echo "== checks"
[ "$(elf_machine "$B/vmlinux")" = 183 ] || fail "vmlinux is not EM_AARCH64: $(elf_machine "$B/vmlinux")"
magic=$(od -An -tx1 -j56 -N4 "$B/arch/arm64/boot/Image" | tr -d ' ')
[ "$magic" = 41524d64 ] || fail "arch/arm64/boot/Image has no ARM\\x64 magic ($magic)"
cmp -s "$B/arch/arm64/boot/Image" "$B/stage/boot/Image" || fail "staged Image differs"
cmp -s "$B/System.map" "$B/stage/boot/System.map" || fail "staged System.map differs"
cmp -s "$B/.config" "$B/stage/boot/config" || fail "staged config differs"
rel=$(cat "$B/include/config/kernel.release")
want=$(awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3} END{print v "." p "." s}' "$SRC/Makefile")
[ "$rel" = "$want" ] || fail "kernel.release is $rel, the tree's Makefile says $want"
M=$B/stage/lib/modules/$rel
[ -s "$M/modules.dep" ] || fail "no modules.dep"
grep -q 'virtio_mmio.ko' "$M/modules.dep" || fail "virtio_mmio missing from modules.dep"
# Every module and dependency modules.dep names is there, an aarch64 ELF,
# and depmod reading the staged tree again produces the same modules.dep.
sed 's/:/ /' "$M/modules.dep" | tr ' ' '\n' | sed '/^$/d' | sort -u | while read -r ko; do
  [ -f "$M/$ko" ] || fail "modules.dep names $ko, not staged"
  [ "$(elf_machine "$M/$ko")" = 183 ] || fail "$ko is not EM_AARCH64"
done
nko=$(find "$M" -name '*.ko' | wc -l)
[ "$(grep -c '\.ko:' "$M/modules.dep")" = "$nko" ] || fail "modules.dep lists $(grep -c '\.ko:' "$M/modules.dep") of $nko modules"
cp -a "$B/stage" "$T/stage-copy"
depmod -b "$T/stage-copy" "$rel"
cmp -s "$M/modules.dep" "$T/stage-copy/lib/modules/$rel/modules.dep" || fail "depmod disagrees with the staged modules.dep"
# build.json: the image's sha256 and the toolchain.
img_sha=$(sha256sum "$B/arch/arm64/boot/Image" | cut -d' ' -f1)
grep -q "\"sha256\": \"$img_sha\"" "$B/build.json" || fail "build.json lacks the Image sha256"
grep -q '"cross_compile": "aarch64-linux-gnu-"' "$B/build.json" || fail "build.json lacks the toolchain"
grep -q "\"config_sha256\": \"$(sha256sum "$B/.config" | cut -d' ' -f1)\"" "$B/build.json" || fail "config hash"
echo "vmlinux EM_AARCH64, Image magic ok, $nko modules staged, modules.dep matches depmod"

echo "== no-change rebuild, resuming after an interruption marker"
touch "$B/.kernel-meta/kbuild-running"
start=$(date +%s)
"$KMETA" build -C "$B" --progress plain 2>"$T/rebuild.err" || { cat "$T/rebuild.err"; fail "the rebuild failed"; }
cat "$T/rebuild.err"
grep -q 'resuming the interrupted build' "$T/rebuild.err" || fail "no resume note"
[ ! -e "$B/.kernel-meta/kbuild-running" ] || fail "marker left behind"
grep -q '(0 objects compiled' "$T/rebuild.err" || fail "a no-change rebuild compiled something"
echo "no-change rebuild: $(( $(date +%s) - start )) s"
cmp -s "$B/arch/arm64/boot/Image" "$B/stage/boot/Image" || fail "rebuild changed the Image"

echo "== the link again from scratch: the same Image bytes"
# vmlinux is relinked (init/version-timestamp.c recompiled with the build
# number, user, host and timestamp, kallsyms passes, objcopy): the parts a
# rebuild changes when the build is not reproducible. The objects are
# kbuild's own, unchanged.
cp "$B/arch/arm64/boot/Image" "$T/Image.first"
cp "$B/vmlinux" "$T/vmlinux.first"
rm -f "$B/vmlinux" "$B/vmlinux.o" "$B/arch/arm64/boot/Image" "$B/init/version-timestamp.o" "$B/.version"
"$KMETA" build -C "$B" --progress plain
cmp "$T/Image.first" "$B/arch/arm64/boot/Image" || fail "the relinked Image differs"
cmp "$T/vmlinux.first" "$B/vmlinux" || fail "the relinked vmlinux differs"
cmp -s "$B/arch/arm64/boot/Image" "$B/stage/boot/Image" || fail "staged Image differs after the relink"
echo "same Image bytes after a relink from scratch: $img_sha"

echo "== the same inputs built again, into a fresh build directory elsewhere: the same bytes"
# Another O= path (under the test's temp dir, not beside $B): the image must
# not depend on where it was built. kmeta config runs again too, so the whole
# BSP -> image path is repeated. Objects may come from ccache (see above).
B2=$T/second/linux-arm64-again-build
configure "$B2"
cmp "$B/.config" "$B2/.config" || fail "kmeta config gave another .config the second time"
start=$(date +%s)
"$KMETA" build -C "$B2" --progress plain
echo "second build: $(( $(date +%s) - start )) s"
cmp "$B/vmlinux" "$B2/vmlinux" || fail "the second build's vmlinux differs"
cmp "$B/arch/arm64/boot/Image" "$B2/arch/arm64/boot/Image" || fail "the second build's Image differs"
# The staged modules too (modules_install's build/source links point at each
# build directory, so they are left out).
diff -r --no-dereference -x build -x source "$B/stage/lib/modules" "$B2/stage/lib/modules" \
  || fail "the second build's staged modules differ"
nsame=$(find "$B2/stage/lib/modules" -name '*.ko' | wc -l)
echo "same vmlinux, Image ($img_sha) and $nsame modules from a second build in $B2"
rm -rf "$T/second"
echo "PASS"
