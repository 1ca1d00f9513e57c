#!/usr/bin/env bash
# `kmeta conf` as make runs it (cwd = the O= dir, make's environment):
#   1. with the caches on (the default) its .config equals the kernel's own
#      conf's, on the first run (probes executed and stored, the parse stored)
#      and on the second (answered from the probe and model caches);
#   2. KMETA_CONF_CACHE=0 gives the same .config and writes no cache at all.
# linux-6.12, x86_64 defconfig then olddefconfig. Exit 77 without the kernel.
set -uo pipefail
KMETA=${KMETA:?KMETA must name the kmeta binary}
KMETA=$(cd "$(dirname "$KMETA")" && pwd)/$(basename "$KMETA")
KERNELS=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
KSRC=$KERNELS/linux-6.12
CONF=$KERNELS/build-6.12/scripts/kconfig/conf
[ -x "$CONF" ] || { echo "SKIP: no kernel conf at $CONF (scripts/kernels.sh builds it)"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-conf-cache.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
O=$WORK/o; mkdir -p "$O"
envsh=$("$KMETA" kconfig --kernel "$KSRC" --arch x86_64 -O "$O" --no-probe-cache env) || exit 1
(cd "$O" && eval "$envsh" && "$CONF" -s --defconfig=arch/x86/configs/x86_64_defconfig Kconfig) || exit 1
sed -i '/^CONFIG_NET=/d' "$O/.config"   # something for olddefconfig to decide
cp "$O/.config" "$WORK/seed"
run() {  # OUT PROG...: olddefconfig from the seed under make's environment
  local out=$1; shift
  cp "$WORK/seed" "$O/.config"
  (cd "$O" && eval "$envsh" && "$@" -s --olddefconfig Kconfig) > "$out.log" 2>&1
  echo $? > "$out.rc"
  cp "$O/.config" "$out"
}
status=0
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; status=1; fi; }
run "$WORK/conf" "$CONF"
run "$WORK/k1" env KMETA_PROBE_CACHE="$WORK/cache" "$KMETA" conf
check "first run (probes executed and stored): .config = conf's" cmp -s "$WORK/conf" "$WORK/k1"
check "the probes and the parse were stored" test -n "$(ls "$WORK/cache/models" 2>/dev/null)"
(cd "$WORK/cache" && find . -type f | sort) > "$WORK/before"
run "$WORK/k2" env KMETA_PROBE_CACHE="$WORK/cache" "$KMETA" conf
check "second run (from the caches): .config = conf's" cmp -s "$WORK/conf" "$WORK/k2"
(cd "$WORK/cache" && find . -type f | sort) > "$WORK/after"
check "second run added no probe or model entry (all answered from the caches)" cmp -s "$WORK/before" "$WORK/after"
run "$WORK/k0" env KMETA_CONF_CACHE=0 KMETA_PROBE_CACHE="$WORK/nocache" "$KMETA" conf
check "KMETA_CONF_CACHE=0: .config = conf's" cmp -s "$WORK/conf" "$WORK/k0"
check "KMETA_CONF_CACHE=0 writes no cache" test ! -e "$WORK/nocache"
check "same exit status and messages" cmp -s "$WORK/conf.log" "$WORK/k1.log"
exit $status
