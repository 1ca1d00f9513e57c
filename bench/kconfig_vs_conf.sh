#!/usr/bin/env bash
# kmeta vs the kernel's conf (and Kconfiglib): olddefconfig, side by side.
#
# For 6.12 x86_64 and arm64 (ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- when
# that compiler exists), starting from the arch defconfig's result:
#   kmeta warm   kmeta kconfig ... olddefconfig, probe cache filled (and with
#                it the stored parse, model_cache.h)
#   kmeta warm, parsing   the same with --no-model-cache: probes from the
#                cache, but the Kconfig tree parsed every run
#   kmeta cold   the same with an empty probe cache (and so no stored model)
#                every run
#   baseline     with --baseline PATH: "kmeta warm" with another kmeta binary
#                (e.g. the previous commit's build), in the same run and
#                environment, so before/after are measured side by side
#   conf         scripts/kconfig/conf -s --olddefconfig Kconfig, invoked as the
#                Makefile does (cwd = O=, the environment make exports, so it
#                runs its own $(shell) probes)
#   kconfiglib   olddefconfig.py of the Kconfiglib copy in yocto-kernel-tools
#                (patched for 6.x's `modules`), same environment; skipped when
#                --kconfiglib DIR / $KCONFIGLIB is not given
# Wall time: hyperfine (mean of --runs runs after a warm-up) or a timing loop;
# peak RSS: /usr/bin/time -f %M (max over 3 runs). Then, with --all-defconfigs,
# every 6.12 arch/*/configs/*defconfig resolved by kmeta on 2 cores
# (scripts/kconfig-sweep.sh --kmeta-only), with an empty and a filled cache.
#
# usage: bench/kconfig_vs_conf.sh [--kmeta PATH] [--baseline PATH] [--kernel 6.12]
#          [--runs N] [--kconfiglib DIR] [--all-defconfigs] [--out FILE]
# Prints a markdown table (also to --out FILE).
set -uo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
KMETA_BIN=${KMETA:-}
BASE_BIN=""
VER=6.12
RUNS=10
KCONFIGLIB=${KCONFIGLIB:-}
ALL=0
OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kmeta) KMETA_BIN=$2; shift 2 ;;
        --baseline) BASE_BIN=$(readlink -f "$2"); shift 2 ;;
        --kernel) VER=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --kconfiglib) KCONFIGLIB=$2; shift 2 ;;
        --all-defconfigs) ALL=1; shift ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
if [ -z "$KMETA_BIN" ]; then
    for b in "$HERE/build/kmeta" "$HERE/build-harness/kmeta"; do [ -x "$b" ] && KMETA_BIN=$b && break; done
fi
[ -x "$KMETA_BIN" ] || { echo "no kmeta binary (--kmeta)" >&2; exit 2; }
KMETA_BIN=$(readlink -f "$KMETA_BIN")
CACHE=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
SRC=$CACHE/linux-$VER
CONF=$CACHE/build-$VER/scripts/kconfig/conf
[ -f "$SRC/Makefile" ] && [ -x "$CONF" ] || { echo "SKIP: linux-$VER or its conf absent under $CACHE"; exit 77; }
if [ -n "$KCONFIGLIB" ] && [ ! -f "$KCONFIGLIB/olddefconfig.py" ]; then
    echo "kconfiglib: $KCONFIGLIB/olddefconfig.py not found; skipping it" >&2
    KCONFIGLIB=""
fi
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
HYPERFINE=$(command -v hyperfine || true)

