#!/usr/bin/env bash
# CI subset of scripts/kconfig-sweep.sh: kmeta against the kernel's own conf on
# real trees, plus the toolchain plumbing around it.
#
#  1. x86_64 and arm64 defconfigs of 6.12 and 6.1, and allnoconfig/allmodconfig
#     for both arches: .config byte for byte (scripts/kconfig-sweep.sh).
#  2. The derived environment is make's: `make O=.. ARCH=x86_64 defconfig`
#     gives the same .config as the real conf under `kmeta kconfig env`.
#  3. Replay: with the probes recorded by 1, `kmeta kconfig --replay` spawns
#     nothing and writes the same .config; with an empty cache it fails naming
#     the missing probe.
#
# Environment: KMETA (kmeta binary), KMETA_SRC (source tree), KMETA_KERNELS
# (default ~/.cache/kmeta/kernels). Exit 77 with "SKIP: reason" when the kernel
# trees are absent; non-zero on any mismatch.
set -u
src=${KMETA_SRC:-$(cd "$(dirname "$0")/.." && pwd)}
kernels=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
if [ -z "${KMETA:-}" ] || [ ! -x "$KMETA" ]; then
    echo "kmeta binary not found (KMETA=${KMETA:-unset})" >&2
    exit 1
fi
have=()
for v in 6.12 6.1; do
    [ -f "$kernels/linux-$v/Makefile" ] && [ -x "$kernels/build-$v/scripts/kconfig/conf" ] && have+=(--kernel "$v")
done
if [ ${#have[@]} -eq 0 ]; then
    echo "SKIP: no kernel trees with a built conf under $kernels (scripts/kernels.sh provisions them)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmeta-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
probes=$tmp/probes
status=0

echo "== 1. differential subset"
bash "$src/scripts/kconfig-sweep.sh" "${have[@]}" --kmeta "$KMETA" --probe-cache "$probes" --no-install \
    --only defconfigs,allconfig --all-modes allnoconfig,allmodconfig \
    --match '/(defconfigs/x86_64/x86_64_defconfig|defconfigs/arm64/defconfig|allconfig/(x86_64|arm64)/)' \
    --work "$tmp/sweep" --keep --diff-lines 20 || status=1

v12=$kernels/linux-6.12
if [ -f "$v12/Makefile" ] && [ -d "$tmp/sweep/run/6.12/defconfigs/x86_64/x86_64_defconfig/conf" ]; then
    echo "== 2. kmeta's environment is make's (6.12 x86_64 defconfig)"
    if command -v make >/dev/null && command -v gcc >/dev/null; then
        if make -s -C "$v12" O="$tmp/make" ARCH=x86_64 defconfig >"$tmp/make.log" 2>&1; then
            if cmp -s "$tmp/make/.config" "$tmp/sweep/run/6.12/defconfigs/x86_64/x86_64_defconfig/conf/.config"; then
                echo "ok: make defconfig == conf under 'kmeta kconfig env'"
            else
                echo "FAIL: make defconfig differs from conf under 'kmeta kconfig env':"
                diff -u "$tmp/make/.config" "$tmp/sweep/run/6.12/defconfigs/x86_64/x86_64_defconfig/conf/.config" | head -20
                status=1
            fi
        else
            echo "FAIL: make defconfig failed:"; tail -5 "$tmp/make.log"; status=1
        fi
    else
        echo "skipped: no make/gcc"
    fi

    echo "== 3. replay"
    out=$("$KMETA" kconfig --kernel "$v12" --arch x86_64 -O "$tmp/replay" --probe-cache "$probes" --replay \
        --probe-stats -s defconfig 2>&1)
    rc=$?
    if [ $rc -ne 0 ] || ! printf '%s\n' "$out" | grep -q ' 0 misses, 0 stored, 0 spawned'; then
        echo "FAIL: replay of recorded probes (rc=$rc):"; printf '%s\n' "$out" | tail -5; status=1
    elif ! cmp -s "$tmp/replay/.config" "$tmp/sweep/run/6.12/defconfigs/x86_64/x86_64_defconfig/kmeta/.config"; then
        echo "FAIL: replayed .config differs from the recorded run"; status=1
    else
        echo "ok: replay spawned nothing, same .config"
    fi
    out=$("$KMETA" kconfig --kernel "$v12" --arch x86_64 -O "$tmp/replay-empty" --probe-cache "$tmp/empty" --replay \
        -s defconfig 2>&1)
    rc=$?
    if [ $rc -eq 0 ] || ! printf '%s\n' "$out" | grep -q 'probe cache miss in replay mode: \$(shell,'; then
        echo "FAIL: replay with an empty cache should fail naming the probe (rc=$rc):"
        printf '%s\n' "$out" | tail -3; status=1
    else
        echo "ok: empty cache in replay mode: $(printf '%s\n' "$out" | grep -m1 -o 'probe cache miss.\{0,80\}')..."
    fi
fi
exit $status
