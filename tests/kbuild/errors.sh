#!/usr/bin/env bash
# kmeta build's clear errors for bad input, each before make compiles
# anything: a missing kernel tree, a missing cross compiler (names the Debian
# package), a .config for another arch or another kernel version, a source
# tree that is not clean for O=, too little disk, no `kmeta config` record.
source "$(dirname "$0")/common.sh"
ARM64_CFG=$SHARED/fixtures/kernels/arm64/config
[ -f "$ARM64_CFG" ] || { echo "SKIP: $ARM64_CFG missing"; exit 77; }

expect() {  # name, exit status, text, command...
  local name=$1 want_rc=$2 text=$3; shift 3
  local rc=0
  "$@" >"$T/out" 2>&1 || rc=$?
  if [ "$rc" != "$want_rc" ] || ! grep -qF -- "$text" "$T/out"; then
    cat "$T/out"
    fail "$name: want exit $want_rc and '$text', got exit $rc"
  fi
  echo "ok: $name: $(grep -F -- "$text" "$T/out" | head -1)"
}

expect "missing kernel tree" 1 "does not exist" \
  "$KMETA" build --kernel "$T/nope" --arch arm64 --config "$ARM64_CFG" -o "$T/b1"
mkdir -p "$T/empty-path"
expect "missing cross compiler" 1 "install Debian's gcc-aarch64-linux-gnu" \
  env PATH="$T/empty-path" "$KMETA" build --kernel "$SRC" --arch arm64 --config "$ARM64_CFG" -o "$T/b2"
printf '#\n#\n# Linux/arm 6.12.118 Kernel Configuration\nCONFIG_MODULES=y\n' >"$T/arm.config"
expect "missing arm cross compiler" 1 "install Debian's gcc-arm-linux-gnueabihf" \
  env PATH="$T/empty-path" "$KMETA" build --kernel "$SRC" --arch arm --config "$T/arm.config" -o "$T/b2a"
expect ".config for another arch" 1 "config:3: error: this .config is for ARCH=arm64, not x86_64" \
  "$KMETA" build --kernel "$SRC" --arch x86_64 --config "$ARM64_CFG" -o "$T/b3"
[ ! -e "$T/b3/.config" ] || fail "a mismatching .config was copied into the build directory"
# A tree of another version, and an unclean one: the tree's own top files in
# a scratch copy (the shared tree is never touched).
mkdir -p "$T/old"
sed 's/^SUBLEVEL = .*/SUBLEVEL = 7/' "$SRC/Makefile" >"$T/old/Makefile"
cp "$SRC/Kconfig" "$T/old/"
expect ".config for another version" 1 "made for Linux 6.12.118, the kernel tree is 6.12.7" \
  "$KMETA" build --kernel "$T/old" --arch arm64 --config "$ARM64_CFG" -o "$T/b4"
cp "$ARM64_CFG" "$T/old/.config"
expect "tree not clean for O=" 1 "mrproper" \
  "$KMETA" build --kernel "$T/old" --arch arm64 --config "$ARM64_CFG" -o "$T/b5"
expect "full disk" 1 "MiB free" \
  "$KMETA" build --kernel "$SRC" --arch arm64 --config "$ARM64_CFG" -o "$T/b6" --min-free-mb 999999999
expect "no kmeta config record" 2 "has no record of a \`kmeta config\` run" "$KMETA" build -C "$T/empty-path"
expect "unknown arch" 2 "did you mean 'aarch64'" \
  "$KMETA" build --kernel "$SRC" --arch aarch65 --config "$ARM64_CFG" -o "$T/b7"
expect "no .config" 1 "has no .config" "$KMETA" build --kernel "$SRC" --arch arm64 -o "$T/b8"
echo PASS
