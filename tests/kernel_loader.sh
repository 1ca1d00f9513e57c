#!/usr/bin/env bash
# `kmeta kconfig` and `kmeta config` load a kernel through the one library
# loader (kbuild/kernel_loader.h) and so fail alike when the compiler probe
# fails (docs/kconfig-toolchain.md, "Loading a kernel"):
#   * a CROSS_COMPILE whose gcc does not exist: `$(CC) --version` prints
#     nothing, as under make, and the tree's own Kconfig check reports it
#     (lkc's located "C compiler '...' not found"), exit 1 for both;
#   * --replay with that probe never recorded: both stop at the same
#     "probe cache miss in replay mode" error before parsing.
# Runs on the bundled example tree (no real kernel needed).
#
# Environment: KMETA (kmeta binary), KMETA_SRC (source tree).
set -u
KMETA=${KMETA:?KMETA must name the kmeta binary}
SRC=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-loader.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export HOME=$WORK/home XDG_CACHE_HOME=$WORK/xdg KMETA_PROBE_CACHE=$WORK/probes
fails=0 passes=0
check() {  # description, command...
    local d=$1; shift
    if "$@"; then passes=$((passes + 1)); else echo "FAIL: $d"; fails=$((fails + 1)); fi
}

K=$WORK/linux
cp -r "$SRC/examples/linux" "$K"
# What the kernel's scripts/Kconfig.include says about a missing compiler.
cat >> "$K/scripts/Kconfig.include" <<'KCONFIG'
if-success = $(shell,{ $(1); } >/dev/null 2>&1 && echo "$(2)" || echo "$(3)")
failure = $(if-success,$(1),n,y)
$(error-if,$(failure,command -v $(CC)),C compiler '$(CC)' not found)
KCONFIG
line=$(wc -l < "$K/scripts/Kconfig.include")
want="scripts/Kconfig.include:$line: C compiler 'kmeta-no-such-gcc' not found"

kconfig() { "$KMETA" kconfig --kernel "$K" --arch x86 --cross-compile kmeta-no-such- "$@"; }
config() {
    "$KMETA" config --cache "$SRC/examples/kernel-cache" --machine demo-board --type standard \
        --kernel "$K" --arch x86 --cross-compile kmeta-no-such- "$@"
}

# The host compiler still works: both succeed.
"$KMETA" kconfig --kernel "$K" --arch x86 -O "$WORK/ok1" alldefconfig > /dev/null 2> "$WORK/ok1.err"
check "kconfig with the host compiler succeeds" test $? -eq 0
"$KMETA" config --cache "$SRC/examples/kernel-cache" --machine demo-board --type standard \
    --kernel "$K" --arch x86 -o "$WORK/ok2" > /dev/null 2> "$WORK/ok2.err"
check "config with the host compiler succeeds" test $? -le 1

# A compiler that does not exist.
kconfig -O "$WORK/b1" alldefconfig > /dev/null 2> "$WORK/kconfig.err"
rc1=$?
config -o "$WORK/b2" > /dev/null 2> "$WORK/config.err"
rc2=$?
check "missing CC: kmeta kconfig exits 1 (rc=$rc1)" test $rc1 -eq 1
check "missing CC: kmeta config exits 1 (rc=$rc2)" test $rc2 -eq 1
check "missing CC: kmeta kconfig reports the tree's check" grep -qF "$want" "$WORK/kconfig.err"
check "missing CC: kmeta config reports the tree's check" grep -qF "$want" "$WORK/config.err"
check "missing CC: no .config from kmeta kconfig" test ! -e "$WORK/b1/.config"
check "missing CC: no .config from kmeta config" test ! -e "$WORK/b2/.config"

# The same with the compiler probe absent from a replayed cache.
kconfig --replay --probe-cache "$WORK/empty1" -O "$WORK/b3" alldefconfig > /dev/null 2> "$WORK/kconfig-replay.err"
rc1=$?
config --replay --probe-cache "$WORK/empty2" -o "$WORK/b4" > /dev/null 2> "$WORK/config-replay.err"
rc2=$?
miss='probe cache miss in replay mode: $(shell,LC_ALL=C kmeta-no-such-gcc --version 2>/dev/null | head -n 1)'
check "replay miss: kmeta kconfig exits 1 (rc=$rc1)" test $rc1 -eq 1
check "replay miss: kmeta config exits 1 (rc=$rc2)" test $rc2 -eq 1
check "replay miss: kmeta kconfig names the compiler probe" grep -qF "$miss" "$WORK/kconfig-replay.err"
check "replay miss: kmeta config names the compiler probe" grep -qF "$miss" "$WORK/config-replay.err"

echo "kernel_loader: $passes passed, $fails failed"
if [ $fails -ne 0 ]; then
    for f in "$WORK"/*.err; do echo "--- $(basename "$f")"; sed 's/^/    /' "$f"; done
    exit 1
fi
exit 0