W=$(mktemp -d /tmp/kmeta-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
REPORT=$W/report.md

# mean wall seconds of a command run in a directory
time_mean() {  # dir prepare-cmd cmd
    local dir=$1 prep=$2 cmd=$3
    if [ -n "$HYPERFINE" ]; then
        (cd "$dir" && "$HYPERFINE" -N --style none --warmup 1 --runs "$RUNS" ${prep:+--prepare "$prep"} \
            --export-csv "$W/hf.csv" "$cmd" >/dev/null 2>&1) || { echo "nan"; return; }
        awk -F, 'NR==2 {printf "%.4f %.4f", $2, $5 + $6}' "$W/hf.csv"
    else
        local i t0 t1 sum=0
        (cd "$dir" && eval "$prep" && eval "$cmd") >/dev/null 2>&1
        for i in $(seq "$RUNS"); do
            [ -n "$prep" ] && (cd "$dir" && eval "$prep")
            t0=$(date +%s%N); (cd "$dir" && eval "$cmd") >/dev/null 2>&1; t1=$(date +%s%N)
            sum=$((sum + t1 - t0))
        done
        awk -v s="$sum" -v n="$RUNS" 'BEGIN {printf "%.4f nan", s / n / 1e9}'
    fi
}
# Peak RSS of the tool's own process (VmHWM, sampled until it exits; max of
# 3 runs) and of its whole process tree (/usr/bin/time %M: the largest of the
# tool and every probe it spawned, e.g. cc1).
own_rss() {  # dir prepare-cmd cmd -> KiB
    local dir=$1 prep=$2 cmd=$3 best=0 hwm pid k v i
    for i in 1 2 3; do
        [ -n "$prep" ] && (cd "$dir" && eval "$prep")
        (cd "$dir" && eval "exec $cmd") >/dev/null 2>&1 &
        pid=$! hwm=0
        while kill -0 "$pid" 2>/dev/null; do
            while read -r k v _; do [ "$k" = VmHWM: ] && hwm=$v; done < "/proc/$pid/status" 2>/dev/null
            sleep 0.002
        done
        wait "$pid"
        [ "$hwm" -gt "$best" ] && best=$hwm
    done
    echo "$best"
}
tree_rss() {  # dir prepare-cmd cmd -> KiB (max of 3)
    local dir=$1 prep=$2 cmd=$3 best=0 r i
    for i in 1 2 3; do
        [ -n "$prep" ] && (cd "$dir" && eval "$prep")
        r=$(cd "$dir" && /usr/bin/time -f '%M' sh -c "exec $cmd" 2>&1 >/dev/null | tail -n 1)
        [ "$r" -gt "$best" ] 2>/dev/null && best=$r
    done
    echo "$best"
}

{
echo "| $VER olddefconfig | tool | wall (mean of $RUNS) | wall vs conf | CPU user+sys | peak RSS (own) | own vs conf | peak RSS (tree) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
} > "$REPORT"
load0=$(cut -d' ' -f1 /proc/loadavg)
for arch in x86_64 arm64; do
    xc=()
    [ "$arch" = arm64 ] && command -v aarch64-linux-gnu-gcc >/dev/null && xc=(--cross-compile aarch64-linux-gnu-)
    base=(kconfig --kernel "$SRC" --arch "$arch" "${xc[@]}")
    d=$W/$arch
    mkdir -p "$d/conf" "$d/kmeta" "$d/parse" "$d/cold" "$d/kl" "$d/base"
    "$KMETA_BIN" "${base[@]}" -O "$d/conf" env > "$d/conf/env.sh"
    # Seed: the real conf's defconfig result, in every tool's directory.
    (cd "$d/conf" && . ./env.sh && "$CONF" -s --defconfig="arch/$SRCARCH/configs/$KBUILD_DEFCONFIG" Kconfig) >/dev/null 2>&1
    for t in kmeta parse cold kl base; do cp "$d/conf/.config" "$d/$t/.config"; cp "$d/conf/env.sh" "$d/$t/env.sh"; done
    warm="$KMETA_BIN ${base[*]} -O $d/kmeta --probe-cache $W/probes -s olddefconfig"
    parse="$KMETA_BIN ${base[*]} -O $d/parse --probe-cache $W/probes --no-model-cache -s olddefconfig"
    cold="$KMETA_BIN ${base[*]} -O $d/cold --probe-cache $W/probes-cold -s olddefconfig"
    $warm >/dev/null 2>&1  # fill the cache
    basec="$BASE_BIN ${base[*]} -O $d/base --probe-cache $W/probes-base -s olddefconfig"
    [ -n "$BASE_BIN" ] && $basec >/dev/null 2>&1
    confc="sh -c '. ./env.sh && exec $CONF -s --olddefconfig Kconfig'"
    klc="sh -c '. ./env.sh && exec python3 $KCONFIGLIB/olddefconfig.py Kconfig'"
    read -r t_conf c_conf <<< "$(time_mean "$d/conf" "" "$confc")"
    o_conf=$(own_rss "$d/conf" "" "$confc")
    g_conf=$(tree_rss "$d/conf" "" "$confc")
    row() {  # tool dir prepare cmd
        local t c o g
        if [ "$1" = conf ]; then
            t=$t_conf c=$c_conf o=$o_conf g=$g_conf
        else
            read -r t c <<< "$(time_mean "$2" "$3" "$4")"
            o=$(own_rss "$2" "$3" "$4")
            g=$(tree_rss "$2" "$3" "$4")
        fi
        awk -v a="$arch" -v tool="$1" -v t="$t" -v c="$c" -v tc="$t_conf" -v o="$o" -v oc="$o_conf" -v g="$g" 'BEGIN {
            printf "| %s | %s | %.1f ms | %s | %.1f ms | %.1f MiB | %s | %.1f MiB |\n", a, tool, t * 1000,
                (tool == "conf" ? "1" : (t < tc ? sprintf("%.1fx faster", tc / t) : sprintf("%.2fx slower", t / tc))),
                c * 1000, o / 1024, (tool == "conf" ? "1" : sprintf("%.2fx", o / oc)), g / 1024 }' >> "$REPORT"
    }
    row conf "$d/conf" "" "$confc"
    row "kmeta warm" "$d/kmeta" "" "$warm"
    if [ -n "$BASE_BIN" ]; then
        row "baseline warm" "$d/base" "" "$basec"
        row "kmeta warm (again)" "$d/kmeta" "" "$warm"
    fi
    row "kmeta warm, parsing" "$d/parse" "" "$parse"
    row "kmeta cold" "$d/cold" "rm -rf $W/probes-cold" "$cold"
    if [ -n "$KCONFIGLIB" ]; then
        row kconfiglib "$d/kl" "" "$klc"
    else
        echo "| $arch | kconfiglib | absent (pass --kconfiglib DIR) | | | | | |" >> "$REPORT"
    fi
