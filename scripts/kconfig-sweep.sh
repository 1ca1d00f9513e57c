#!/usr/bin/env bash
# Differential sweep: kmeta's Kconfig engine against the kernel's own conf.
#
# For each kernel (6.12, 6.1) it resolves, with both tools, in separate O=
# directories and with the same environment and command line:
#   defconfigs  every arch/*/configs/*defconfig   conf --defconfig=<file> Kconfig
#   distro      every Debian distro config        conf --olddefconfig Kconfig (.config = it)
#   allconfig   per architecture                  conf --all{def,no,yes,mod}config Kconfig
# and compares the resulting .config byte for byte (and the exit status).
#
# The environment is the one `make ARCH=.. CROSS_COMPILE=.. O=..` gives conf,
# as `kmeta kconfig ... env` derives it; the real conf runs under exactly that
# environment, kmeta runs as `kmeta kconfig ... <mode>` (which derives it
# itself) with the probe cache, or with --via conf as `kmeta conf` under the
# same environment as the real conf. Debian's gcc-<triplet> cross compilers
# are installed for the swept architectures (apt-get, unless --no-install);
# where Debian has none, both tools get the same fallback (no CROSS_COMPILE).
#
# usage: scripts/kconfig-sweep.sh [--kernel 6.12|6.1]... [--arch ARCH]...
#          [--only defconfigs,distro,allconfig] [--all-modes allnoconfig,...]
#          [--match ERE] [--limit N] [--jobs N] [--via kconfig|conf]
#          [--kmeta PATH] [--probe-cache DIR] [--work DIR] [--keep]
#          [--no-install] [--diff-lines N] [--list] [--self-check] [--kmeta-only]
# --kmeta-only runs only kmeta's side (timing; no comparison).
# --self-check runs the real conf on both sides: it must report everything
# identical, which shows the harness itself (env, O= dirs) is deterministic.
# Prints one line per mismatch with a diff, then `N identical / M total`.
# Exit: 0 all identical, 1 any mismatch, 2 usage, 77 nothing to compare
# (kernels absent).
set -uo pipefail

KERNELS=()
ARCHES=()
ONLY="defconfigs,distro,allconfig"
ALL_MODES="alldefconfig,allnoconfig,allyesconfig,allmodconfig"
MATCH=""
LIMIT=0
JOBS=2
VIA=kconfig
KMETA_BIN=${KMETA:-}
PROBES=""
WORK=""
KEEP=0
INSTALL=1
DIFF_LINES=40
LIST=0
KMETA_ONLY=0

die() { echo "kconfig-sweep: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel) KERNELS+=("$2"); shift 2 ;;
        --arch) ARCHES+=("$2"); shift 2 ;;
        --only) ONLY="$2"; shift 2 ;;
        --all-modes) ALL_MODES="$2"; shift 2 ;;
        --match) MATCH="$2"; shift 2 ;;
        --limit) LIMIT="$2"; shift 2 ;;
        --jobs|-j) JOBS="$2"; shift 2 ;;
        --via) VIA="$2"; shift 2 ;;
        --kmeta) KMETA_BIN="$2"; shift 2 ;;
        --probe-cache) PROBES="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        --no-install) INSTALL=0; shift ;;
        --diff-lines) DIFF_LINES="$2"; shift 2 ;;
        --list) LIST=1; shift ;;
        --self-check) VIA=self; shift ;;
        --kmeta-only) KMETA_ONLY=1; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option '$1' (see --help)" ;;
    esac
done
[ ${#KERNELS[@]} -gt 0 ] || KERNELS=(6.12 6.1)
case "$VIA" in kconfig|conf|self) ;; *) die "--via must be kconfig or conf" ;; esac

HERE=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${KMETA_KERNELS:-$HOME/.cache/kmeta/kernels}
if [ -z "$KMETA_BIN" ]; then
    for b in "$HERE/build/kmeta" "$HERE/build-harness/kmeta"; do [ -x "$b" ] && KMETA_BIN=$b && break; done