done

if [ "$ALL" = 1 ]; then
    n=$(bash "$HERE/scripts/kconfig-sweep.sh" --kernel "$VER" --only defconfigs --list --kmeta "$KMETA_BIN" | wc -l)
    # Each run writes a fresh O= dir with ~2000 include/config/* files, as conf
    # does; on this machine's disk file creation alone varies 2x between runs,
    # so the build dirs go to tmpfs when there is one (as CI farms do).
    AW=$W
    [ -d /dev/shm ] && [ -w /dev/shm ] && AW=$(mktemp -d /dev/shm/kmeta-bench-all.XXXXXX)
    for state in cold warm; do
        [ "$state" = cold ] && rm -rf "$W/probes-all"
        t0=$(date +%s%N)
        bash "$HERE/scripts/kconfig-sweep.sh" --kernel "$VER" --only defconfigs --kmeta-only --no-install \
            --kmeta "$KMETA_BIN" --probe-cache "$W/probes-all" --jobs 2 --work "$AW/all-$state" >/dev/null 2>&1
        t1=$(date +%s%N)
        rm -rf "$AW/all-$state"
        awk -v n="$n" -v s="$state" -v t="$(( (t1 - t0) / 1000000 ))" -v fs="$(stat -f -c %T "$AW")" 'BEGIN {
            printf "\nevery %d %s defconfig resolved by kmeta on 2 cores, %s probe cache (build dirs on %s): %.1f s\n", n, "'"$VER"'", s, fs, t / 1000 }' >> "$REPORT"
    done
    [ "$AW" != "$W" ] && rm -rf "$AW"
fi
echo "" >> "$REPORT"
echo "load average at start/end: $load0 / $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores; $( [ -n "$HYPERFINE" ] && echo hyperfine || echo timing loop)" >> "$REPORT"
cat "$REPORT"
[ -n "$OUT" ] && cp "$REPORT" "$OUT"
exit 0