fi
[ -n "$KMETA_BIN" ] && [ -x "$KMETA_BIN" ] || die "no kmeta binary (build it, or pass --kmeta / set KMETA)"
KMETA_BIN=$(readlink -f "$KMETA_BIN")
[ -n "$PROBES" ] || PROBES=${KMETA_PROBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kmeta/probes}
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/kconfig-sweep.XXXXXX); else mkdir -p "$WORK"; fi
WORK=$(readlink -f "$WORK")
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# --- architectures -----------------------------------------------------------
# ARCH to pass for a defconfig of a source arch (x86_64_defconfig wants
# ARCH=x86_64, sparc64_defconfig ARCH=sparc64, ...).
arch_for() {  # srcarch defconfig-name
    case "$1/$2" in
        x86/i386_defconfig) echo i386 ;;
        x86/*) echo x86_64 ;;
        sparc/sparc64_defconfig) echo sparc64 ;;
        sparc/*) echo sparc ;;
        parisc/generic-64bit_defconfig) echo parisc64 ;;
        *) echo "$1" ;;
    esac
}
# The Debian cross compiler prefix for an ARCH ("" = none: fallback env).
cross_for() {
    case "$1" in
        arm64) echo aarch64-linux-gnu- ;;
        arm) echo arm-linux-gnueabi- ;;
        riscv) echo riscv64-linux-gnu- ;;
        powerpc) echo powerpc64le-linux-gnu- ;;
        mips) echo mips-linux-gnu- ;;
        s390) echo s390x-linux-gnu- ;;
        sh) echo sh4-linux-gnu- ;;
        m68k) echo m68k-linux-gnu- ;;
        alpha) echo alpha-linux-gnu- ;;
        arc) echo arc-linux-gnu- ;;
        sparc|sparc64) echo sparc64-linux-gnu- ;;
        parisc) echo hppa-linux-gnu- ;;
        parisc64) echo hppa64-linux-gnu- ;;
        *) echo "" ;;  # x86_64/i386/um: the host gcc; csky, hexagon, loongarch, ...: none in Debian
    esac
}
arch_selected() {  # ARCH srcarch
    [ ${#ARCHES[@]} -eq 0 ] && return 0
    local a
    for a in "${ARCHES[@]}"; do [ "$a" = "$1" ] || [ "$a" = "$2" ] && return 0; done
    return 1
}
only() { case ",$ONLY," in *",$1,"*) return 0 ;; esac; return 1; }

# --- the case list: kernel|set|ARCH|mode|arg|id ------------------------------
CASES=$WORK/cases.txt
: > "$CASES"
have_kernel=0
for v in "${KERNELS[@]}"; do
    src=$CACHE/linux-$v
    conf=$CACHE/build-$v/scripts/kconfig/conf
    if [ ! -f "$src/Makefile" ] || [ ! -x "$conf" ]; then
        echo "kconfig-sweep: linux-$v absent ($src, $conf): skipped (scripts/kernels.sh provisions it)" >&2
        continue
    fi
    have_kernel=1
    if only defconfigs; then
        for f in "$src"/arch/*/configs/*defconfig; do
            [ -f "$f" ] || continue
            grep -qE '^(# )?CONFIG_' "$f" || continue  # not a Kconfig fragment
            srcarch=${f#"$src/arch/"}; srcarch=${srcarch%%/*}
            name=${f##*/}
            a=$(arch_for "$srcarch" "$name")
            arch_selected "$a" "$srcarch" || continue
            echo "$v|defconfigs|$a|defconfig|arch/$srcarch/configs/$name|$v/defconfigs/$a/$name" >> "$CASES"
        done
    fi
    if only distro; then
        for x in /usr/src/linux-config-$v/*.xz; do
            [ -f "$x" ] || continue
            name=$(basename "$x" .xz)
            case "$name" in *amd64*) a=x86_64 ;; *arm64*) a=arm64 ;; *i386*|*686*) a=i386 ;; *) continue ;; esac
            arch_selected "$a" "$a" || continue
            echo "$v|distro|$a|olddefconfig|$x|$v/distro/$a/$name" >> "$CASES"
        done
    fi
    if only allconfig; then
        for d in "$src"/arch/*/; do
            srcarch=$(basename "$d")
            [ -f "$d/Kconfig" ] || continue
            a=$(arch_for "$srcarch" "")
            arch_selected "$a" "$srcarch" || continue
            for m in ${ALL_MODES//,/ }; do
                echo "$v|allconfig|$a|$m||$v/allconfig/$a/$m" >> "$CASES"
            done
        done
    fi
done
if [ "$have_kernel" = 0 ]; then
    echo "SKIP: no kernel tree under $CACHE (run scripts/kernels.sh)"
    exit 77
fi
if [ -n "$MATCH" ]; then grep -E "$MATCH" "$CASES" > "$CASES.f" || true; mv "$CASES.f" "$CASES"; fi
if [ "$LIMIT" -gt 0 ]; then head -n "$LIMIT" "$CASES" > "$CASES.f"; mv "$CASES.f" "$CASES"; fi
TOTAL=$(wc -l < "$CASES")
if [ "$LIST" = 1 ]; then cut -d'|' -f6 "$CASES"; exit 0; fi
[ "$TOTAL" -gt 0 ] || { echo "kconfig-sweep: no case matches the filters"; exit 77; }

# --- cross compilers ----------------------------------------------------------
if [ "$INSTALL" = 1 ]; then
    need=()
    for a in $(cut -d'|' -f3 "$CASES" | sort -u); do
        p=$(cross_for "$a")
        [ -n "$p" ] || continue
        command -v "${p}gcc" >/dev/null 2>&1 && continue
        need+=("gcc-${p%-}")
    done
    if [ ${#need[@]} -gt 0 ]; then
        SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
        echo "kconfig-sweep: installing ${need[*]}" >&2
        $SUDO apt-get update -qq >/dev/null 2>&1
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
            echo "kconfig-sweep: some cross compilers could not be installed; those arches use the fallback env" >&2
    fi
fi

# --- running one side of one case ------------------------------------------------
# run_side <conf|kmeta> <case line>: leaves rc, stdout, stderr, .config in
# $WORK/run/<id>/<side>/.
run_side() {
    local side=$1 line=$2
    local v set a mode arg id
    IFS='|' read -r v set a mode arg id <<< "$line"
    local src=$CACHE/linux-$v d=$WORK/run/$id/$side
    rm -rf "$d"; mkdir -p "$d"
    local p; p=$(cross_for "$a")
    command -v "${p}gcc" >/dev/null 2>&1 || p=""
    local xc=(); [ -n "$p" ] && xc=(--cross-compile "$p")
    [ "$mode" = olddefconfig ] && xz -dc "$arg" > "$d/.config"
    local confarg="--$mode"
    [ "$mode" = defconfig ] && confarg="--defconfig=$arg"
    if [ "$side" = kmeta ] && [ "$VIA" = kconfig ]; then
        local kmode=$mode
        [ "$mode" = defconfig ] && kmode="defconfig=$arg"
        "$KMETA_BIN" kconfig --kernel "$src" --arch "$a" "${xc[@]}" -O "$d" --probe-cache "$PROBES" -s "$kmode" \
            > "$d/.stdout" 2> "$d/.stderr"
        echo $? > "$d/.rc"
        return 0
    fi
    local envsh
    envsh=$("$KMETA_BIN" kconfig --kernel "$src" --arch "$a" "${xc[@]}" -O "$d" --probe-cache "$PROBES" env) || {
        echo "env derivation failed" > "$d/.stderr"; echo 99 > "$d/.rc"; return 0; }
    local prog=$CACHE/build-$v/scripts/kconfig/conf
    [ "$side" = kmeta ] && [ "$VIA" = conf ] && prog="env KMETA_PROBE_CACHE=$PROBES $KMETA_BIN conf"
    ( cd "$d" && eval "$envsh" && exec $prog -s "$confarg" Kconfig ) > "$d/.stdout" 2> "$d/.stderr"
    echo $? > "$d/.rc"
}
export -f run_side cross_for
export WORK CACHE KMETA_BIN PROBES VIA

phase() {  # side label
    local t0=$SECONDS
    tr '\n' '\0' < "$CASES" | xargs -0 -P "$JOBS" -I{} bash -c 'run_side "$0" "$1"' "$1" {}
    echo "kconfig-sweep: $2: $TOTAL cases in $((SECONDS - t0)) s (-P$JOBS)" >&2
}
echo "kconfig-sweep: $TOTAL cases; work dir $WORK; probe cache $PROBES; kmeta via $VIA" >&2
if [ "$KMETA_ONLY" = 1 ]; then
    phase kmeta "kmeta"
    exit 0
fi
phase conf "real conf"
phase kmeta "kmeta"

# --- compare ---------------------------------------------------------------------------
same=0
declare -A set_total set_same
while IFS='|' read -r v set a mode arg id; do
    c=$WORK/run/$id/conf k=$WORK/run/$id/kmeta
    key="$v $set"
    set_total[$key]=$(( ${set_total[$key]:-0} + 1 ))
    crc=$(cat "$c/.rc") krc=$(cat "$k/.rc")
    if [ "$crc" = "$krc" ] && { { [ ! -e "$c/.config" ] && [ ! -e "$k/.config" ]; } || cmp -s "$c/.config" "$k/.config"; }; then
        same=$((same + 1))
        set_same[$key]=$(( ${set_same[$key]:-0} + 1 ))
        continue
    fi
    echo "MISMATCH $id (conf rc=$crc, kmeta rc=$krc)"
    if [ -e "$c/.config" ] && [ -e "$k/.config" ]; then
        diff -u --label "conf/$id" --label "kmeta/$id" "$c/.config" "$k/.config" | head -n "$DIFF_LINES"
    fi
    [ "$crc" = "$krc" ] || { echo "  conf stderr:"; head -n 5 "$c/.stderr" | sed 's/^/    /'
                             echo "  kmeta stderr:"; head -n 5 "$k/.stderr" | sed 's/^/    /'; }
done < "$CASES"
printf '%s\n' "${!set_total[@]}" | sort | while read -r kv st; do
    echo "  $kv $st: ${set_same[$kv $st]:-0} identical / ${set_total[$kv $st]}"
done
echo "$same identical / $TOTAL total"
[ "$same" = "$TOTAL" ]
